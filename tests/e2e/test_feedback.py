"""The duo feedback form with its five faces in a real browser: accessible in Dutch, Arabic
and Tigrinya at 320 px, no sideways scrolling, answered with the keyboard alone."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 720}
# Where to keep the screenshots, to look at them (E2E_SCREENSHOTS=/some/dir); else none.
SHOTS = os.environ.get("E2E_SCREENSHOTS")


def shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def open_duo(moment: str = "midway"):
    from buddypages.duos.models import Duo
    from buddypages.duos.plans import moment_state

    # A demo duo whose moment is open now, with an action plan.
    return next(
        duo
        for duo in Duo.objects.filter(goals__isnull=False).distinct().order_by("pk")
        if moment_state(duo, moment) == "open"
    )


def feedback_url(code: str, role: str = "newcomer", moment: str = "midway") -> str:
    from buddypages.duos.tokens import duo_link_token

    return f"/{code}/duo/{duo_link_token(open_duo(moment), role)}/feedback/{moment}/"


@pytest.mark.parametrize(
    ("code", "very_good"), [("nl", "Heel goed"), ("ar", "جيد جدًا"), ("ti", "ኣዝዩ ጽቡቕ")]
)
def test_the_feedback_form_is_accessible_at_320_px(open_page, code, very_good):
    page = open_page(viewport=NARROW).page
    page.goto(feedback_url(code))
    groups = page.locator("fieldset.faces")
    expect(groups.first).to_be_visible()
    # Each face: a radio with a visible word as its accessible name, once per question.
    expect(page.get_by_role("radio", name=very_good, exact=True)).to_have_count(groups.count())
    expect(page.locator(".face__word", has_text=very_good).first).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 320 px"
    # All five faces of a question side by side, each big enough to tap.
    boxes = [face.bounding_box() for face in groups.first.locator(".face").all()]
    assert len(boxes) == 5
    assert len({round(box["y"]) for box in boxes}) == 1
    assert min(box["width"] for box in boxes) >= 44
    xs = [box["x"] for box in boxes]
    # Very bad to very good in reading order: right to left in Arabic.
    assert xs == (sorted(xs, reverse=True) if code == "ar" else sorted(xs))
    shoot(page, f"feedback-{code}.png")
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_member_answers_with_the_keyboard_alone(open_page):
    from buddypages.duos.models import DuoFeedback

    page = open_page(locale="ti", viewport=NARROW).page
    url = feedback_url("ti", role="volunteer")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "ti")
    questions = page.locator("fieldset.faces").count()
    # From the top of the page, Tab to the first face.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    chosen = []
    for _ in range(questions):
        name = page.evaluate("document.activeElement.name")
        page.keyboard.press("ArrowDown")  # choose another face of the same question
        assert page.evaluate("document.activeElement.name") == name
        chosen.append(int(page.evaluate("document.activeElement.value")))
        assert page.evaluate("document.activeElement.checked")
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Control+A")  # replace an earlier comment, if any
    page.keyboard.type("ብኣብነት ጽቡቕ እዩ")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    shoot(page, "feedback-ti-keyboard.png")
    page.keyboard.press("Enter")
    expect(page.locator("p[role=status]")).to_be_visible()
    answer = DuoFeedback.objects.get(duo=open_duo(), role="volunteer", moment="midway")
    assert answer.comment == "ብኣብነት ጽቡቕ እዩ"
    assert answer.overall == chosen[-1]
    assert sorted(answer.ratings.values_list("face", flat=True)) == sorted(chosen[:-1])
