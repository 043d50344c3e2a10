# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo programme page, language tips and snippets, translated through wagtail-localize."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from buddypages.calendar.occurrences import aware, occurrences
from buddypages.models import (
    ActivityCalendarPage,
    ActivityOccurrenceChange,
    ActivityPage,
    HomePage,
    LanguageTipIndexPage,
    LanguageTipPage,
    ProgrammePage,
)
from buddypages.pages.snippets import LanguageTipTheme, Partner
from buddysite.demo import activities as activities_data
from buddysite.demo import programme as programme_data
from buddysite.demo import tips as tips_data
from buddysite.demo.translate import translate_instance

LANGS = ("en", "fr", "ar", "uk")

TIP_INDEX = {
    "title": {
        "nl": "Taaltips",
        "en": "Language tips",
        "fr": "Astuces de langue",
        "ar": "نصائح لغوية",
        "uk": "Мовні поради",
    },
    "intro": {
        "nl": "Elke week een nieuw woord of een nieuwe zin in het Nederlands. Kies je niveau en je thema.",
        "en": "A new Dutch word or sentence every week. Choose your level and your theme.",
        "fr": "Chaque semaine, un nouveau mot ou une nouvelle phrase en néerlandais. Choisissez votre niveau et votre thème.",
        "ar": "كل أسبوع كلمة أو جملة جديدة باللغة الهولندية. اختر مستواك وموضوعك.",
        "uk": "Щотижня нове слово або речення нідерландською. Оберіть свій рівень і тему.",
    },
}


def _strings(*pairs: dict, lang: str) -> dict[str, str]:
    """Dutch source string -> its ``lang`` translation, for every {nl:..., lang:...} given."""
    return {pair["nl"]: pair[lang] for pair in pairs if pair.get(lang)}


def _translate_everywhere(instance, locales, strings_by_lang: dict[str, dict[str, str]]):
    for lang in LANGS:
        if instance.get_translation_or_none(locales[lang]) is None:
            translate_instance(instance, locales[lang], strings_by_lang[lang])


def ensure_themes(locales) -> dict[str, LanguageTipTheme]:
    themes = {}
    for order, (key, names) in enumerate(tips_data.THEMES):
        theme, _created = LanguageTipTheme.objects.get_or_create(
            key=key, locale=locales["nl"], defaults={"name": names["nl"], "sort_order": order}
        )
        _translate_everywhere(theme, locales, {lang: _strings(names, lang=lang) for lang in LANGS})
        themes[key] = theme
    return themes


def ensure_partners(locales) -> list[Partner]:
    partners = []
    for name, description, url in programme_data.PARTNERS:
        partner, _created = Partner.objects.get_or_create(
            name=name, locale=locales["nl"], defaults={"description": description["nl"], "url": url}
        )
        _translate_everywhere(
            partner, locales, {lang: _strings(description, lang=lang) for lang in LANGS}
        )
        partners.append(partner)
    return partners


def programme_strings(lang: str, data: dict | None = None) -> dict[str, str]:
    """A demo programme page's Dutch strings and their ``lang`` translations (Heidestad's
    unless ``data`` names another)."""
    return _programme_strings(data or programme_data.PROGRAMME, lang)


def _programme_strings(data: dict, lang: str) -> dict[str, str]:
    pairs = [
        data["title"],
        data["summary"],
        data["for_newcomers"],
        data["for_volunteers"],
        data["contact"]["role"],
        *data["goals"],
        *data["buddy_does"],
        *data["buddy_does_not"],
        *(step[part] for step in data["steps"] for part in ("title", "text")),
        *(qa[part] for qa in data["faq"] for part in ("question", "answer")),
        *(item["quote"] for item in data["testimonials"]),
        *(cta["text"] for cta in data["ctas"]),
    ]
    return _strings(*pairs, lang=lang)


