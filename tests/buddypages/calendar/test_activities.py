import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError

from buddypages.calendar.occurrences import occurrences
from buddypages.models import ActivityOccurrenceChange, ActivityPage
from tests.buddypages import factories

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def calendar_page(demo):
    # Turkish: the demo has a home page there and no calendar, so these tests own it.
    return factories.calendar(factories.home_page("tr"))


def test_weekly_activity_stays_at_19_00_across_the_daylight_saving_change(calendar_page):
    cafe = factories.activity(
        calendar_page,
        "Praattafel",
        at(2026, 10, 13, 19),
        at(2026, 10, 13, 21),
        repeat="weekly",
        repeat_count=4,
    )
    found = occurrences(cafe, after=at(2026, 10, 1), before=at(2026, 12, 1))
    assert [o.start.astimezone(BRUSSELS).hour for o in found] == [19, 19, 19, 19]
    # Summer time until 25 October 2026: the UTC hour moves, the local one does not.
    assert [o.start.astimezone(ZoneInfo("UTC")).hour for o in found] == [17, 17, 18, 18]
    assert [o.local_date for o in found] == [
        date(2026, 10, 13),
        date(2026, 10, 20),
        date(2026, 10, 27),
        date(2026, 11, 3),
    ]


def test_every_second_wednesday_with_a_cancelled_and_a_moved_date(calendar_page):
    cafe = factories.activity(
        calendar_page,
        "Buddycafé",
        at(2026, 12, 9, 19),
        at(2026, 12, 9, 21),
        repeat="monthly_weekday",
        repeat_count=4,
        changes=[
            ActivityOccurrenceChange(original_date=date(2027, 1, 13), cancelled=True),
            ActivityOccurrenceChange(
                original_date=date(2027, 2, 10),
                cancelled=False,
                new_start=at(2027, 2, 11, 18),
                new_end=at(2027, 2, 11, 20),
            ),
        ],
    )
    found = occurrences(cafe, after=at(2026, 12, 1), before=at(2027, 6, 1))
    assert [(o.start, o.moved) for o in found] == [
        (at(2026, 12, 9, 19), False),
        (at(2027, 2, 11, 18), True),
        (at(2027, 3, 10, 19), False),
    ]


def feed_occurrences(body: bytes, start: datetime, end: datetime) -> list[tuple]:
    calendar = icalendar.Calendar.from_ical(body)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        (e["SUMMARY"], e["DTSTART"].dt.astimezone(BRUSSELS), e["DTEND"].dt.astimezone(BRUSSELS))
        for e in events
    )


def test_feed_expands_to_the_same_occurrences_as_the_site(client, calendar_page):
    factories.activity(
        calendar_page,
        "Buddycafe",
        at(2026, 12, 9, 19),
        at(2026, 12, 9, 21),
        repeat="monthly_weekday",
        repeat_count=6,
        changes=[
            ActivityOccurrenceChange(original_date=date(2027, 1, 13), cancelled=True),
            ActivityOccurrenceChange(
                original_date=date(2027, 3, 10),
                cancelled=False,
                new_start=at(2027, 3, 11, 18),
                new_end=at(2027, 3, 11, 20),
            ),
        ],
    )
    factories.activity(
        calendar_page,
        "Praattafel",
        at(2026, 10, 13, 19),
        at(2026, 10, 13, 21),
        repeat="weekly",
        repeat_until=date(2026, 12, 31),
    )
    factories.activity(calendar_page, "Startmoment", at(2026, 11, 30, 14), at(2026, 11, 30, 17))
    response = client.get(calendar_page.url + "ical/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"BEGIN:VTIMEZONE" in body
    assert b"TZID:Europe/Brussels" in body
    assert b"RRULE:" in body
    assert b"EXDATE" in body
    assert b"RECURRENCE-ID" in body
    window = (at(2026, 10, 1), at(2027, 6, 1))
    site = sorted(
        (o.activity.title, o.start, o.end)
        for activity in ActivityPage.objects.child_of(calendar_page)
        for o in occurrences(activity, after=window[0], before=window[1])
    )
    assert feed_occurrences(body, *window) == site
    assert len(site) == 5 + 12 + 1


def test_uids_are_stable_across_saves(client, calendar_page):
    page = factories.activity(calendar_page, "Fietsles", at(2026, 12, 5, 10), at(2026, 12, 5, 12))
    first = icalendar.Calendar.from_ical(client.get(page.url + "ical/").content)
    page.title = "Fietsles voor beginners"
    page.save_revision().publish()
    second = icalendar.Calendar.from_ical(client.get(page.url + "ical/").content)
    uid = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uid == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in second.walk("VEVENT")] == ["Fietsles voor beginners"]


