"""Reads of the programme and the calendar, and of the site's structure: programmes with their
sign-up links, activities and their dates (recurrences expanded, places left), the home
page's sections, and any page by the address a visitor sees.

Lists give what a listing shows with a fixed number of queries; a programme's blocks (steps,
questions, partners, body) come with its detail. Only live, public pages of the site the
request is for; sign-ups count as numbers only, never as people.
"""

import functools
from collections import defaultdict
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.urls import Resolver404, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema
from wagtail.models import Locale, Page

from buddypages.api.v3.blocks import BlockSerializer, rich_text_many
from buddypages.api.v3.errors import APIInputError
from buddypages.api.v3.pages import SiteQuery, TipOut, TipSerializer, included_libraries
from buddypages.api.v3.schemas import (
    ImageOut,
    ListQuery,
    Page_,
    PageItem,
    PageSerializer,
    paginate,
    request_locale,
    request_site,
    site_pages,
)
from buddypages.calendar.ical import rrule_text
from buddypages.calendar.occurrences import (
    TIMEZONE,
    aware,
    occurrences_between,
    recurrence_in_words,
)
from buddypages.calendar.pages import ActivityCalendarPage, ActivityPage
from buddypages.calendar.selectors import occurrence_places_left
from buddypages.core.locales import locale_language_code
from buddypages.pages.blocks import StepBlock
from buddypages.pages.models import HomePage, LanguageTipIndexPage, LanguageTipPage, ProgrammePage
from buddypages.pages.selectors import page_for_path
from buddypages.registry.choices import Role
from buddypages.registry.pages import RegistrationPage

router = Router()

MAX_ID = 2**63 - 1
MAX_DAYS = 366
FIRST_YEAR, LAST_YEAR = 2000, 2100

Kind = Literal[tuple(code for code, _label in ActivityPage.KINDS)]
Audience = Literal[tuple(code for code, _label in ActivityPage.AUDIENCES)]
PageId = Annotated[int, Path(ge=1, le=MAX_ID)]


class LocaleQuery(SiteQuery):
    locale: str | None = Field(
        None, max_length=20, examples=["ar"], description="One language; default: all."
    )


def api_path(name: str, **kwargs) -> str:
    """The address of one of this API's operations, wherever the host mounts the API."""
    return reverse(f"wagtailapi_v3:{name}", kwargs=kwargs or None)


def form_api_path(registration_id: int) -> str:
    return f"{reverse('wagtailapi_v3:api-root')}forms/{registration_id}/"


def in_page_language(method):
    """Labels and words (a step's kind, "Every week on Monday") in the page's own language,
    whatever language the list is read in."""

    @functools.wraps(method)
    def wrapped(self, page):
        with translation.override(locale_language_code(page.locale_id)):
            return method(self, page)

    return wrapped


# Programmes ---------------------------------------------------------------------------------


class ContactOut(Schema):
    role: str
    email: str = Field(description="The programme's work address.")
    phone: str = Field(description="The programme's work phone number.")


class SignupLinkOut(Schema):
    id: int
    role: Literal["newcomer", "volunteer"]
    role_label: str
    title: str
    locale: str
    url: str | None = Field(description="The sign-up form on the site, absolute.")
    form: str = Field(
        description="The API path of the form's fields, labels and choices.",
        examples=["/api/v3/forms/12/"],
    )


class ProgrammeItem(PageItem):
    summary: str
    for_newcomers: str
    for_volunteers: str
    duration_months: int = Field(description="How long a duo meets.")
    meetings_per_month: int = Field(description="How often a duo meets.")
    contact: ContactOut
    signups: list[SignupLinkOut] = Field(description="Where newcomers and volunteers sign up.")


class StepOut(Schema):
    kind: str = Field(examples=["intake"])
    kind_label: str
    title: str
    text: str


class QuestionOut(Schema):
    question: str
    answer: str = Field(description="HTML, links absolute.")


