from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buddypages.registry.models import Intake, StatusChange
from buddypages.reports.selectors import (
    MIN_CELL,
    OTHER,
    Period,
    ReportError,
    combine_small_cells,
    period_choose,
    site_programme_keys,
    yearly_report,
)
from tests.buddypages.reports.conftest import duo, meeting, moment, municipality, person

YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))


# --- The small-cell rule ---------------------------------------------------------------------


@given(st.dictionaries(st.text(max_size=8), st.integers(min_value=0, max_value=40), max_size=12))
def test_no_split_cell_is_empty_or_under_five_and_the_total_stays(counts):
    cells = combine_small_cells(counts)

    if cells is None:  # the split says it is hidden
        return
    assert all(count >= MIN_CELL for _key, count in cells)
    assert sum(count for _key, count in cells) == sum(counts.values())
    assert [key for key, _count in cells].count(OTHER) <= 1
    assert len(cells) >= 1


def test_small_cells_go_into_other_and_a_small_other_takes_the_next_smallest():
    assert combine_small_cells({"ar": 12, "uk": 6, "fa": 3, "ti": 2}) == [
        ("ar", 12),
        ("uk", 6),
        (OTHER, 5),
    ]
    assert combine_small_cells({"ar": 12, "uk": 6, "fa": 3}) == [("ar", 12), (OTHER, 9)]
    assert combine_small_cells({"ar": 4, "uk": 3}) is None
    assert combine_small_cells({"ar": 7, "uk": 0}) == [("ar", 7)]


# --- The period ------------------------------------------------------------------------------


def test_a_period_is_a_calendar_year_or_two_dates_in_order():
    # The messages are read in English, whatever language an earlier test left active.
    with translation.override("en"):
        _check_periods()


def _check_periods():
    assert period_choose(year=2019) == YEAR_2019
    assert str(period_choose(year=2019)) == "2019"
    assert period_choose(start=date(2019, 7, 1), end=date(2020, 6, 30)).end == date(2020, 6, 30)
    with pytest.raises(ReportError, match="swap"):
        period_choose(start=date(2020, 1, 1), end=date(2019, 1, 1))
    with pytest.raises(ReportError, match="both dates"):
        period_choose(start=date(2020, 1, 1))
    with pytest.raises(ReportError, match="2000"):
        period_choose(year=1900)


# --- The figures -----------------------------------------------------------------------------