def test_end_before_start_is_refused_with_a_message(calendar_page):
    page = ActivityPage(
        title="Fout",
        slug="fout",
        start=at(2026, 12, 5, 10),
        end=at(2026, 12, 5, 9),
        locale=calendar_page.locale,
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "end" in error.value.message_dict


@pytest.mark.parametrize(
    "view", ["", "?view=month&month={this_month}", "?view=past", "?view=month&month=bad"]
)
def test_calendar_views_with_500_activities_stay_within_15_queries(
    client, calendar_page, view, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    # Around today, so the upcoming, past and this month's views all show activities.
    now = datetime.now(BRUSSELS).replace(minute=0, second=0, microsecond=0)
    start = now - timedelta(days=30)
    for number in range(500):
        first = start + timedelta(days=number % 60, hours=number % 5)
        factories.activity(
            calendar_page,
            f"Activiteit {number}",
            first,
            first + timedelta(hours=2),
            slug=f"activiteit-{number}",
            repeat="weekly" if number % 10 == 0 else "",
            repeat_count=8 if number % 10 == 0 else None,
        )
    client.get(calendar_page.url)  # warm the site and menu caches
    view = view.format(this_month=now.strftime("%Y-%m"))
    with django_assert_max_num_queries(15):
        response = client.get(calendar_page.url + view)
    assert response.status_code == 200
    assert response.content.decode().count('class="occurrence"') >= 20


def test_occurrences_api_expands_recurrences_by_locale(client, calendar_page):
    factories.activity(
        calendar_page,
        "Praattafel",
        at(2026, 12, 1, 19),
        at(2026, 12, 1, 21),
        repeat="weekly",
        repeat_count=10,
    )
    data = client.get(
        "/api/v2/occurrences/", {"start": "2026-12-01", "end": "2027-01-01", "locale": "tr"}
    ).json()
    assert data["meta"]["total_count"] == 5
    assert data["items"][0]["start"] == "2026-12-01T19:00:00+01:00"
    assert client.get("/api/v2/occurrences/", {"locale": "nl"}).status_code == 400
    assert (
        client.get("/api/v2/occurrences/", {"start": "2027-01-01", "end": "2026-12-01"}).status_code
        == 400
    )
    assert (
        client.get("/api/v2/occurrences/", {"start": "2026-01-01", "end": "2028-01-01"}).status_code
        == 400
    )


@pytest.mark.parametrize("code", ["tr"])
def test_calendar_page_and_activity_render_with_lang_and_dir(client, calendar_page, code):
    page = factories.activity(
        calendar_page,
        "Bibbezoek",
        at(2026, 12, 5, 10),
        at(2026, 12, 5, 12),
        place_address="Kerkstraat 1, 2999 Heidestad",
    )
    body = client.get(page.url).content.decode()
    assert f'<html lang="{code}" dir="ltr">' in body
    assert "openstreetmap.org/search?query=Kerkstraat" in body
    assert 'href="' + page.url + 'ical/"' in body


def test_feed_text_carries_the_pages_language(client, demo):
    from buddypages.models import ActivityPage

    activity = ActivityPage.objects.filter(locale__language_code="ar").first()
    body = client.get(activity.url + "ical/").content.decode()
    assert "SUMMARY;LANGUAGE=ar:" in body
    assert activity.title in icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]


def test_a_date_moved_to_another_day_shows_up_and_can_be_booked(calendar_page):
    from buddypages.calendar.services import activity_signup_create

    now = datetime.now(BRUSSELS).replace(hour=19, minute=0, second=0, microsecond=0)
    first = now + timedelta(days=2)
    moved_to = first + timedelta(days=10, hours=-1)
    page = factories.activity(
        calendar_page,
        "Verplaatst",
        first,
        first + timedelta(hours=2),
        slug="verplaatst",
        repeat="weekly",
        repeat_count=3,
        capacity=4,
        changes=[
            ActivityOccurrenceChange(
                original_date=(first + timedelta(days=7)).date(),
                cancelled=False,
                new_start=moved_to,
            )
        ],
    )
    # A window that holds the new date but not the original one.
    window = occurrences(
        page, after=moved_to - timedelta(hours=1), before=moved_to + timedelta(hours=3)
    )
    assert [(o.start, o.moved) for o in window] == [(moved_to, True)]
    signup = activity_signup_create(
        activity=page,
        occurrence_start=moved_to,
        name="A",
        email="a@example.org",
        places=1,
        language="tr",
    )
    assert signup.status == "confirmed"


def test_all_day_recurring_feed_uses_dates_for_exceptions(client, calendar_page):
    page = factories.activity(
        calendar_page,
        "Stadsfeest",
        at(2027, 5, 1, 0),
        at(2027, 5, 1, 23, 59),
        slug="feest",
        all_day=True,
        repeat="monthly_day",
        repeat_until=date(2027, 8, 31),
        changes=[ActivityOccurrenceChange(original_date=date(2027, 6, 1), cancelled=True)],
    )
    body = client.get(page.url + "ical/").content.decode()
    assert "DTSTART;VALUE=DATE:20270501" in body
    assert "EXDATE;VALUE=DATE:20270601" in body
    assert "UNTIL=20270831" in body
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        date(2027, 4, 1), date(2027, 10, 1)
    )
    assert sorted(e["DTSTART"].dt for e in events) == [
        date(2027, 5, 1),
        date(2027, 7, 1),
        date(2027, 8, 1),
    ]