class TestimonialOut(Schema):
    quote: str
    first_name: str = Field(description="Given with the person's consent; may be empty.")
    role: Literal["newcomer", "volunteer"]


class PartnerOut(Schema):
    id: int
    name: str
    description: str
    url: str
    logo: ImageOut | None


class CallToActionOut(Schema):
    text: str
    url: str | None = Field(description="Absolute.")
    page_id: int | None


class BlockOut(Schema):
    type: str = Field(examples=["paragraph"])
    value: Any = Field(
        description="Rich text as HTML with absolute links; images as {url, width, height, alt}; "
        "pages as {id, title, url}; structures as objects of these."
    )


class ProgrammeOut(ProgrammeItem):
    goals: list[str]
    steps: list[StepOut]
    buddy_does: list[str]
    buddy_does_not: list[str]
    faq: list[QuestionOut]
    testimonials: list[TestimonialOut]
    partners: list[PartnerOut]
    calls_to_action: list[CallToActionOut]
    body: list[BlockOut]


class ProgrammeList(Page_):
    items: list[ProgrammeItem]


class ProgrammesQuery(ListQuery, LocaleQuery):
    pass


class ProgrammeSerializer(PageSerializer):
    """Programmes, and the live sign-up pages under them in one more query."""

    def __init__(self, request, site, pages):
        super().__init__(request, site, pages)
        self.signups = defaultdict(list)
        if not pages:
            return
        under = Q()
        for page in pages:
            under |= Q(path__startswith=page.path, depth__gt=page.depth)
        registrations = (
            site_pages(RegistrationPage.objects.filter(under), site)
            .select_related("locale")
            .order_by("path")
        )
        for registration in registrations:
            nearest = max(
                (page for page in pages if registration.path.startswith(page.path)),
                key=lambda page: page.depth,
            )
            self.signups[nearest.pk].append(registration)

    @in_page_language
    def programme_item(self, page: ProgrammePage) -> dict:
        return {
            **self.item(page),
            "summary": page.summary,
            "for_newcomers": page.for_newcomers,
            "for_volunteers": page.for_volunteers,
            "duration_months": page.duration_months,
            "meetings_per_month": page.meetings_per_month,
            "contact": {
                "role": page.contact_role,
                "email": page.contact_email,
                "phone": page.contact_phone,
            },
            "signups": [
                {
                    "id": registration.pk,
                    "role": registration.role,
                    "role_label": str(Role(registration.role).label),
                    "title": registration.title,
                    "locale": registration.locale.language_code,
                    "url": registration.get_full_url(self.request),
                    "form": form_api_path(registration.pk),
                }
                for registration in self.signups[page.pk]
            ],
        }

    @in_page_language
    def programme(self, page: ProgrammePage) -> dict:
        blocks = BlockSerializer(self.request, self)
        steps = dict(StepBlock.STEPS)
        faq = [block.value for block in page.faq]
        answers = rich_text_many(self.request, [value["answer"].source for value in faq])
        calls = [block.value for block in page.calls_to_action]
        return {
            **self.programme_item(page),
            "goals": [block.value for block in page.goals],
            "steps": [
                {
                    "kind": block.value["kind"],
                    "kind_label": str(steps.get(block.value["kind"], "")),
                    "title": block.value["title"],
                    "text": block.value["text"],
                }
                for block in page.steps
            ],
            "buddy_does": [block.value for block in page.buddy_does],
            "buddy_does_not": [block.value for block in page.buddy_does_not],
            "faq": [
                {"question": value["question"], "answer": answer}
                for value, answer in zip(faq, answers, strict=True)
            ],
            "testimonials": [
                {
                    "quote": block.value["quote"],
                    "first_name": block.value["first_name"] or "",
                    "role": block.value["role"],
                }
                for block in page.testimonials
            ],
            "partners": [blocks.partner(partner) for partner in page.partner_list()],
            "calls_to_action": [
                {
                    "text": value["text"],
                    "url": value["page"].get_full_url(self.request)
                    if value["page"]
                    else value["url"] or None,
                    "page_id": value["page"].pk if value["page"] else None,
                }
                for value in calls
            ],
            "body": blocks.stream(page.body),
        }