@pytest.fixture
def ardooie(town):
    """2019 in Ardooie: 16 newcomers and 3 volunteers signed up, intakes, four duos, a queue."""
    site, programme = town
    newcomers = [
        *(("ar", "Kiel") for _ in range(6)),
        ("ar", " kiel "),
        *(("uk", "Centrum") for _ in range(5)),
        ("uk", ""),
        ("fa", ""),
        ("fa", ""),
        ("ti", "Linkeroever"),
    ]
    signed = [
        person(programme, preferred_language=language, neighbourhood=place)
        for language, place in newcomers
    ]
    for _ in range(3):
        person(programme, role="volunteer", neighbourhood="Kiel")
    person(programme, signed_up=date(2020, 1, 1))  # the next year
    # Intakes: two newcomers and a volunteer in 2019, one newcomer the year after.
    volunteer = person(programme, role="volunteer", signed_up=date(2017, 5, 1), status="active")
    for who, held in ((signed[0], 5), (signed[1], 6), (volunteer, 7)):
        Intake.objects.create(
            participant=who,
            held_on=date(2019, held, 1),
            expectations_confirmed=True,
            commitment_confirmed=True,
        )
    Intake.objects.create(
        participant=signed[2],
        held_on=date(2020, 2, 1),
        expectations_confirmed=True,
        commitment_confirmed=True,
    )
    # Waiting when 2019 ended: one since June 2018 (matched in 2020), one since October 2019.
    long_wait = person(programme, signed_up=date(2018, 5, 1), status="matched")
    StatusChange.objects.create(
        participant=long_wait,
        from_status="intake_done",
        to_status="waiting",
        changed_at=moment(date(2018, 6, 1)),
    )
    StatusChange.objects.create(
        participant=long_wait,
        from_status="waiting",
        to_status="matched",
        changed_at=moment(date(2020, 2, 1)),
    )
    signed[3].status = "waiting"
    signed[3].waiting_since = moment(date(2019, 10, 1))
    signed[3].save()
    # Waited and was matched in 2019: not waiting at the end.
    matched = person(programme, signed_up=date(2018, 5, 1), status="active")
    StatusChange.objects.create(
        participant=matched,
        from_status="intake_done",
        to_status="waiting",
        changed_at=moment(date(2019, 3, 10)),
    )
    StatusChange.objects.create(
        participant=matched,
        from_status="waiting",
        to_status="matched",
        changed_at=moment(date(2019, 5, 1)),
    )
    # Duos.
    old = {"signed_up": date(2017, 1, 1), "status": "active"}
    members = [
        (person(programme, **old), person(programme, role="volunteer", **old)) for _ in range(4)
    ]
    completed = duo(
        programme,
        *members[0],
        start=date(2019, 2, 1),
        status="completed",
        ended_on=date(2019, 8, 1),
    )
    for day in range(1, 31):  # 30 times 80 minutes: 40 hours in 2019
        meeting(completed, on=date(2019, 3, 1).replace(day=1 + day % 28), minutes=80)
    stopped = duo(
        programme,
        *members[1],
        start=date(2018, 10, 1),
        status="stopped",
        ended_on=date(2019, 4, 1),
        reason="Verhuisd",
    )
    meeting(stopped, on=date(2018, 11, 5), minutes=500)
    meeting(stopped, on=date(2018, 12, 5), minutes=500)
    meeting(stopped, on=date(2019, 1, 5), minutes=700)
    meeting(stopped, on=date(2019, 2, 5), minutes=700)
    running = duo(programme, *members[2], start=date(2019, 6, 1))
    meeting(running, on=date(2019, 7, 1), minutes=120)
    meeting(running, on=date(2019, 7, 8), minutes=60, confirmed=False)
    duo(
        programme,
        *members[3],
        start=date(2017, 1, 1),
        status="completed",
        ended_on=date(2017, 7, 1),
    )
    return site


def test_the_figures_of_one_site_for_2019(ardooie):
    with translation.override("en"):
        report = yearly_report(sites=[ardooie], period=YEAR_2019)

    assert report.figure("newcomers_signed_up") == 16
    assert report.figure("volunteers_signed_up") == 3
    assert report.figure("newcomers_taken_in") == 2
    assert report.figure("volunteers_taken_in") == 1
    assert report.figure("newcomers_waiting") == 2
    # From 1 June 2018 noon (UTC) to the end of 2019, and from 1 October 2019.
    assert report.figure("newcomers_waiting_longest_days") == 578
    assert report.figure("newcomers_waiting_median_days") == pytest.approx((578 + 91) / 2)
    assert report.figure("volunteers_waiting") == 0
    assert report.figure("volunteers_waiting_median_days") is None
    assert report.figure("duos_started") == 2
    assert report.figure("newcomers_matched") == 2
    assert report.figure("duos_completed") == 1
    assert report.figure("duos_stopped") == 1
    assert report.figure("duo_median_days") == pytest.approx((181 + 182) / 2)
    assert report.figure("confirmed_hours") == pytest.approx(round((2400 + 1400 + 120) / 60, 1))
    assert report.figure("proofs") == 2  # reached 40 hours in 2019; the unconfirmed hour is not
    splits = {split.key: split for section in report.sections for split in section.splits}
    # ar 7, uk 6, fa 2, ti 1: the 3 small ones are too few together and take in Ukrainian.
    assert splits["newcomers_by_language"].cells == [("Arabic", 7), ("Other", 9)]
    # "Kiel" however typed is one neighbourhood; 3 not given and 1 Linkeroever are too few
    # together, so "Other" takes in Centrum (5).
    assert splits["newcomers_by_neighbourhood"].cells == [("Kiel", 7), ("Other", 9)]
    assert splits["volunteers_by_neighbourhood"].hidden
    assert splits["volunteers_by_neighbourhood"].total == 3
    assert splits["stop_reasons"].hidden  # one duo stopped: its reason is not shown