def test_activities_without_an_end_repeat_for_a_year_not_for_ever(calendar_page):
    page = factories.activity(
        calendar_page,
        "Eindeloos",
        at(2027, 1, 5, 19),
        at(2027, 1, 5, 21),
        slug="eindeloos",
        repeat="weekly",
    )
    found = occurrences(page, after=at(2027, 1, 1), before=at(2030, 1, 1))
    assert 52 <= len(found) <= 53
    assert found[-1].start < at(2028, 1, 6)


def test_occurrences_api_refuses_odd_input_with_a_message(client, calendar_page):
    factories.activity(
        calendar_page,
        "Wekelijks",
        at(2027, 1, 5, 19),
        at(2027, 1, 5, 21),
        slug="wekelijks",
        repeat="weekly",
        repeat_count=5,
    )
    for params in (
        {"start": "0001-01-01", "end": "0001-02-01"},
        {"start": "2027-01-01", "end": "2027-02-01", "x": "1"},
    ):
        response = client.get("/api/v2/occurrences/", params)
        assert response.status_code == 400
        assert response.json()["message"]


def test_private_activities_stay_off_the_public_calendar(client, calendar_page, settings):
    from wagtail.models import PageViewRestriction

    settings.PAGE_CACHE_SECONDS = 0
    now = datetime.now(BRUSSELS) + timedelta(days=3)
    page = factories.activity(calendar_page, "Geheim", now, now + timedelta(hours=1), slug="geheim")
    assert "Geheim" in client.get(calendar_page.url).content.decode()
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert "Geheim" not in client.get(calendar_page.url).content.decode()
    assert b"Geheim" not in client.get(calendar_page.url + "ical/").content


def test_the_arabic_activity_and_calendar_isolate_the_dutch_place(client, demo):
    praattafel = ActivityPage.objects.get(locale__language_code="ar", slug="praattafel")
    place = "Dienstencentrum &#x27;t Hofke</bdi>"  # "'t" and "· 14:00" stay in place
    activity = client.get(praattafel.url).content.decode()
    assert f"<bdi>{place}" in activity
    assert "<bdi>Kerkstraat 40, 2999 Heidestad</bdi>" in activity
    calendar = client.get(praattafel.get_parent().url).content.decode()
    assert f' · <bdi class="place">{place}' in calendar  # wraps as a whole, too
    # The day and the time joined by the Arabic comma, not a Latin one.
    assert re.search(r"\d{4}، \d\d:\d\d–", calendar)
    assert not re.search(r"\d{4}, \d\d:\d\d", calendar)
    # The month of its first date (the demo's is three days away: next month on the 29th).
    first_month = f"?view=month&month={praattafel.start.astimezone(BRUSSELS):%Y-%m}"
    month = client.get(praattafel.get_parent().url + first_month).content.decode()
    assert "<bdi>طاولة المحادثة بالهولندية</bdi>" in month  # the title after the time


