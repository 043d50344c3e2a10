"""The Atom feed of a calendar's upcoming activities (``<calendar URL>feed/``), read as a
social-media scheduler or a feed reader would."""

import re
from datetime import timedelta

import pytest
from lxml import html

from buddypages.calendar.occurrences import TIMEZONE
from buddypages.models import ActivityCalendarPage, ActivityOccurrenceChange
from tests.buddypages import factories
from tests.buddypages.atom_feeds import XML_LANG, read_feed

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
DUTCH_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
DUTCH_MONTHS += ("september", "oktober", "november", "december")


def month_nl(month: int) -> str:
    return DUTCH_MONTHS[month - 1]


def feed_url(calendar) -> str:
    return f"{calendar.url}feed/"


def demo_calendar(language: str) -> ActivityCalendarPage:
    return ActivityCalendarPage.objects.live().get(locale__language_code=language)


@pytest.fixture
def weekly(demo):
    """A fresh Dutch calendar: a weekly language café (4 dates, the second cancelled, the
    third moved a day later) and a walk that took place yesterday."""
    calendar = factories.calendar(demo.home_pages["nl"], slug="feed-kalender")
    start = factories.next_day_at(19, days=2)
    cafe = factories.activity(
        calendar,
        "Taalcafé",
        start,
        start + timedelta(hours=2),
        repeat="weekly",
        repeat_count=4,
        place_name="Buurthuis De Brug",
        place_address="Kerkstraat 1, 2999 Heidestad",
        summary="Samen Nederlands praten bij een kop koffie.",
        kind="buddy_cafe",
        audience="duos",
        changes=[
            ActivityOccurrenceChange(
                original_date=(start + timedelta(days=7)).date(), cancelled=True
            ),
            ActivityOccurrenceChange(
                original_date=(start + timedelta(days=14)).date(),
                new_start=start + timedelta(days=15, hours=1),
                new_end=start + timedelta(days=15, hours=3),
            ),
        ],
    )
    yesterday = factories.next_day_at(10, days=-1)
    factories.activity(calendar, "Wandeling", yesterday, yesterday + timedelta(hours=2))
    return calendar, cafe, start


def test_every_language_has_a_valid_feed_of_its_upcoming_activities(client, demo):
    calendars = ActivityCalendarPage.objects.live().select_related("locale")
    assert calendars.count() >= 5
    for calendar in calendars:
        language = calendar.locale.language_code
        feed = read_feed(client.get(feed_url(calendar)))
        assert feed.feed.language == language
        assert feed.root.get(XML_LANG) == language
        assert feed.feed.title == calendar.title
        assert feed.entries
        urls = {activity.get_full_url() for activity in calendar.activities()}
        assert {entry.link for entry in feed.entries} <= urls
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_each_date_says_when_and_where_in_dutch_soonest_first(client, weekly):
    calendar, cafe, start = weekly
    feed = read_feed(client.get(feed_url(calendar)))
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 4  # the walk of yesterday is not there
    assert not any("Wandeling" in title for title in titles)
    first = feed.entries[0]
    day = start.astimezone(TIMEZONE)
    weekday = DUTCH_WEEKDAYS[day.weekday()]
    assert (
        first.title
        == f"Taalcafé, {weekday} {day.day} {month_nl(day.month)} {day.year}, 19:00–21:00"
    )
    assert first.summary == (
        f"Wanneer: {weekday} {day.day} {month_nl(day.month)} {day.year}, 19:00–21:00\n"
        "Waar: Buurthuis De Brug, Kerkstraat 1, 2999 Heidestad\n"
        "\n"
        "Samen Nederlands praten bij een kop koffie."
    )
    assert first.link == cafe.get_full_url()
    assert first.link.startswith("http")
    assert {(tag.term, tag.label) for tag in first.tags} == {
        ("buddy_cafe", "Buddycafé"),
        ("duos", "Duo's"),
    }
    assert feed.feed.author == "Buddywerking"


def test_a_cancelled_date_and_a_moved_date_say_so(client, weekly):
    calendar, _cafe, start = weekly
    entries = read_feed(client.get(feed_url(calendar))).entries
    cancelled, moved = entries[1], entries[2]
    assert cancelled.title.startswith("Geannuleerd: Taalcafé, ")
    assert cancelled.summary.startswith("Deze datum gaat niet door.\nWanneer: ")
    moved_day = (start + timedelta(days=15)).astimezone(TIMEZONE)
    assert moved.title.startswith("Nieuwe datum: Taalcafé, ")
    assert moved.title.endswith(
        f"{moved_day.day} {month_nl(moved_day.month)} {moved_day.year}, 20:00–22:00"
    )
    old_day = (start + timedelta(days=14)).astimezone(TIMEZONE)
    assert f"Verplaatst van {DUTCH_WEEKDAYS[old_day.weekday()]} {old_day.day} " in moved.summary
    assert entries[3].title.startswith("Taalcafé, ")