def _programmes(site, locale=None):
    programmes = site_pages(ProgrammePage.objects.all(), site).select_related("locale")
    if locale is not None:
        programmes = programmes.filter(locale=locale)
    return programmes.order_by("path")


@router.get(
    "/programmes/",
    response=ProgrammeList,
    operation_id="list_programmes",
    summary="Buddy programmes",
    tags=["programmes"],
)
def list_programmes(request, query: Query[ProgrammesQuery]):
    """The site's programmes with what a listing shows and their sign-up links; the
    programme's steps, questions, partners and more are in its detail."""
    site = request_site(request, query.site)
    programmes = _programmes(site, request_locale(query.locale))

    def serialize(page):
        serializer = ProgrammeSerializer(request, site, page)
        return [serializer.programme_item(programme) for programme in page]

    return paginate(request, programmes, query, serialize)


@router.get(
    "/programmes/{id}/",
    response=ProgrammeOut,
    operation_id="get_programme",
    summary="One buddy programme",
    tags=["programmes"],
)
def get_programme(request, id: PageId, query: Query[SiteQuery]):
    """Everything the programme's page shows, with its blocks and sign-up links."""
    site = request_site(request, query.site)
    programme = _programmes(site).filter(pk=id).first()
    if programme is None:
        raise Http404
    return ProgrammeSerializer(request, site, [programme]).programme(programme)


# Activities ---------------------------------------------------------------------------------


class RecurrenceOut(Schema):
    text: str = Field(
        description="In the language of the activity.", examples=["Every week on Monday, 10 times"]
    )
    rrule: str = Field(
        description="RFC 5545, in Brussels time.", examples=["FREQ=WEEKLY;COUNT=10;BYDAY=MO"]
    )


class ActivityOut(PageItem):
    kind: Kind
    kind_label: str
    audience: Audience
    audience_label: str
    summary: str
    start: datetime = Field(description="The first date; see /occurrences/ for every date.")
    end: datetime
    all_day: bool
    recurrence: RecurrenceOut | None = Field(description="Null when it takes place once.")
    place_name: str
    place_address: str
    map_url: str = Field(description="OpenStreetMap, or the link the editor gave; may be empty.")
    cost: Literal["free", "price", "voucher", "discount"]
    cost_label: str
    price: str | None = Field(description="In euro, e.g. '5.00'.", examples=["5.00"])
    accessibility: str
    capacity: int | None = Field(description="Places per date; null when there is no limit.")
    image: ImageOut | None
    description: str = Field(description="HTML, links absolute.")
    ical_url: str | None = Field(description="The activity's iCalendar feed, absolute.")


class ActivityList(Page_):
    items: list[ActivityOut]


class ActivitiesQuery(ListQuery, LocaleQuery):
    kind: Kind | None = None
    audience: Audience | None = Field(
        None, description="Activities for this audience, and those for everyone."
    )


class ActivitySerializer(PageSerializer):
    def __init__(self, request, site, pages):
        super().__init__(request, site, pages)
        self.descriptions = dict(
            zip(
                [page.pk for page in pages],
                rich_text_many(request, [page.description or "" for page in pages]),
                strict=True,
            )
        )

    @in_page_language
    def activity(self, page: ActivityPage) -> dict:
        url = self.url(page)
        recurrence = (
            {"text": recurrence_in_words(page), "rrule": rrule_text(page)} if page.repeat else None
        )
        return {
            **self.item(page),
            "kind": page.kind,
            "kind_label": str(page.get_kind_display()),
            "audience": page.audience,
            "audience_label": str(page.get_audience_display()),
            "summary": page.summary,
            "start": page.start.astimezone(TIMEZONE),
            "end": page.end.astimezone(TIMEZONE),
            "all_day": page.all_day,
            "recurrence": recurrence,
            "place_name": page.place_name,
            "place_address": page.place_address,
            "map_url": page.map_link,
            "cost": page.cost,
            "cost_label": str(page.get_cost_display()),
            "price": f"{page.price:.2f}" if page.price is not None else None,
            "accessibility": page.accessibility,
            "capacity": page.capacity,
            "image": self.image(page.image),
            "description": self.descriptions[page.pk],
            "ical_url": url + page.reverse_subpage("ical_view") if url else None,
        }


