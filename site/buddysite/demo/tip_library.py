# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""The region's tips library: a tips overview outside every site, translated once, that each
demo town's tips overview includes (``LanguageTipIndexPage.tip_library``).

One tip is left untranslated in Arabic and Ukrainian, so the demo shows how a library tip
reads before it is translated: in Dutch, marked as Dutch.
"""

from wagtail.models import Page

from buddypages.models import LanguageTipIndexPage, LanguageTipPage
from buddysite.demo.translate import translate_instance

SLUG = "regio-taaltips"

LIBRARY = {
    "title": {
        "nl": "Taaltips van de regio",
        "en": "Language tips of the region",
        "fr": "Astuces de langue de la région",
        "ar": "نصائح لغوية من المنطقة",
        "uk": "Мовні поради регіону",
    },
    "intro": {
        "nl": "Tips die alle gemeenten van de regio delen. Eén keer geschreven, één keer vertaald.",
        "en": "Tips that every municipality of the region shares. Written once, translated once.",
        "fr": "Des astuces que toutes les communes de la région partagent. Écrites une fois, traduites une fois.",
        "ar": "نصائح تتشاركها كل بلديات المنطقة. تُكتب مرة واحدة وتُترجم مرة واحدة.",
        "uk": "Поради, якими діляться всі громади регіону. Написано один раз, перекладено один раз.",
    },
}

TIPS = [
    {
        "phrase": "Het containerpark",
        "level": "A2",
        "theme": "neighbours",
        "meaning": {
            "nl": "De plaats waar je grof afval, glas en oude toestellen naartoe brengt. Je hebt je identiteitskaart nodig.",
            "en": "The place where you bring bulky waste, glass and old appliances. You need your identity card.",
            "fr": "L'endroit où l'on apporte les encombrants, le verre et les vieux appareils. Il faut sa carte d'identité.",
            "ar": "المكان الذي تأخذ إليه النفايات الكبيرة والزجاج والأجهزة القديمة. تحتاج إلى بطاقة هويتك.",
            "uk": "Місце, куди відвозять великогабаритне сміття, скло і старі прилади. Потрібна посвідка особи.",
        },
    },
    {
        "phrase": "De afvalkalender",
        "level": "A2",
        "theme": "neighbours",
        "meaning": {
            "nl": "Op de afvalkalender staat op welke dag welk afval wordt opgehaald. Zet de zak de avond ervoor buiten.",
            "en": "The waste calendar says which waste is collected on which day. Put the bag outside the evening before.",
            "fr": "Le calendrier des déchets indique quel jour chaque déchet est ramassé. Sortez le sac la veille au soir.",
            "ar": "يبيّن تقويم النفايات أي نوع من النفايات يُجمع في أي يوم. ضع الكيس في الخارج مساء اليوم السابق.",
            "uk": "У календарі відходів зазначено, в який день вивозять які відходи. Виставте мішок напередодні ввечері.",
        },
    },
    {
        "phrase": "Een buurtfeest",
        "level": "B1",
        "theme": "free-time",
        # Not translated into Arabic and Ukrainian yet: read in Dutch there.
        "meaning": {
            "nl": "Een feest voor iedereen in de straat of de wijk, vaak in de zomer. Je brengt iets te eten mee.",
            "en": "A party for everyone in the street or neighbourhood, often in summer. You bring something to eat.",
            "fr": "Une fête pour tout le quartier ou toute la rue, souvent en été. On apporte quelque chose à manger.",
        },
    },
]


def ensure_tip_library(locales, themes) -> LanguageTipIndexPage:
    """The region's library with its tips, translated; included by every Dutch tips overview
    of a site that includes none yet (an editor's choice is never overwritten)."""
    library = LanguageTipIndexPage.objects.filter(depth=2, slug=SLUG, locale=locales["nl"]).first()
    if library is None:
        library = LanguageTipIndexPage(
            title=LIBRARY["title"]["nl"],
            slug=SLUG,
            intro=LIBRARY["intro"]["nl"],
            locale=locales["nl"],
        )
        Page.get_first_root_node().add_child(instance=library)
        library.save_revision().publish()
    _translate(library, locales, [LIBRARY["title"], LIBRARY["intro"]], codes=LIBRARY["title"])
    for tip in TIPS:
        page = LanguageTipPage.objects.child_of(library).filter(phrase=tip["phrase"]).first()
        if page is None:
            page = LanguageTipPage(
                title=tip["phrase"],
                phrase=tip["phrase"],
                meaning=tip["meaning"]["nl"],
                level=tip["level"],
                theme=themes.get(tip["theme"]),
                locale=locales["nl"],
            )
            library.add_child(instance=page)
            page.save_revision().publish()
        _translate(page, locales, [tip["meaning"]], codes=tip["meaning"])
    for overview in LanguageTipIndexPage.objects.filter(
        locale=locales["nl"], tip_library__isnull=True, depth__gt=2
    ):
        overview.tip_library = library
        overview.save_revision().publish()
    return library


def _translate(page, locales, pairs, *, codes) -> None:
    """Into each language of ``codes`` but Dutch (the others read the Dutch original)."""
    for code in codes:
        if code != "nl" and page.get_translation_or_none(locales[code]) is None:
            strings = {pair["nl"]: pair[code] for pair in pairs if pair.get(code)}
            translate_instance(page, locales[code], strings)