@pytest.mark.parametrize("code", ["nl", "ar", "fr"])
def test_the_list_writes_dates_as_the_date_filters_did(calendar_page, code):
    from django.template import Context, Template
    from django.utils import translation

    evening = factories.activity(calendar_page, "Avond", at(2026, 3, 4, 19), at(2026, 3, 4, 21))
    day = factories.activity(
        calendar_page, "Dag", at(2026, 3, 5, 0), at(2026, 3, 5, 23, 59), all_day=True
    )
    filters = Template(
        "{% load i18n %}{% if occurrence.activity.all_day %}"
        '{{ occurrence.start|date:"l j F Y" }}{% else %}{% blocktranslate with '
        'day=occurrence.start|date:"l j F Y" time=occurrence.start|time:"H:i" %}{{ day }}, '
        '{{ time }}{% endblocktranslate %}–{{ occurrence.end|time:"H:i" }}{% endif %}|'
        "{{ occurrence.start|date:'Y-m-d\\TH:i:sO' }}"
    )
    written = []
    with translation.override(code):
        for activity in (evening, day):
            (occurrence,) = occurrences(activity, after=at(2026, 3, 1), before=at(2026, 3, 9))
            expected = filters.render(Context({"occurrence": occurrence}))
            assert f"{occurrence.when}|{occurrence.datetime_attribute}" == expected
            written.append(expected)
    assert written[0].endswith("19:00–21:00|2026-03-04T19:00:00+0100")
    assert written[1].endswith("2026|2026-03-05T00:00:00+0100")
    if code == "nl":
        assert written[0].startswith("woensdag 4 maart 2026, 19:00")


def test_kind_and_audience_labels_follow_the_language(calendar_page):
    from django.utils import translation

    cafe = factories.activity(
        calendar_page, "Café", at(2026, 3, 4, 19), at(2026, 3, 4, 21), kind="buddy_cafe"
    )
    cafe.audience = "volunteers"
    with translation.override("nl"):
        assert (cafe.get_kind_display(), cafe.get_audience_display()) == (
            "Buddycafé",
            "Vrijwilligers",
        )
    with translation.override("en"):
        assert (cafe.get_kind_display(), cafe.get_audience_display()) == (
            "Buddy café",
            "Volunteers",
        )
    cafe.kind = "no-longer-a-kind"
    assert cafe.get_kind_display() == "no-longer-a-kind"


def test_a_new_activity_shows_on_the_calendar_at_once(client, calendar_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    start = factories.next_day_at(10)
    factories.activity(calendar_page, "Eerste", start, start + timedelta(hours=1))
    assert "Eerste" in client.get(calendar_page.url).content.decode()
    later = factories.activity(calendar_page, "Tweede", start, start + timedelta(hours=2))
    later.save_revision().publish()
    body = client.get(calendar_page.url).content.decode()
    assert "Eerste" in body
    assert "Tweede" in body
    assert client.get(calendar_page.url + "ical/").content.count(b"BEGIN:VEVENT") == 2


def test_the_ical_feed_is_stamped_when_asked_and_follows_a_changed_title(
    client, calendar_page, settings
):
    from django.utils import timezone

    settings.PAGE_CACHE_SECONDS = 0
    start = factories.next_day_at(10)
    cafe = factories.activity(calendar_page, "Praattafel", start, start + timedelta(hours=1))
    cafe.save_revision().publish()
    url = calendar_page.url + "ical/"
    first = icalendar.Calendar.from_ical(client.get(url).content)
    asked = timezone.now()
    second = icalendar.Calendar.from_ical(client.get(url).content)
    (event,) = second.walk("VEVENT")
    assert event["DTSTAMP"].dt >= asked.replace(microsecond=0)
    assert [tz["TZID"] for tz in second.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert first.walk("VEVENT")[0]["UID"] == event["UID"]
    cafe.title = "Praattafel;TZID=Europe/Paris:vrijdag"
    cafe.save_revision().publish()
    third = icalendar.Calendar.from_ical(client.get(url).content)
    assert str(third.walk("VEVENT")[0]["SUMMARY"]) == cafe.title
    assert [tz["TZID"] for tz in third.walk("VTIMEZONE")] == ["Europe/Brussels"]