def _activities(site, locale=None, *, kind=None, audience=None):
    activities = site_pages(ActivityPage.objects.all(), site).select_related("locale", "image")
    if locale is not None:
        activities = activities.filter(locale=locale)
    if kind:
        activities = activities.filter(kind=kind)
    if audience:
        activities = activities.filter(audience__in=[audience, "everyone"])
    return activities.prefetch_related("image__renditions")


@router.get(
    "/activities/",
    response=ActivityList,
    operation_id="list_activities",
    summary="Activities",
    tags=["activities"],
)
def list_activities(request, query: Query[ActivitiesQuery]):
    """The site's activities by their first date, with every field. A recurring activity is
    listed once: ``/occurrences/`` gives its dates."""
    site = request_site(request, query.site)
    activities = _activities(
        site, request_locale(query.locale), kind=query.kind, audience=query.audience
    ).order_by("start", "pk")

    def serialize(page):
        serializer = ActivitySerializer(request, site, page)
        return [serializer.activity(activity) for activity in page]

    return paginate(request, activities, query, serialize)


@router.get(
    "/activities/{id}/",
    response=ActivityOut,
    operation_id="get_activity",
    summary="One activity",
    tags=["activities"],
)
def get_activity(request, id: PageId, query: Query[SiteQuery]):
    site = request_site(request, query.site)
    activity = _activities(site).filter(pk=id).first()
    if activity is None:
        raise Http404
    return ActivitySerializer(request, site, [activity]).activity(activity)


class OccurrenceOut(Schema):
    activity: PageItem
    api: str = Field(description="The activity's detail in this API.")
    kind: Kind
    audience: Audience
    summary: str
    place_name: str
    all_day: bool
    start: datetime = Field(description="In Brussels time; a moved date at its new time.")
    end: datetime
    moved: bool
    cancelled: bool = Field(description="Listed so a screen can say so; no one can sign up.")
    original_date: date | None = Field(description="The usual date of a moved or cancelled one.")
    capacity: int | None
    places_left: int | None = Field(
        description="Places still free; null when there is no limit or the date is cancelled."
    )
    image: ImageOut | None


class OccurrenceList(Page_):
    items: list[OccurrenceOut]


class OccurrencesQuery(ActivitiesQuery):
    start: date = Field(description="The first day.", examples=["2027-01-01"])
    end: date = Field(description="The day after the last one; at most a year after the start.")


class _Found:
    """A list that :func:`paginate` can count and slice."""

    def __init__(self, items):
        self.items = items

    def count(self) -> int:
        return len(self.items)

    def __getitem__(self, key):
        return self.items[key]


