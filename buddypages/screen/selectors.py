"""What the waiting-room screen shows, for several languages at once, in a fixed number of
queries: the next activities of the site's live calendars, the tip of the week and the address
of the sign-up form, per language.

Each read covers every language asked for, so ``?langs=nl,ar,ti,uk`` costs the same number of
queries as one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction, Site

from buddypages.calendar.occurrences import Occurrence, occurrences_between
from buddypages.calendar.pages import ActivityCalendarPage, ActivityPage
from buddypages.calendar.selectors import occurrence_places_left
from buddypages.core.languages import text_direction
from buddypages.pages.models import LanguageTipIndexPage, LanguageTipPage, ProgrammePage
from buddypages.pages.selectors import tips_of_the_week
from buddypages.registry.pages import RegistrationPage

# How far ahead the screen looks, and how many dates one slide can show readably.
DAYS_AHEAD = 60
ACTIVITIES_PER_SLIDE = 4


@dataclass(frozen=True)
class ScreenActivity:
    occurrence: Occurrence
    places_left: int | None  # None: no limit, or the date is cancelled
    language: str  # of the activity's title and place

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def direction(self) -> str:
        return text_direction(self.language)


@dataclass
class LanguageScreen:
    """The slides of one language."""

    code: str
    activities: list[ScreenActivity] = field(default_factory=list)
    tip: LanguageTipPage | None = None
    signup_url: str = ""  # absolute: what the QR code holds

    @property
    def direction(self) -> str:
        return text_direction(self.code)


def _in_site(site: Site) -> Exists:
    """The page lies under the site's root page in one of its translations."""
    return Exists(
        Page.objects.filter(
            StartsWith(OuterRef("path"), F("path")),
            translation_key=site.root_page.translation_key,
        )
    )


def _private() -> Exists:
    """The page or one of its ancestors has a view restriction (a password, a group, a login)."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


def _public_in_site(queryset, site: Site):
    return queryset.live().filter(_in_site(site)).exclude(_private())


def _activities(site: Site, codes: list[str]):
    """Live, public activities in ``codes`` whose parent is a live calendar of the site."""
    parent_is_live_calendar = Exists(
        ActivityCalendarPage.objects.live().filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
        )
    )
    return (
        _public_in_site(ActivityPage.objects.all(), site)
        .filter(parent_is_live_calendar, locale__language_code__in=codes)
        .select_related("locale")
        .prefetch_related("occurrence_changes")
    )


def _next_activities(site: Site, codes: list[str], now: datetime) -> dict[str, list]:
    """The next dates per language. A language whose calendar has no activities at all (not
    translated yet) shows the source language's, marked as such, rather than "nothing planned"
    while the Dutch calendar is full: the days, times and headings are still in its language."""
    default = settings.LANGUAGE_CODE
    activities = list(_activities(site, [*codes, default]))
    found = occurrences_between(
        activities, after=now, before=now + timedelta(days=DAYS_AHEAD), include_cancelled=True
    )
    having = {activity.locale.language_code for activity in activities}
    source = {code: code if code in having else default for code in codes}
    by_language: dict[str, list[Occurrence]] = {code: [] for code in {*source.values()}}
    for occurrence in found:
        listed = by_language.get(occurrence.activity.locale.language_code)
        if listed is not None and len(listed) < ACTIVITIES_PER_SLIDE:
            listed.append(occurrence)
    shown = [o for listed in by_language.values() for o in listed]
    places = dict(zip(map(id, shown), occurrence_places_left(shown), strict=True))
    return {
        code: [
            ScreenActivity(o, places[id(o)], language=source[code])
            for o in by_language[source[code]]
        ]
        for code in codes
    }


def _tips(site: Site, codes: list[str]) -> dict[str, LanguageTipPage | None]:
    indexes = list(
        _public_in_site(LanguageTipIndexPage.objects.all(), site)
        .filter(locale__language_code__in=codes)
        .select_related("locale", "featured_tip")
        .order_by("path")
    )
    picked = tips_of_the_week(indexes=indexes)
    tips: dict[str, LanguageTipPage | None] = {}
    for index in indexes:
        tips.setdefault(index.locale.language_code, picked[index.pk])
    return tips


def _signup_pages(site: Site, codes: list[str]) -> dict[str, Page]:
    """The page the QR code of each language leads to.

    The first live programme of the site in that language (else in the site's default
    language) and the first of its calls to action that leads to a sign-up form (else its
    first call to action), in that language where it is translated, as the programme page
    shows it. No call to action: the programme page itself. Two queries.
    """
    default = settings.LANGUAGE_CODE
    programmes = {}
    for programme in (
        _public_in_site(ProgrammePage.objects.all(), site)
        .filter(locale__language_code__in={*codes, default})
        .select_related("locale")
        .only("path", "url_path", "locale", "calls_to_action", "translation_key", "depth")
        .order_by("path")
    ):
        programmes.setdefault(programme.locale.language_code, programme)
    chosen = {code: programmes.get(code) or programmes.get(default) for code in codes}
    target_ids = {
        block["value"].get("page")
        for programme in chosen.values()
        if programme is not None
        for block in programme.calls_to_action.raw_data
    } - {None}
    # Each target and its live translations in every language asked for, in one read.
    targets = list(
        Page.objects.live()
        .filter(
            Q(pk__in=target_ids)
            | Q(
                translation_key__in=Page.objects.filter(pk__in=target_ids).values(
                    "translation_key"
                ),
                locale__language_code__in=codes,
            )
        )
        .select_related("locale")
    )
    by_pk = {page.pk: page for page in targets}
    by_key = {(page.translation_key, page.locale.language_code): page for page in targets}
    pages = {}
    for code, programme in chosen.items():
        if programme is None:
            continue
        linked = [
            by_pk[block["value"]["page"]]
            for block in programme.calls_to_action.raw_data
            if block["value"].get("page") in by_pk
        ]
        forms = [page for page in linked if page.specific_class is RegistrationPage]
        target = (forms or linked or [programme])[0]
        pages[code] = by_key.get((target.translation_key, code), target)
    return pages


def screen_content(*, site: Site | None, codes: list[str], request, now: datetime):
    """The slides of each language in ``codes`` (in that order) on ``site``."""
    screens = [LanguageScreen(code=code) for code in codes]
    if site is None:
        return screens
    activities = _next_activities(site, codes, now)
    tips = _tips(site, codes)
    signups = _signup_pages(site, codes)
    for screen in screens:
        screen.activities = activities[screen.code]
        screen.tip = tips.get(screen.code)
        page = signups.get(screen.code)
        url = page.get_url(request) if page is not None else f"/{screen.code}/"
        screen.signup_url = request.build_absolute_uri(url or f"/{screen.code}/")
    return screens
