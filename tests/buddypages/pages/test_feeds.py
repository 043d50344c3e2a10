"""The Atom feed of language tips (``<tips overview URL>feed/``), read as a feed reader would."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html

from buddypages.models import LanguageTipIndexPage
from tests.buddypages import factories
from tests.buddypages.atom_feeds import XML_LANG, read_feed

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")


def feed_url(index) -> str:
    return f"{index.url}feed/"


def overview(language: str) -> LanguageTipIndexPage:
    return LanguageTipIndexPage.objects.live().get(locale__language_code=language)


def test_every_language_has_a_valid_feed_of_its_own_tips(client, demo):
    indexes = LanguageTipIndexPage.objects.live().select_related("locale")
    assert indexes.count() >= 5
    for index in indexes:
        language = index.locale.language_code
        feed = read_feed(client.get(feed_url(index)))
        assert feed.feed.language == language
        assert feed.root.get(XML_LANG) == language
        assert feed.feed.title == index.title
        tips = list(index.tips()[:20])
        assert [entry.title for entry in feed.entries] == [tip.title for tip in tips]
        assert [entry.link for entry in feed.entries] == [tip.get_full_url() for tip in tips]


def test_the_newest_tip_comes_first_with_its_phrase_meaning_and_dates(client, demo):
    index = overview("nl")
    newest = factories.tip(
        index,
        "Tot straks",
        meaning="Dat zeg je als je iemand later op de dag terugziet.",
        level="A2",
        first_published_at=timezone.now() + timedelta(minutes=1),
    )
    feed = read_feed(client.get(feed_url(index)))
    first = feed.entries[0]
    assert first.title == "Tot straks"
    assert first.link == newest.get_full_url()
    assert first.link.startswith("http")
    assert first.summary.startswith("Tot straks\n\nDat zeg je als je iemand later")
    assert first.published_parsed[:5] == newest.first_published_at.utctimetuple()[:5]
    assert first.updated_parsed is not None
    assert {tag.term for tag in first.tags} == {"A2"}
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    assert len(feed.entries) == min(index.tips().count(), 20)


def test_the_arabic_feed_is_in_arabic_with_the_dutch_phrase(client, demo):
    index = overview("ar")
    feed = read_feed(client.get(feed_url(index)))
    assert feed.root.get(XML_LANG) == "ar"
    assert feed.feed.language == "ar"
    assert ARABIC.search(feed.feed.title)
    assert feed.entries
    assert all(ARABIC.search(entry.title) for entry in feed.entries)
    tip = index.tips().first()
    assert feed.entries[0].summary.startswith(tip.phrase)  # the phrase stays Dutch
    assert ARABIC.search(feed.entries[0].summary)
    # The themes read in Arabic too, under their stable key.
    labels = {tag.term: tag.label for entry in feed.entries for tag in entry.tags}
    assert ARABIC.search(labels[tip.theme.key])


def test_an_entry_keeps_its_id_when_its_title_changes_and_differs_per_language(client, demo):
    index = overview("nl")
    tip = index.tips().first()
    before = read_feed(client.get(feed_url(index))).entries[0].id
    tip.title = "Een nieuwe titel"
    tip.save_revision().publish()
    after = read_feed(client.get(feed_url(index))).entries[0]
    assert after.title == "Een nieuwe titel"
    assert after.id == before
    assert before.startswith("urn:uuid:")
    arabic = tip.get_translation(overview("ar").locale)
    arabic_entry = next(
        entry
        for entry in read_feed(client.get(feed_url(overview("ar")))).entries
        if entry.link == arabic.get_full_url()
    )
    assert arabic_entry.id != before


def test_a_control_character_pasted_into_a_tip_does_not_break_the_feed(client, demo):
    index = overview("nl")
    factories.tip(
        index,
        "Tot\x0b straks",
        meaning="Een\x1b uitleg\x08.",
        first_published_at=timezone.now() + timedelta(minutes=1),
    )
    first = read_feed(client.get(feed_url(index))).entries[0]
    assert first.title == "Tot straks"
    assert first.summary == "Tot straks\n\nEen uitleg."


def test_an_unpublished_tip_leaves_the_feed(client, demo):
    index = overview("nl")
    tip = index.tips().first()
    tip.unpublish()
    links = [entry.link for entry in read_feed(client.get(feed_url(index))).entries]
    assert tip.get_full_url() not in links


def test_a_tip_behind_a_password_stays_out_of_the_feed(client, demo):
    from wagtail.models import PageViewRestriction

    index = overview("nl")
    tip = index.tips().first()
    PageViewRestriction.objects.create(
        page=tip, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    links = [entry.link for entry in read_feed(client.get(feed_url(index))).entries]
    assert tip.get_full_url() not in links
    assert len(links) == min(index.tips().public().count(), 20)


def test_the_feed_has_the_site_as_author_and_no_personal_data(client, demo):
    from buddypages.registry.models import Participant

    response = client.get(feed_url(overview("nl")))
    body = response.content.decode()
    feed = read_feed(response)
    assert feed.feed.author == "Buddywerking"
    assert re.findall(r"<name>(.*?)</name>", body) == ["Buddywerking"]  # no person, ever
    assert "<email>" not in body
    assert "@" not in body
    participants = Participant.objects.exclude(email="")
    assert participants.count() >= 10  # the demo's fake people, who must not show up
    for participant in participants:
        assert participant.email not in body
        assert not participant.phone or participant.phone not in body


def test_the_overview_and_a_tip_link_to_the_feed_in_their_head_and_back(client, demo):
    index = overview("ar")
    feed = read_feed(client.get(feed_url(index)))
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    alternate = next(link.href for link in feed.feed.links if link.rel == "alternate")
    assert self_link == f"{index.get_full_url()}feed/"
    assert alternate == index.get_full_url()
    for page in (index, index.tips().first()):
        head = html.fromstring(client.get(page.url).content).find("head")
        (link,) = head.xpath('link[@rel="alternate"][@type="application/atom+xml"]')
        assert link.get("href") == feed_url(index)
        assert index.title in link.get("title")
        assert "Atom" in link.get("title")


def test_the_feed_costs_few_queries_and_comes_from_the_page_cache(
    client, demo, django_assert_max_num_queries
):
    index = overview("nl")
    client.get("/nl/")  # the site lookup is cached from now on, as on a running site
    # Wagtail's routing takes about 7 (the page, its type, its ancestors' restrictions);
    # the feed adds two, its tips and their view restrictions, however many tips there are.
    for number in range(25):
        factories.tip(index, f"Zin {number}")
    with django_assert_max_num_queries(9):
        first = client.get(feed_url(index))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):
        second = client.get(feed_url(index))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_a_query_string_changes_nothing_and_is_not_stored(client, demo):
    index = overview("fr")
    plain = client.get(feed_url(index))
    for query in ("page=abc", "x=%00%FF", "format=rss&lang=ar"):
        response = client.get(feed_url(index), QUERY_STRING=query)
        assert response.content == plain.content
        assert "X-Page-Cache" not in response
