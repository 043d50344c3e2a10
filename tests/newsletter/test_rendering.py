"""One issue, rendered per recipient: language, names, headers, links, activities."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import signing
from django.utils import timezone, translation

from newsletter.audiences import recipients_for
from newsletter.rendering import IssueRenderer, Recipient
from newsletter.tokens import read_unsubscribe_token

pytestmark = pytest.mark.django_db


def by_email(messages):
    return {m.to[0]: m for m in messages}


def render_all(issue, audiences, **kwargs):
    renderer = IssueRenderer(issue, **kwargs)
    return by_email(renderer.message(r) for r in recipients_for(audiences, programme_key=None))


def test_each_recipient_gets_their_language_and_dutch_when_missing(issue, people):
    messages = render_all(issue, ["everyone"])
    arabic = messages["rania@example.net"]
    assert arabic.subject == "أخبار برنامج الرفيق: ديسمبر"
    assert 'lang="ar" dir="rtl"' in arabic.alternatives[0][0]
    assert messages["claire@example.net"].subject.startswith("Nouvelles du programme buddy")
    # Tigrinya: no translation of this issue, so the Dutch one.
    renderer = IssueRenderer(issue)
    tigrinya = renderer.message(Recipient("t@example.net", "Selam", "ti", "newcomer"))
    assert tigrinya.subject == issue.subject
    assert 'lang="nl" dir="ltr"' in tigrinya.alternatives[0][0]


def test_a_duo_member_is_greeted_with_their_buddys_first_name(issue, people):
    messages = render_all(issue, ["duos"])
    to_rania = messages["rania@example.net"]
    assert "Rania" in to_rania.body
    assert "Wout" in to_rania.body
    assert "Nieuwsbrief" not in to_rania.body  # no last names
    assert "Rania" in messages["wout@example.net"].alternatives[0][0]


def test_one_copy_per_person_across_audiences_and_never_to_those_who_left(issue, people):
    recipients = recipients_for(["duos", "volunteers", "subscribers", "everyone"], None)
    emails = [r.email for r in recipients]
    assert len(emails) == len(set(emails))
    assert "wout@example.net" in emails
    assert "claire@example.net" in emails
    assert "stop@example.net" not in emails
    assert "claire@example.net" not in [r.email for r in recipients_for(["volunteers"], None)]


def test_headers_and_the_unsubscribe_token_round_trip(issue, people):
    message = render_all(issue, ["duos"])["wout@example.net"]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http")
    assert header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Id"].endswith(">")
    token = header.rstrip("/>").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token)[0] == people["volunteer"].pk
    with pytest.raises(signing.BadSignature):
        read_unsubscribe_token(token[:-3] + "abc")
    assert header[1:-1] in message.body


def test_html_is_inlined_with_absolute_images_links_and_a_text_twin(issue, people):
    message = render_all(issue, ["duos"])["rania@example.net"]
    html = message.alternatives[0][0]
    assert "<style" not in html
    assert 'style="' in html
    links = set(re.findall(r'href="([^"]+)"', html))
    assert links
    for link in links:
        assert link.startswith("http"), link
        assert link.replace("&amp;", "&") in message.body, link  # the text twin carries it
    for tag in re.findall(r"<img [^>]*>", html):
        assert 'alt="' in tag
        assert 'src="http' in tag


def test_upcoming_activities_are_only_after_the_send_date(issue, people):
    from buddypages.calendar.occurrences import occurrences_between
    from buddypages.models import ActivityPage

    later = timezone.now() + timedelta(days=20)
    renderer = IssueRenderer(issue, send_time=later)
    page = renderer.page_for("nl")
    context = renderer.context(page, kind="newcomer", in_duo=True, personal=True)
    (block,) = [b for b in context["blocks"] if b["type"] == "upcoming_activities"]
    starts = [item["occurrence"].start for item in block["occurrences"]]
    assert starts
    assert all(start >= later for start in starts)
    everything = occurrences_between(
        ActivityPage.objects.live().filter(locale=page.locale),
        after=timezone.now(),
        before=later + timedelta(weeks=6),
    )
    assert any(o.start < later for o in everything)  # there were earlier ones to leave out


def test_a_date_already_under_way_when_the_issue_is_sent_is_not_announced(issue, people):
    first = _upcoming(IssueRenderer(issue, send_time=timezone.now() + timedelta(days=20)))[0]
    assert first.end - first.start > timedelta(minutes=1)
    under_way = first.start + timedelta(minutes=1)
    listed = _upcoming(IssueRenderer(issue, send_time=under_way))
    assert listed  # later dates are still announced
    assert (first.activity.pk, first.start) not in {(o.activity.pk, o.start) for o in listed}
    assert all(o.start >= under_way for o in listed)


def _upcoming(renderer):
    page = renderer.page_for("nl")
    context = renderer.context(page, kind="newcomer", in_duo=True, personal=True)
    (block,) = [b for b in context["blocks"] if b["type"] == "upcoming_activities"]
    return [item["occurrence"] for item in block["occurrences"]]


def test_volunteers_do_not_get_newcomer_only_activities(issue, people):
    renderer = IssueRenderer(issue)
    page = renderer.page_for("nl")
    for kind, excluded in (("volunteer", "newcomers"), ("newcomer", "volunteers")):
        context = renderer.context(page, kind=kind, in_duo=False, personal=True)
        (block,) = [b for b in context["blocks"] if b["type"] == "upcoming_activities"]
        audiences = {item["occurrence"].activity.audience for item in block["occurrences"]}
        assert excluded not in audiences
        assert "duos" not in audiences


def test_the_language_tip_defaults_to_the_tip_of_the_week(issue, people):
    from buddypages.pages.selectors import language_tip_of_the_week

    html = render_all(issue, ["duos"])["wout@example.net"].alternatives[0][0]
    with translation.override("nl"):
        tip = language_tip_of_the_week()
    assert tip.phrase in html


def isolated(html: str) -> set[str]:
    """The text of every ``<bdi>`` in ``html``."""
    return {unescape(text) for text in re.findall(r"<bdi\b[^>]*>(.*?)</bdi>", html, re.S)}


def test_latin_names_and_places_keep_their_order_in_the_arabic_issue(issue, people):
    from newsletter.rendering import web_version_html

    messages = render_all(issue, ["duos"])
    arabic = messages["rania@example.net"]
    # "Dienstencentrum 't Hofke · 14:00": without isolation the apostrophe and the time
    # are reordered by the bidi algorithm around the Latin words.
    assert "Dienstencentrum 't Hofke" in isolated(arabic.alternatives[0][0])
    # ... and wraps as a whole (inlined: mail programs drop <style>).
    assert re.search(
        r'<bdi class="place" style="[^"]*display: inline-block', arabic.alternatives[0][0]
    )
    assert {"Rania", "Wout", "Buddywerking"} <= isolated(arabic.alternatives[0][0])
    assert "\u2068Wout\u2069" in arabic.body  # plain text: first strong isolate ... pop
    assert re.search(r"، \d\d:\d\d", arabic.alternatives[0][0])  # the Arabic comma
    assert not re.search(r", \d\d:\d\d", arabic.alternatives[0][0])
    dutch = messages["wout@example.net"]
    assert "Rania" in isolated(dutch.alternatives[0][0])
    assert "\u2068" not in dutch.body  # no invisible characters in left-to-right text
    arabic_page = IssueRenderer(issue).page_for("ar")
    assert "Dienstencentrum 't Hofke" in isolated(web_version_html(arabic_page))