def ensure_programme(
    home: HomePage, locales, partners: list[Partner], data: dict | None = None
) -> ProgrammePage:
    """The programme under ``home`` (each municipality its own), Heidestad's by default."""
    data = data or programme_data.PROGRAMME
    page = (
        ProgrammePage.objects.child_of(home).filter(locale=locales["nl"], slug=data["slug"]).first()
    )
    if page is None:
        page = ProgrammePage(
            title=data["title"]["nl"],
            slug=data["slug"],
            locale=locales["nl"],
            summary=data["summary"]["nl"],
            goals=[("item", goal["nl"]) for goal in data["goals"]],
            for_newcomers=data["for_newcomers"]["nl"],
            for_volunteers=data["for_volunteers"]["nl"],
            duration_months=data["duration_months"],
            meetings_per_month=data["meetings_per_month"],
            steps=[
                ("step", {"kind": s["kind"], "title": s["title"]["nl"], "text": s["text"]["nl"]})
                for s in data["steps"]
            ],
            buddy_does=[("item", item["nl"]) for item in data["buddy_does"]],
            buddy_does_not=[("item", item["nl"]) for item in data["buddy_does_not"]],
            faq=[
                (
                    "question",
                    {"question": qa["question"]["nl"], "answer": f"<p>{qa['answer']['nl']}</p>"},
                )
                for qa in data["faq"]
            ],
            testimonials=[
                (
                    "testimonial",
                    {"quote": t["quote"]["nl"], "first_name": t["first_name"], "role": t["role"]},
                )
                for t in data["testimonials"]
            ],
            partners=[("partner", partner) for partner in partners],
            contact_name=data["contact"]["name"],
            contact_role=data["contact"]["role"]["nl"],
            contact_email=data["contact"]["email"],
            contact_phone=data["contact"]["phone"],
            calls_to_action=[
                ("call_to_action", {"text": cta["text"]["nl"], "page": home, "url": ""})
                for cta in data["ctas"]
            ],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    _translate_everywhere(page, locales, {lang: _programme_strings(data, lang) for lang in LANGS})
    return page


def ensure_tips(
    home: HomePage,
    locales,
    themes: dict[str, LanguageTipTheme],
    *,
    index_data: dict | None = None,
    tips: list[dict] | None = None,
) -> LanguageTipIndexPage:
    """The tips index under ``home`` with its tips (every demo tip unless ``tips`` says)."""
    index_data = index_data or TIP_INDEX
    tips = tips_data.TIPS if tips is None else tips
    index = LanguageTipIndexPage.objects.child_of(home).filter(locale=locales["nl"]).first()
    if index is None:
        index = LanguageTipIndexPage(
            title=index_data["title"]["nl"],
            slug="taaltips",
            intro=index_data["intro"]["nl"],
            locale=locales["nl"],
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    _translate_everywhere(
        index,
        locales,
        {lang: _strings(index_data["title"], index_data["intro"], lang=lang) for lang in LANGS},
    )
    for tip in tips:
        page = LanguageTipPage.objects.child_of(index).filter(phrase=tip["phrase"]).first()
        if page is None:
            page = LanguageTipPage(
                title=tip["title"]["nl"],
                phrase=tip["phrase"],
                meaning=tip["meaning"]["nl"],
                level=tip["level"],
                theme=themes[tip["theme"]],
                examples=[
                    (
                        "example",
                        {
                            "speaker": ex["speaker"],
                            "dutch": ex["dutch"],
                            "gloss": ex["gloss"]["nl"],
                        },
                    )
                    for ex in tip["examples"]
                ],
                locale=locales["nl"],
            )
            index.add_child(instance=page)
            page.save_revision().publish()
        pairs = [tip["title"], tip["meaning"], *(ex["gloss"] for ex in tip["examples"])]
        _translate_everywhere(page, locales, {lang: _strings(*pairs, lang=lang) for lang in LANGS})
    return index


def ensure_activities(
    home: HomePage,
    locales,
    *,
    calendar_data: dict | None = None,
    activities: list[dict] | None = None,
) -> ActivityCalendarPage:
    """The calendar under ``home`` with activities relative to today, so the demo never
    runs out (Heidestad's unless the data are given)."""
    calendar_data = calendar_data or activities_data.CALENDAR
    activities = activities_data.ACTIVITIES if activities is None else activities
    calendar = ActivityCalendarPage.objects.child_of(home).filter(locale=locales["nl"]).first()
    if calendar is None:
        calendar = ActivityCalendarPage(
            title=calendar_data["title"]["nl"],
            slug="activiteiten",
            intro=calendar_data["intro"]["nl"],
            locale=locales["nl"],
        )
        home.add_child(instance=calendar)
        calendar.save_revision().publish()
    _translate_everywhere(
        calendar,
        locales,
        {
            lang: _strings(calendar_data["title"], calendar_data["intro"], lang=lang)
            for lang in LANGS
        },
    )
    today = timezone.localdate()
    for item in activities:
        page = ActivityPage.objects.child_of(calendar).filter(slug=item["slug"]).first()
        if page is None:
            day = today + timedelta(days=item["days_from_now"])
            start = aware(datetime.combine(day, time.fromisoformat(item["start_time"])))
            end = aware(datetime.combine(day, time.fromisoformat(item["end_time"])))
            page = ActivityPage(
                title=item["title"]["nl"],
                slug=item["slug"],
                locale=locales["nl"],
                kind=item["kind"],
                audience=item["audience"],
                summary=item["summary"]["nl"],
                start=start,
                end=end,
                all_day=item["all_day"],
                repeat=item["repeat"],
                repeat_count=item["repeat_count"],
                capacity=item["capacity"],
                place_name=item["place_name"],
                place_address=item["place_address"],
                cost=item["cost"],
                price=Decimal(item["price"]) if item["price"] else None,
                accessibility=item["accessibility"]["nl"],
                description=f"<p>{item['description']['nl']}</p>",
            )
            if item.get("cancel_occurrence") is not None and item["repeat"]:
                found = occurrences(
                    page, after=start - timedelta(days=1), before=start + timedelta(days=400)
                )
                cancelled = found[item["cancel_occurrence"]].local_date
                page.occurrence_changes.add(
                    ActivityOccurrenceChange(original_date=cancelled, cancelled=True)
                )
            calendar.add_child(instance=page)
            page.save_revision().publish()
        pairs = [item["title"], item["summary"], item["description"]]
        if item["accessibility"]["nl"]:
            pairs.append(item["accessibility"])
        _translate_everywhere(page, locales, {lang: _strings(*pairs, lang=lang) for lang in LANGS})
    return calendar