def _check_range(start: date, end: date) -> None:
    for name, day in (("start", start), ("end", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise APIInputError(["query", name], _("Give a date between the years 2000 and 2100."))
    if end <= start:
        raise APIInputError(["query", "end"], _("The end must be after the start."))
    if (end - start).days > MAX_DAYS:
        raise APIInputError(["query", "end"], _("Ask for at most a year at a time."))


@router.get(
    "/occurrences/",
    response=OccurrenceList,
    operation_id="list_occurrences",
    summary="Activity dates in a period",
    tags=["activities"],
)
def list_occurrences(request, query: Query[OccurrencesQuery]):
    """Every date of the site's activities from ``start`` up to (not including) ``end``,
    recurrences expanded, soonest first. Moved dates are at their new time with their usual
    date; cancelled ones are listed and marked. ``places_left`` counts sign-ups in every
    language of the activity."""
    _check_range(query.start, query.end)
    site = request_site(request, query.site)
    activities = _activities(
        site, request_locale(query.locale), kind=query.kind, audience=query.audience
    ).prefetch_related("occurrence_changes")
    found = occurrences_between(
        list(activities),
        after=aware(datetime.combine(query.start, time())),
        before=aware(datetime.combine(query.end, time())),
        include_cancelled=True,
    )

    def serialize(page):
        serializer = PageSerializer(request, site, list({o.activity for o in page}))
        places = occurrence_places_left(page)
        return [
            {
                "activity": serializer.item(o.activity),
                "api": api_path("get_activity", id=o.activity.pk),
                "kind": o.activity.kind,
                "audience": o.activity.audience,
                "summary": o.activity.summary,
                "place_name": o.activity.place_name,
                "all_day": o.activity.all_day,
                "start": o.start,
                "end": o.end,
                "moved": o.moved,
                "cancelled": o.cancelled,
                "original_date": o.original_date,
                "capacity": o.activity.capacity,
                "places_left": left,
                "image": serializer.image(o.activity.image),
            }
            for o, left in zip(page, places, strict=True)
        ]

    return paginate(request, _Found(found), query, serialize)


# Navigation and addresses -------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    type: str = Field(examples=["buddypages.ProgrammePage"])
    locale: str = Field(description="A section not translated yet is given in Dutch.")
    title: str
    url: str | None = Field(description="Absolute.")
    api: str = Field(
        description="Where this API gives the section: a programme's detail, the tips or the "
        "activities in this language, else the page by its address.",
        examples=["/api/v3/tips/?locale=ar"],
    )


class NavigationOut(Schema):
    locale: str
    home: SectionOut
    sections: list[SectionOut]


class NavigationQuery(SiteQuery):
    locale: str | None = Field(
        None, max_length=20, examples=["ar"], description="Default: the site's main language."
    )


def _find_path(request, page, site) -> str:
    path = page.get_url(request, current_site=site) or ""
    return f"{api_path('find_page_by_path')}?{urlencode({'path': path})}"


def section_api_path(request, page, site, language: str) -> str:
    specific_class = page.specific_class
    if specific_class is ProgrammePage:
        return api_path("get_programme", id=page.pk)
    if specific_class is ActivityPage:
        return api_path("get_activity", id=page.pk)
    if specific_class is LanguageTipIndexPage:
        return f"{api_path('list_tips')}?{urlencode({'locale': language})}"
    if specific_class is ActivityCalendarPage:
        return f"{api_path('list_activities')}?{urlencode({'locale': language})}"
    return _find_path(request, page, site)


@router.get(
    "/navigation/",
    response=NavigationOut,
    operation_id="get_navigation",
    summary="The site's sections",
    tags=["navigation"],
)
def get_navigation(request, query: Query[NavigationQuery]):
    """The sections the home page lists, in its order, in one language."""
    site = request_site(request, query.site)
    locale = request_locale(query.locale) or Locale.get_default()
    root = site.root_page.specific
    home = root.get_translation_or_none(locale) or root
    home = home.specific
    # The home page's own list; a host's other root page: its live children.
    sections = home.sections() if isinstance(home, HomePage) else list(home.get_children().live())
    public = set(
        site_pages(Page.objects.filter(pk__in=[page.pk for page in sections]), site).values_list(
            "pk", flat=True
        )
    )
    sections = [page for page in sections if page.pk in public]
    language = locale.language_code

    def section(page) -> dict:
        return {
            "id": page.pk,
            "type": page.specific_class._meta.label,
            "locale": locale_language_code(page.locale_id),
            "title": page.title,
            "url": page.get_full_url(request),
            "api": section_api_path(request, page, site, language),
        }

    return {
        "locale": language,
        "home": section(home),
        "sections": [section(page) for page in sections],
    }


# anyOf, not oneOf: every typed page is a PageItem too. Pydantic picks the member that
# takes the most fields, so a tip keeps its tip fields.
FoundPage = TipOut | ProgrammeOut | ActivityOut | PageItem


class FindQuery(SiteQuery):
    path: str = Field(
        max_length=1000,
        examples=["/ar/taaltips/de-bib/"],
        description="The address a visitor sees, with its language prefix; without one, the "
        "site's main language.",
    )


@router.get(
    "/find/",
    response=FoundPage,
    operation_id="find_page",
    url_name="find_page_by_path",
    summary="A page by its address",
    tags=["navigation"],
)
def find_page_by_path(request, query: Query[FindQuery]):
    """The page at a public address, as its typed detail (a tip, a programme, an activity)
    or, for other pages, the fields every page has; ``type`` says which. A tip of a tips
    library the site includes, at its address on the site (``<overview>library/<slug>/``),
    is that tip as the tips list gives it (``library``: true); one not translated into the
    address's language yet is the Dutch tip, at its Dutch address (where the site sends a
    visitor)."""
    site = request_site(request, query.site)
    page = page_for_path(site=site, path=query.path, request=request)
    if page is None or not site_pages(Page.objects.filter(pk=page.pk), site).exists():
        raise Http404
    asked = "/" + "/".join(part for part in query.path.split("/") if part) + "/"
    url = page.get_url(request, current_site=site) or ""
    if not _same_address(url, asked):
        if isinstance(page, LanguageTipIndexPage):
            slug = _library_slug(page, url, asked)
            if slug is not None:
                return _library_tip(request, site, page, slug)
        raise Http404  # a routable page's sub-path (".../ical/"), not a page
    if isinstance(page, LanguageTipPage):
        tip = LanguageTipPage.objects.select_related("locale", "theme", "image", "audio").get(
            pk=page.pk
        )
        return TipSerializer(request, site, [tip]).tip(tip)
    if isinstance(page, ProgrammePage):
        programme = _programmes(site).get(pk=page.pk)
        return ProgrammeSerializer(request, site, [programme]).programme(programme)
    if isinstance(page, ActivityPage):
        activity = _activities(site).get(pk=page.pk)
        return ActivitySerializer(request, site, [activity]).activity(activity)
    return PageSerializer(request, site, [page]).item(page)


def _same_address(url: str, asked: str) -> bool:
    """``/nl/x/`` is the page asked for as ``/nl/x/`` or as ``/x/`` (the main language)."""
    if url == asked:
        return True
    default = Locale.get_default().language_code
    return url == f"/{default}{asked}" or (asked == "/" and url == f"/{default}/")


def _library_slug(overview: LanguageTipIndexPage, url: str, asked: str) -> str | None:
    """The slug in ``asked`` when it is the address of a library tip on ``overview`` (``url``):
    ``<overview>library/<slug>/``, with or without the main language's prefix."""
    default = Locale.get_default().language_code
    for prefix in (url, url.removeprefix(f"/{default}")):
        if not prefix or not asked.startswith(prefix):
            continue
        try:
            match = overview.resolve_subpage("/" + asked[len(prefix) :])
        except Resolver404:
            continue
        if match.url_name == LanguageTipIndexPage.LIBRARY_ROUTE:
            return match.kwargs["slug"]
    return None


def _library_tip(request, site, overview: LanguageTipIndexPage, slug: str) -> dict:
    """The library tip read at ``<overview>library/<slug>/``, as the tips list gives it (its
    address on this site); one not translated into the overview's language yet in Dutch, at
    the Dutch overview's address (where the site sends a visitor). 404 when the site does not
    include a library there or the library has no such tip."""
    tip, _overview = overview.library_tip(slug)
    if tip is None:
        raise Http404
    tip = LanguageTipPage.objects.select_related("locale", "theme", "image", "audio").get(pk=tip.pk)
    return TipSerializer(request, site, [tip], included_libraries(request, site)).tip(tip)
