"""The figures of the yearly report of one site, or of several added together (a region).

Everything here reads; nothing writes. The report runs a fixed number of queries whatever the
number of sites, participants, duos or meetings: it asks the database for counts and for the
few columns the splits need, and does the rest in Python.

Which people belong to a site is decided in one place, :func:`site_programme_keys`: today a
participant belongs to a programme, and a programme page lives in one site's tree. When the
registry gets its own site key, that function is the one to change.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, Site

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import occurrences
from buddypages.calendar.pages import ActivityPage
from buddypages.duos.models import PROOF_HOURS, Duo, Meeting
from buddypages.pages.models import ProgrammePage
from buddypages.pages.municipality import municipality_names
from buddypages.registry.choices import PROGRAMME_ROLES, Role, Status
from buddypages.registry.models import Intake, Participant, StatusChange
from buddypages.registry.volunteering import TrainingAttendance

# No cell of a split shows fewer people than this.
MIN_CELL = 5
# The key of the combined cell: no language code or neighbourhood can be spelt like it.
OTHER = "\0other"
# A Wagtail hook: ``fn(*, programme_keys, start, end) -> list[(label, number)] | None``.
# The newsletter app registers one; without it the report has no newsletter section.
REACH_HOOK = "buddypages_report_newsletter_reach"
# The longest period one report covers.
MAX_DAYS = 5 * 366


class ReportError(ValueError):
    """A period or choice the coordinator must correct (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- The period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    def __str__(self) -> str:
        whole_year = (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        )
        if whole_year and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def after(self) -> datetime:
        """The first moment of the period (local midnight)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def before(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def period_choose(*, year: int | None = None, start=None, end=None) -> Period:
    """The calendar year ``year``, or the dates ``start`` to ``end`` (both included).
    Raises ReportError with a message the coordinator reads."""
    if start or end:
        if not (start and end):
            raise ReportError(_("Give both dates of the period, or choose a year."))
        if start > end:
            raise ReportError(_("The period ends before it starts: swap the two dates."))
        if (end - start).days > MAX_DAYS:
            raise ReportError(_("One report covers at most five years: choose a shorter period."))
        return Period(start, end)
    if year is None:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ReportError(_("Choose a year between 2000 and 2100."))
    return Period(date(year, 1, 1), date(year, 12, 31))


# --- Whose figures ---------------------------------------------------------------------------


def _root_paths(sites: Iterable[Site]) -> list[str]:
    return list(
        Page.objects.filter(sites_rooted_here__in=[site.pk for site in sites])
        .values_list("path", flat=True)
        .distinct()
    )


def _in_trees(paths: list[str]) -> Q:
    tree = Q(pk__in=[])
    for path in paths:
        tree |= Q(path__startswith=path)
    return tree


def site_programme_keys(sites: Iterable[Site]) -> set:
    """The programme keys of ``sites``: whose people, duos and sends count in their report.

    A programme page lives in one site's tree, in the site's language; its translations (other
    locales, other trees) share its translation key, which is what a participant carries."""
    paths = _root_paths(sites)
    if not paths:
        return set()
    return set(
        ProgrammePage.objects.filter(_in_trees(paths))
        .order_by()
        .values_list("translation_key", flat=True)
        .distinct()
    )


# --- The small-cell rule -----------------------------------------------------------------------


def combine_small_cells(counts: Mapping, *, minimum: int = MIN_CELL) -> list[tuple] | None:
    """The cells of a split with none under ``minimum`` people, largest first, or None when the
    split cannot be shown (nothing but one combined cell would be left).

    Cells under ``minimum`` go into one ``OTHER`` cell; when that is itself under ``minimum``
    it takes in the smallest remaining cell. Empty cells are left out. The total is kept."""
    cells = sorted(
        ((key, count) for key, count in counts.items() if count > 0),
        key=lambda cell: (-cell[1], str(cell[0])),
    )
    shown = [cell for cell in cells if cell[1] >= minimum]
    other = sum(count for _key, count in cells if count < minimum)
    if 0 < other < minimum and shown:
        other += shown.pop()[1]
    if not shown:
        return None
    return shown + ([(OTHER, other)] if other else [])


# --- What the report holds -------------------------------------------------------------------


@dataclass
class Split:
    """One figure split by language, neighbourhood or reason, with the small-cell rule applied."""

    key: str
    title: str
    total: int
    cells: list[tuple[str, int]] = field(default_factory=list)  # (label, count)

    @property
    def hidden(self) -> bool:
        return not self.cells


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None  # None: not known for this period
    unit: str = ""
    chart: bool = True  # a count of people or duos, drawn in the section's chart


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    site_names: list[str]
    period: Period
    sections: list[Section]

    @property
    def regional(self) -> bool:
        return len(self.site_names) > 1

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def figure(self, key: str):
        for section in self.sections:
            for figure in section.figures:
                if figure.key == key:
                    return figure.value
        raise KeyError(key)


def _split(key: str, title, counts: Mapping, labels: Mapping | None = None) -> Split:
    labels = labels or {}
    cells = combine_small_cells(counts) or []
    return Split(
        key=key,
        title=str(title),
        total=sum(counts.values()),
        cells=[
            (gettext("Other") if k == OTHER else str(labels.get(k, k)), count) for k, count in cells
        ],
    )


def _language_labels() -> dict:
    labels = {code: str(name) for code, name in settings.LANGUAGES}
    labels[""] = gettext("Not given")
    return labels


def _neighbourhoods(values: Iterable[str]) -> tuple[Counter, dict]:
    """Counts by neighbourhood (or any typed text), however it was typed ("Kiel", "kiel "):
    one cell, named by its most common spelling."""
    counts: Counter = Counter()
    spellings: dict = {}
    for value in values:
        text = " ".join((value or "").split())
        key = text.casefold()
        counts[key] += 1
        spellings.setdefault(key, Counter())[text] += 1
    labels = {
        key: max(found.items(), key=lambda item: (item[1], item[0]))[0]
        for key, found in spellings.items()
    }
    labels[""] = gettext("Not given")
    return counts, labels


def _median(values: list) -> float | None:
    if not values:
        return None
    return round(statistics.median(values), 1)


# --- The figures -----------------------------------------------------------------------------


def _people(keys: set, period: Period) -> tuple[Section, Section]:
    signed_up = list(
        Participant.objects.filter(
            programme_key__in=keys,
            role__in=PROGRAMME_ROLES,
            created_at__gte=period.after,
            created_at__lt=period.before,
        ).values_list("role", "preferred_language", "neighbourhood")
    )
    taken_in = dict(
        Intake.objects.filter(
            participant__programme_key__in=keys,
            held_on__gte=period.start,
            held_on__lte=period.end,
        )
        .order_by()
        .values("participant__role")
        .annotate(people=Count("participant", distinct=True))
        .values_list("participant__role", "people")
    )
    waiting = _waiting_at_end(keys, period)
    by_role = Counter(role for role, _language, _place in signed_up)
    newcomers = [row for row in signed_up if row[0] == Role.NEWCOMER]
    volunteers = [row for row in signed_up if row[0] == Role.VOLUNTEER]
    languages = _language_labels()
    newcomer_places, newcomer_place_labels = _neighbourhoods(place for *_, place in newcomers)
    volunteer_places, volunteer_place_labels = _neighbourhoods(place for *_, place in volunteers)

    people = Section("people", gettext("Sign-ups and intake"))
    people.figures = [
        Figure("newcomers_signed_up", gettext("Newcomers signed up"), by_role[Role.NEWCOMER]),
        Figure("volunteers_signed_up", gettext("Volunteers signed up"), by_role[Role.VOLUNTEER]),
        Figure(
            "newcomers_taken_in",
            gettext("Newcomers taken in (intake held)"),
            taken_in.get(Role.NEWCOMER, 0),
        ),
        Figure(
            "volunteers_taken_in",
            gettext("Volunteers taken in (intake held)"),
            taken_in.get(Role.VOLUNTEER, 0),
        ),
    ]
    people.splits = [
        _split(
            "newcomers_by_language",
            _("Newcomers signed up, by the language we write in"),
            Counter(language for _role, language, _place in newcomers),
            languages,
        ),
        _split(
            "newcomers_by_neighbourhood",
            _("Newcomers signed up, by neighbourhood"),
            newcomer_places,
            newcomer_place_labels,
        ),
        _split(
            "volunteers_by_neighbourhood",
            _("Volunteers signed up, by neighbourhood"),
            volunteer_places,
            volunteer_place_labels,
        ),
    ]

    days = {role: [d for r, d, _lang in waiting if r == role] for role in PROGRAMME_ROLES}
    queue = Section("waiting", gettext("Waiting for a match at the end of the period"))
    for role, name in ((Role.NEWCOMER, "newcomers"), (Role.VOLUNTEER, "volunteers")):
        queue.figures += [
            Figure(
                f"{name}_waiting",
                gettext("Newcomers waiting")
                if role == Role.NEWCOMER
                else gettext("Volunteers waiting"),
                len(days[role]),
            ),
            Figure(
                f"{name}_waiting_median_days",
                gettext("Median wait of the newcomers (days)")
                if role == Role.NEWCOMER
                else gettext("Median wait of the volunteers (days)"),
                _median(days[role]),
                chart=False,
            ),
            Figure(
                f"{name}_waiting_longest_days",
                gettext("Longest wait of the newcomers (days)")
                if role == Role.NEWCOMER
                else gettext("Longest wait of the volunteers (days)"),
                max(days[role], default=None),
                chart=False,
            ),
        ]
    queue.splits = [
        _split(
            "waiting_by_language",
            _("Newcomers waiting, by the language we write in"),
            Counter(lang for role, _d, lang in waiting if role == Role.NEWCOMER),
            languages,
        )
    ]
    return people, queue


def _waiting_at_end(keys: set, period: Period) -> list[tuple[str, int, str]]:
    """(role, days waited, language) of everyone waiting for a match when the period ended.

    A person's status at a moment is read from their status history: the last change before
    it, or, when they changed only later, what that first later change moved them from; with
    no history at all, their status today."""
    moment = min(period.before, timezone.now())
    history = StatusChange.objects.filter(participant=OuterRef("pk")).order_by()
    earlier = history.filter(changed_at__lt=moment).order_by("-changed_at", "-pk")
    later = history.filter(changed_at__gte=moment).order_by("changed_at", "pk")
    rows = (
        Participant.objects.filter(
            programme_key__in=keys, role__in=PROGRAMME_ROLES, created_at__lt=moment
        )
        .annotate(
            status_then=Subquery(earlier.values("to_status")[:1]),
            status_since=Subquery(earlier.values("changed_at")[:1]),
            status_before_later=Subquery(later.values("from_status")[:1]),
        )
        .values_list(
            "role",
            "preferred_language",
            "status",
            "waiting_since",
            "created_at",
            "status_then",
            "status_since",
            "status_before_later",
        )
    )
    found = []
    for role, language, status, waiting_since, created, then, since, before_later in rows:
        if then:
            status, start = then, since
        elif before_later:
            status, start = before_later, created
        else:
            start = waiting_since or created
        if status == Status.WAITING:
            found.append((role, max((moment - start).days, 0), language))
    return found


def _duos(keys: set, period: Period) -> Section:
    in_period = Q(start_date__gte=period.start, start_date__lte=period.end)
    ended = Q(ended_on__gte=period.start, ended_on__lte=period.end)
    rows = list(
        Duo.objects.filter(programme_key__in=keys)
        .filter(in_period | ended)
        .values_list(
            "start_date",
            "ended_on",
            "status",
            "stop_reason",
            "newcomer_id",
            "volunteer_id",
            "newcomer__preferred_language",
        )
    )
    started = [row for row in rows if period.start <= row[0] <= period.end]
    finished = [row for row in rows if row[1] and period.start <= row[1] <= period.end]
    completed = [row for row in finished if row[2] == Duo.Status.COMPLETED]
    stopped = [row for row in finished if row[2] == Duo.Status.STOPPED]
    hours = _hours(keys, period)

    section = Section("duos", gettext("Duos"))
    section.figures = [
        Figure("newcomers_matched", gettext("Newcomers matched"), len({row[4] for row in started})),
        Figure(
            "volunteers_matched", gettext("Volunteers matched"), len({row[5] for row in started})
        ),
        Figure("duos_started", gettext("Duos started"), len(started)),
        Figure("duos_completed", gettext("Duos completed"), len(completed)),
        Figure("duos_stopped", gettext("Duos stopped early"), len(stopped)),
        Figure(
            "duo_median_days",
            gettext("Median duration of the duos that ended (days)"),
            _median([(row[1] - row[0]).days for row in completed + stopped]),
            chart=False,
        ),
        Figure(
            "confirmed_hours",
            gettext("Confirmed hours of meeting"),
            hours["hours"],
            chart=False,
        ),
        Figure(
            "proofs",
            gettext("Duos that reached %(hours)s confirmed hours (proofs)")
            % {"hours": PROOF_HOURS},
            hours["proofs"],
        ),
    ]
    reasons, reason_labels = _neighbourhoods(row[3] for row in stopped)
    reason_labels[""] = gettext("No reason given")
    section.splits = [
        _split(
            "duos_by_language",
            _("Duos started, by the newcomer's language"),
            Counter(row[6] for row in started),
            _language_labels(),
        ),
        _split("stop_reasons", _("Duos stopped early, by reason"), reasons, reason_labels),
    ]
    return section


def _hours(keys: set, period: Period) -> dict:
    """Confirmed hours met in the period, and the duos whose confirmed hours reached the proof
    in it (below it before the period, at or above it at its end)."""
    confirmed = Q(confirmed_at__isnull=False)
    upto_end = Q(date__lte=period.end)
    before = Q(date__lt=period.start)
    during = Q(date__gte=period.start, date__lte=period.end)
    rows = (
        Meeting.objects.filter(confirmed, duo__programme_key__in=keys, date__lte=period.end)
        .order_by()
        .values("duo_id")
        .annotate(
            upto_end=Sum("minutes", filter=upto_end, output_field=IntegerField()),
            before=Sum("minutes", filter=before, output_field=IntegerField()),
            during=Sum("minutes", filter=during, output_field=IntegerField()),
        )
        .values_list("upto_end", "before", "during")
    )
    goal = PROOF_HOURS * 60
    minutes = proofs = 0
    for upto_end_minutes, before_minutes, during_minutes in rows:
        minutes += during_minutes or 0
        if (upto_end_minutes or 0) >= goal > (before_minutes or 0):
            proofs += 1
    return {"hours": round(minutes / 60, 1), "proofs": proofs}


def _activities(paths: list[str], keys: set, period: Period) -> Section:
    pages = (
        ActivityPage.objects.live()
        .filter(_in_trees(paths))
        .prefetch_related("occurrence_changes")
        .order_by("pk")
    )
    held = trainings = 0
    seen = set()
    activity_keys = set()
    for page in pages:
        activity_keys.add(page.translation_key)
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        count = len(occurrences(page, after=period.after, before=period.before))
        if page.kind == "volunteer_training":
            trainings += count
        else:
            held += count
    signups = ActivitySignup.objects.filter(
        activity__translation_key__in=activity_keys,
        status=ActivitySignup.CONFIRMED,
        occurrence_start__gte=period.after,
        occurrence_start__lt=period.before,
    ).aggregate(signups=Count("pk"), places=Sum("places"))
    attended = TrainingAttendance.objects.filter(
        participant__programme_key__in=keys,
        occurrence_start__gte=period.after,
        occurrence_start__lt=period.before,
    ).aggregate(times=Count("pk"), volunteers=Count("participant", distinct=True))

    section = Section("activities", gettext("Activities and trainings"))
    section.figures = [
        Figure("activities_held", gettext("Activity dates held"), held),
        Figure("activity_signups", gettext("Sign-ups for activities"), signups["signups"]),
        Figure("activity_places", gettext("Places taken at activities"), signups["places"] or 0),
        Figure("trainings_held", gettext("Volunteer training dates held"), trainings),
        Figure(
            "training_attendance", gettext("Volunteers present at a training"), attended["times"]
        ),
        Figure(
            "volunteers_trained",
            gettext("Different volunteers trained"),
            attended["volunteers"],
        ),
    ]
    return section


def _newsletter(keys: set, period: Period) -> Section | None:
    figures = []
    for reach in hooks.get_hooks(REACH_HOOK):
        figures += reach(programme_keys=keys, start=period.after, end=period.before) or []
    if not figures:
        return None
    section = Section("newsletter", gettext("Newsletter reach"))
    section.figures = [
        Figure(f"newsletter_{number}", str(label), value)
        for number, (label, value) in enumerate(figures)
    ]
    section.note = gettext(
        "Delivered and opened are known only when the email provider reports them."
    )
    return section


def yearly_report(*, sites: Iterable[Site], period: Period) -> Report:
    """The report of ``sites`` (one municipality, or a region added together) for ``period``."""
    sites = list(sites)
    paths = _root_paths(sites)
    keys = site_programme_keys(sites)
    people, queue = _people(keys, period)
    sections = [people, queue, _duos(keys, period), _activities(paths, keys, period)]
    newsletter = _newsletter(keys, period)
    if newsletter is not None:
        sections.append(newsletter)
    return Report(
        site_names=list(municipality_names(sites).values()),
        period=period,
        sections=sections,
    )
