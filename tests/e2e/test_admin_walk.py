"""A walk through every admin screen this project adds, as the coordinator, on demo data.

Asserts what a person reads: the chart's numbers are the database's, dates ahead read as
dates ahead, no two figures run together. Screenshots land in ``var/screens/`` to look at.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password-123"  # noqa: S105
SCREENS = Path(settings.VAR_DIR) / "screens"
# A word glued to a figure ("waiting292"), or a figure glued to a word ("4active").
GLUED = re.compile(r"[a-z]{3,}\d+|\d+[a-z]{3,}")


@pytest.fixture
def coordinator_page(browser, demo_site):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="coordinator")
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(
        base_url=demo_site, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/admin/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{demo_site}/admin/")
    yield page
    context.close()


def look(page, name: str) -> str:
    """Screenshot the screen and return what a person reads in its main area."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"admin-{name}.png"), full_page=True)
    text = page.locator("main").inner_text()
    assert "Just now" not in text, name
    glued = GLUED.findall(text)
    assert glued == [], f"{name}: figures and words run together: {glued}"
    return text


def number(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def test_the_coordinator_walks_every_screen(coordinator_page, demo_site):
    from buddypages.duos.models import Duo, MatchProposal
    from buddypages.models import ProgrammePage
    from buddypages.registry.models import Participant
    from newsletter.models import NewsletterIssuePage, Send, Suppression

    page = coordinator_page
    waiting = Participant.objects.awaiting_match()
    today = timezone.localdate()

    # Dashboard: four figures, each its own item, with the database's numbers.
    page.goto("/admin/")
    look(page, "dashboard")
    items = page.locator("[data-duo-summary] li")
    expect(items).to_have_count(4)
    figures = [number(items.nth(i).inner_text()) for i in range(4)]
    assert figures[:3] == [
        waiting.filter(role="newcomer").count(),
        waiting.filter(role="volunteer").count(),
        Duo.objects.running().count(),
    ]
    boxes = [items.nth(i).bounding_box() for i in range(4)]
    for left, right in zip(boxes, boxes[1:], strict=False):
        same_line = abs(left["y"] - right["y"]) < left["height"] / 2
        if same_line:
            assert right["x"] - (left["x"] + left["width"]) >= 16, "figures touch"
    # The chart: the Arabic row shows the waiting volunteers who speak Arabic, not zero.
    arabic = page.locator("tr[data-bar-row=ar]").first
    supply = number(arabic.locator("[data-supply]").inner_text())
    speakers = waiting.filter(role="volunteer", spoken_languages__code="ar").count()
    assert supply == speakers > 0
    demand = number(arabic.locator("[data-demand]").inner_text())
    assert demand == waiting.filter(role="newcomer", spoken_languages__code="ar").count()
    for code in ("uk", "ti"):
        row = page.locator(f"tr[data-bar-row={code}]")
        if row.count():
            assert (
                number(row.first.locator("[data-supply]").inner_text())
                == waiting.filter(role="volunteer", spoken_languages__code=code).count()
            )
    # The midway feedback due this week, as a date ahead.
    due = Duo.objects.feedback_due(on=today + timedelta(days=7)).order_by("feedback_due").first()
    assert due is not None
    assert due.feedback_due >= today
    feedback = page.locator("#duo-dashboard-heading ~ ul").last
    expect(feedback).to_contain_text(f"({relative(due.feedback_due - today)})")

    # Participants: the list, then a waiting newcomer's page.
    page.goto("/admin/participants/")
    text = look(page, "participants")
    newcomer = waiting.filter(role="newcomer").order_by("-created_at").first()
    assert newcomer.full_name in text
    page.goto(f"/admin/participants/inspect/{newcomer.pk}/")
    text = look(page, "participant")
    assert newcomer.full_name in text
    assert newcomer.email in text

    # Matching: the waiting counts per programme, proposals, weights, speed date.
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    page.goto("/admin/matching/")
    text = look(page, "matching")
    key = programme.translation_key
    row = page.locator("tr", has_text=programme.title).first
    cells = row.locator("td")
    assert [number(cells.nth(i).inner_text()) for i in (1, 2, 3)] == [
        waiting.filter(programme_key=key, role="newcomer").count(),
        waiting.filter(programme_key=key, role="volunteer").count(),
        MatchProposal.objects.filter(programme_key=key, status="draft").count(),
    ]
    page.goto(f"/admin/matching/{programme.pk}/")
    text = look(page, "matching-programme")
    drafts = MatchProposal.objects.filter(programme_key=key, status="draft")
    first = drafts.select_related("newcomer").first()
    assert first.newcomer.full_name in text
    expect(
        page.locator("form", has=page.locator("input[name=action][value=weights]"))
    ).to_be_visible()
    page.goto(f"/admin/matching/{programme.pk}/pairs/")
    look(page, "speed-date")

    # Duos: every running duo's planned end and midway feedback read as what they are.
    page.goto("/admin/duos/")
    look(page, "duos")
    for duo in Duo.objects.filter(programme_key=key):
        row = page.locator("tbody tr", has_text=str(duo)).filter(
            has=page.locator(f"time[datetime='{duo.start_date.isoformat()}']")
        )
        expect(row).to_have_count(1)
        planned = row.locator(f"time[datetime='{duo.planned_end.isoformat()}']")
        expect(planned).to_have_count(1)
        row_text = row.inner_text()
        if duo.planned_end > today:
            assert f"({relative(duo.planned_end - today)})" in row_text, row_text
        assert f"({relative(duo.start_date - today)})" in row_text
    duo = next(d for d in Duo.objects.with_hours().filter(programme_key=key) if d.has_proof())
    page.goto(f"/admin/duos/inspect/{duo.pk}/")
    text = look(page, "duo")
    assert f"{duo.confirmed_hours()} of 40 hours confirmed" in text

    # Newsletter: a send, its progress, the sends list and the suppressed addresses.
    issue = NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")
    try:
        walk_the_newsletter_screens(page, issue)
    finally:  # the browser session shares the demo: leave the issue unsent, as it was
        Send.objects.filter(issue=issue).delete()
        Suppression.objects.filter(email="bounced@example.org").delete()
        NewsletterIssuePage.objects.filter(translation_key=issue.translation_key).update(
            sent_at=None
        )


def walk_the_newsletter_screens(page, issue):
    from newsletter import outbox
    from newsletter.models import Suppression

    Suppression.objects.get_or_create(email="bounced@example.org", defaults={"reason": "bounced"})
    send = outbox.send_start(issue=issue, audiences=["duos"])
    send.refresh_from_db()
    page.goto(f"/admin/newsletter/sends/{send.pk}/progress/")
    text = look(page, "send-progress")
    sent = send.deliveries.filter(status="sent").count()
    expect(page.locator("[data-field=sent]")).to_have_text(str(sent))
    assert sent > 0
    page.goto("/admin/newsletter_sends/")
    text = look(page, "sends")
    assert issue.title in text or send.subject in text
    page.goto("/admin/newsletter_suppressions/")
    text = look(page, "suppressions")
    assert "bounced@example.org" in text


def relative(delta: timedelta) -> str:
    """What the screens print for a date this far away (English, as the walk's browser)."""
    from django.utils import translation

    from buddypages.core.admin_dates import relative_day

    with translation.override("en"):
        today = timezone.localdate()
        return relative_day(today + delta, today=today)
