# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo newsletter: the archive page and a draft issue with a tip and upcoming activities."""

from __future__ import annotations

from buddypages.models import HomePage
from buddysite.demo.translate import translate_instance
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage

LANGS = ("en", "fr", "ar", "uk")

INDEX = {
    "title": {
        "nl": "Nieuwsbrief",
        "en": "Newsletter",
        "fr": "Lettre d'information",
        "ar": "النشرة الإخبارية",
        "uk": "Розсилка",
    },
    "intro": {
        "nl": "Alle nieuwsbrieven van de buddywerking.",
        "en": "All newsletters of the buddy programme.",
        "fr": "Toutes les lettres d'information du programme buddy.",
        "ar": "كل النشرات الإخبارية لبرنامج الرفيق.",
        "uk": "Усі розсилки бадді-програми.",
    },
}
ISSUE = {
    "title": {
        "nl": "Nieuwsbrief december",
        "en": "December newsletter",
        "fr": "Lettre de décembre",
        "ar": "نشرة ديسمبر",
        "uk": "Груднева розсилка",
    },
    "subject": {
        "nl": "Nieuws van de buddywerking: december",
        "en": "News from the buddy programme: December",
        "fr": "Nouvelles du programme buddy : décembre",
        "ar": "أخبار برنامج الرفيق: ديسمبر",
        "uk": "Новини бадді-програми: грудень",
    },
    "preheader": {
        "nl": "Een taaltip en activiteiten om samen te doen.",
        "en": "A language tip and activities to do together.",
        "fr": "Une astuce de langue et des activités à faire ensemble.",
        "ar": "نصيحة لغوية وأنشطة نقوم بها معًا.",
        "uk": "Мовна порада та заходи, які можна робити разом.",
    },
    "text": {
        "nl": "Het wordt kouder buiten. Een goed moment om samen binnen iets te doen: koffie drinken, koken of naar de bibliotheek gaan.",
        "en": "It is getting colder outside. A good moment to do something together indoors: have a coffee, cook or go to the library.",
        "fr": "Il fait plus froid dehors. Un bon moment pour faire quelque chose ensemble à l'intérieur : boire un café, cuisiner ou aller à la bibliothèque.",
        "ar": "الجو يصبح أبرد في الخارج. وقت مناسب لتفعلا شيئًا معًا في الداخل: شرب القهوة أو الطبخ أو الذهاب إلى المكتبة.",
        "uk": "Надворі холоднішає. Гарний час, щоб зробити щось разом у приміщенні: випити кави, приготувати їжу чи піти до бібліотеки.",
    },
    "activities": {
        "nl": "Binnenkort",
        "en": "Coming up",
        "fr": "Bientôt",
        "ar": "قريبًا",
        "uk": "Незабаром",
    },
    "cta": {
        "nl": "Bekijk alle activiteiten",
        "en": "See all activities",
        "fr": "Voir toutes les activités",
        "ar": "شاهد كل الأنشطة",
        "uk": "Переглянути всі заходи",
    },
}


def ensure_newsletter(home: HomePage, locales, calendar) -> NewsletterIssuePage:
    index = NewsletterIndexPage.objects.filter(locale=locales["nl"]).first()
    if index is None:
        index = NewsletterIndexPage(
            title=INDEX["title"]["nl"],
            slug="nieuwsbrief",
            intro=INDEX["intro"]["nl"],
            locale=locales["nl"],
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for lang in LANGS:
        if index.get_translation_or_none(locales[lang]) is None:
            translate_instance(
                index,
                locales[lang],
                {INDEX[key]["nl"]: INDEX[key][lang] for key in INDEX},
            )
    issue = NewsletterIssuePage.objects.child_of(index).first()
    if issue is None:
        issue = NewsletterIssuePage(
            title=ISSUE["title"]["nl"],
            slug="december",
            subject=ISSUE["subject"]["nl"],
            preheader=ISSUE["preheader"]["nl"],
            body=[
                ("text", f"<p>{ISSUE['text']['nl']}</p>"),
                ("language_tip", {"tip": None}),
                (
                    "upcoming_activities",
                    {"heading": ISSUE["activities"]["nl"], "weeks": 6, "limit": 6},
                ),
                ("call_to_action", {"text": ISSUE["cta"]["nl"], "page": calendar, "url": ""}),
            ],
            locale=locales["nl"],
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()  # live but unsent: only editors see it (preview)
    for lang in LANGS:
        if issue.get_translation_or_none(locales[lang]) is None:
            translate_instance(
                issue,
                locales[lang],
                {ISSUE[key]["nl"]: ISSUE[key][lang] for key in ISSUE},
            )
    return issue