def test_another_site_s_people_are_not_counted_and_a_region_adds_them(ardooie, other_town):
    site, programme = other_town
    for _ in range(5):
        person(programme, preferred_language="ar", neighbourhood="Kiel")

    alone = yearly_report(sites=[ardooie], period=YEAR_2019)
    other = yearly_report(sites=[site], period=YEAR_2019)
    with translation.override("en"):
        region = yearly_report(sites=[ardooie, site], period=YEAR_2019)

    assert alone.figure("newcomers_signed_up") == 16
    assert other.figure("newcomers_signed_up") == 5
    assert other.figure("duos_started") == 0
    assert region.regional
    assert region.figure("newcomers_signed_up") == 21
    languages = next(s for s in region.section("people").splits if s.key == "newcomers_by_language")
    assert languages.cells == [("Arabic", 12), ("Other", 9)]


def test_the_programme_keys_of_a_site_are_those_of_the_programmes_in_its_tree(town, other_town):
    (site, programme), (other_site, other_programme) = town, other_town

    assert site_programme_keys([site]) == {programme.translation_key}
    assert site_programme_keys([site, other_site]) == {
        programme.translation_key,
        other_programme.translation_key,
    }


# --- The query budget ------------------------------------------------------------------------


def _queries(sites) -> int:
    with CaptureQueriesContext(connection) as captured:
        yearly_report(sites=sites, period=YEAR_2019)
    return len(captured)


@pytest.mark.django_db
def test_the_report_runs_the_same_queries_for_1_or_3_sites_and_10_or_200_people(
    django_assert_max_num_queries,
):
    towns = [municipality(f"Gemeente {n}") for n in range(3)]
    for _site, programme in towns:
        for number in range(10):
            newcomer = person(programme, neighbourhood="Kiel", status="waiting")
            volunteer = person(programme, role="volunteer")
            if number % 3 == 0:
                meeting(
                    duo(programme, newcomer, volunteer, start=date(2019, 4, 1)),
                    on=date(2019, 5, 1),
                    minutes=60,
                )
    small = _queries([towns[0][0]])
    for number in range(190):
        person(towns[0][1], neighbourhood=f"Wijk {number % 7}")

    with django_assert_max_num_queries(small):
        yearly_report(sites=[towns[0][0]], period=YEAR_2019)
    with django_assert_max_num_queries(small):
        yearly_report(sites=[site for site, _programme in towns], period=YEAR_2019)
    assert small <= 15


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["nl", "en", "fr", "ar", "uk", "fa", "ti"]),
            st.sampled_from(["Kiel", "kiel", "Centrum", "", "Linkeroever", "Dam"]),
            st.sampled_from(["Verhuisd", "verhuisd ", "Werk", ""]),
        ),
        max_size=40,
    )
)
def test_every_split_of_a_report_shows_no_cell_under_five_people(town, people):
    from buddypages.registry.models import Participant

    site, programme = town
    Participant.objects.filter(programme_key=programme.translation_key).delete()
    for language, place, reason in people:
        newcomer = person(
            programme, preferred_language=language, neighbourhood=place, status="waiting"
        )
        volunteer = person(programme, role="volunteer", neighbourhood=place)
        if reason:
            duo(
                programme,
                newcomer,
                volunteer,
                start=date(2019, 2, 1),
                status="stopped",
                ended_on=date(2019, 5, 1),
                reason=reason,
            )

    report = yearly_report(sites=[site], period=YEAR_2019)

    assert report.figure("newcomers_signed_up") == len(people)
    for section in report.sections:
        for split in section.splits:
            if split.hidden:
                continue
            assert all(count >= MIN_CELL for _label, count in split.cells), split
            assert sum(count for _label, count in split.cells) == split.total, split