def test_an_all_day_activity_over_two_days_names_both_days_and_no_time(client, weekly):
    calendar, _cafe, _start = weekly
    first = factories.next_day_at(0, days=5)
    factories.activity(
        calendar, "Stadsfeest", first, first + timedelta(days=1, hours=23), all_day=True
    )
    (entry,) = [
        e for e in read_feed(client.get(feed_url(calendar))).entries if "Stadsfeest" in e.title
    ]
    last = first + timedelta(days=1)
    assert entry.title == (
        f"Stadsfeest, {DUTCH_WEEKDAYS[first.weekday()]} {first.day} {month_nl(first.month)} "
        f"{first.year} – {DUTCH_WEEKDAYS[last.weekday()]} {last.day} {month_nl(last.month)} "
        f"{last.year}"
    )
    assert ":" not in entry.title  # no time of day


def test_a_date_keeps_its_id_when_it_moves_or_the_title_changes(client, weekly):
    calendar, cafe, start = weekly
    before = [entry.id for entry in read_feed(client.get(feed_url(calendar))).entries]
    assert all(entry_id.startswith("urn:uuid:") for entry_id in before)
    cafe.title = "Taalcafé in de bib"
    cafe.occurrence_changes.add(
        ActivityOccurrenceChange(
            original_date=(start + timedelta(days=21)).date(),
            new_start=start + timedelta(days=22),
            new_end=start + timedelta(days=22, hours=2),
        )
    )
    cafe.save_revision().publish()
    after = read_feed(client.get(feed_url(calendar))).entries
    assert [entry.id for entry in after] == before
    assert after[3].title.startswith("Nieuwe datum: Taalcafé in de bib, ")


def test_the_arabic_feed_says_cancelled_in_arabic(client, demo):
    calendar = demo_calendar("ar")
    start = factories.next_day_at(18, days=1)
    factories.activity(
        calendar,
        "مقهى اللغة",
        start,
        start + timedelta(hours=2),
        slug="maqha",
        repeat="weekly",
        repeat_count=2,
        changes=[ActivityOccurrenceChange(original_date=start.date(), cancelled=True)],
    )
    feed = read_feed(client.get(feed_url(calendar)))
    assert feed.root.get(XML_LANG) == "ar"
    (cancelled,) = [entry for entry in feed.entries if entry.title.startswith("ملغى: مقهى اللغة")]
    assert cancelled.summary.startswith("هذا الموعد ملغى.\nمتى: ")
    assert "18:00–20:00" in cancelled.title
    assert all(ARABIC.search(entry.title) for entry in feed.entries)
    # Day and month names in Arabic.
    assert ARABIC.search(cancelled.title.split("مقهى اللغة", 1)[1])


def test_the_calendar_page_links_to_its_feed_in_the_head_and_visibly(client, demo):
    calendar = demo_calendar("nl")
    feed = read_feed(client.get(feed_url(calendar)))
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{calendar.get_full_url()}feed/"
    page = html.fromstring(client.get(calendar.url).content)
    (head_link,) = page.find("head").xpath('link[@type="application/atom+xml"]')
    assert head_link.get("rel") == "alternate"
    assert head_link.get("href") == feed_url(calendar)
    assert head_link.get("title") == f"{calendar.title} (Atom-feed)"
    (visible,) = page.xpath('//main//a[@type="application/atom+xml"]')
    assert visible.text_content() == "Abonneren (Atom-feed)"
    assert visible.get("href") == feed_url(calendar)


def test_the_feed_costs_few_queries_and_comes_from_the_page_cache(
    client, weekly, django_assert_max_num_queries
):
    calendar, _cafe, _start = weekly
    for number in range(20):
        start = factories.next_day_at(10, days=number + 1)
        factories.activity(calendar, f"Activiteit {number}", start, start + timedelta(hours=1))
    client.get("/nl/")  # the site lookup is cached from now on, as on a running site
    # Wagtail's routing takes about 7; the feed adds the activities, their view restrictions
    # and their cancelled or moved dates, however many there are.
    with django_assert_max_num_queries(9):
        first = client.get(feed_url(calendar))
    assert len(read_feed(first).entries) == 24
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):
        second = client.get(feed_url(calendar))
    assert second["X-Page-Cache"] == "hit"


def test_a_query_string_changes_nothing(client, weekly):
    calendar, _cafe, _start = weekly
    plain = client.get(feed_url(calendar)).content
    for query in ("view=past", "kind=%00", "month=1999-99&x=%FF"):
        assert client.get(feed_url(calendar), QUERY_STRING=query).content == plain


def test_a_feed_shows_only_what_is_live_and_public(client, weekly):
    calendar, cafe, _start = weekly
    cafe.unpublish()
    # An empty feed is still a valid one (read_feed checks it).
    assert read_feed(client.get(feed_url(calendar))).entries == []
