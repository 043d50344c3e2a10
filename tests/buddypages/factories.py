"""Small builders for page trees in tests (the demo content is bigger and slower)."""

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from buddypages.models import HomePage, LanguageTipIndexPage, LanguageTipPage
from buddypages.pages.snippets import LanguageTipTheme


def home_page(language_code: str = "nl") -> HomePage:
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    existing = HomePage.objects.filter(locale=locale).first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    home = HomePage(title="Thuis", slug=f"home-{language_code}", locale=locale)
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    if language_code == "nl":
        site.root_page = home
        site.save()
    return home


def tip_index(home: HomePage) -> LanguageTipIndexPage:
    index = LanguageTipIndexPage(title="Taaltips", slug="taaltips", locale=home.locale)
    home.add_child(instance=index)
    return index


def theme(key: str, name: str, locale: Locale) -> LanguageTipTheme:
    return LanguageTipTheme.objects.create(key=key, name=name, locale=locale)


def tip(index: LanguageTipIndexPage, phrase: str, *, level="A1", theme=None, **fields):
    page = LanguageTipPage(
        title=phrase,
        phrase=phrase,
        meaning=fields.pop("meaning", f"Uitleg bij {phrase}."),
        level=level,
        theme=theme,
        locale=index.locale,
        first_published_at=fields.pop("first_published_at", timezone.now()),
        **fields,
    )
    index.add_child(instance=page)
    return page


def calendar(home: HomePage, slug: str = "activiteiten"):
    from buddypages.models import ActivityCalendarPage

    page = ActivityCalendarPage(title="Activiteiten", slug=slug, locale=home.locale)
    home.add_child(instance=page)
    return page


def activity(calendar_page, title: str, start, end, **fields):
    from buddypages.models import ActivityPage

    changes = fields.pop("changes", [])
    page = ActivityPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-"),
        start=start,
        end=end,
        locale=calendar_page.locale,
        first_published_at=timezone.now(),
        **fields,
    )
    for change in changes:
        page.occurrence_changes.add(change)
    calendar_page.add_child(instance=page)
    return page


def next_day_at(hour: int, days: int = 3):
    """A whole hour, ``days`` from now, in Brussels time."""
    from datetime import timedelta

    from buddypages.calendar.occurrences import TIMEZONE

    day = (timezone.now() + timedelta(days=days)).astimezone(TIMEZONE)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def sign_up(activity, email: str, *, places: int = 1, language: str = "nl", start=None):
    from buddypages.calendar.services import activity_signup_create

    return activity_signup_create(
        activity=activity,
        occurrence_start=start or activity.start,
        name=email.split("@")[0].title(),
        email=email,
        places=places,
        language=language,
    )
