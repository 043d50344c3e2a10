"""A Dutch place in an Arabic line keeps its own order and stays on one line.

In an Arabic line "<date>، 14:00 · Dienstencentrum 't Hofke", the place is left-to-right
text inside right-to-left text: not isolated and free to wrap, it was laid out as
"Dienstencentrum 't · 14:00" with "Hofke" on the next line.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = pytest.mark.e2e

PLACE = "Dienstencentrum 't Hofke"
WORDS = ["Dienstencentrum", "'t", "Hofke"]

# The boxes of the place's words, of the place and of the first time ("14:00") in its line.
GEOMETRY = """(place, words) => {
  const range = document.createRange();
  const box = (node, start, length) => {
    range.setStart(node, start);
    range.setEnd(node, start + length);
    return range.getBoundingClientRect().toJSON();
  };
  const text = place.firstChild;
  const found = {};
  for (const word of words) found[word] = box(text, text.data.indexOf(word), word.length);
  let time = null;
  const walker = document.createTreeWalker(place.parentElement, NodeFilter.SHOW_TEXT);
  while (!time && walker.nextNode()) {
    const at = walker.currentNode.data.search(/\\d\\d:\\d\\d/);
    if (at >= 0) time = box(walker.currentNode, at, 5);
  }
  return {place: place.getBoundingClientRect().toJSON(), words: found, time};
}"""


def assert_one_line_in_its_own_order(place) -> None:
    expect(place).to_have_text(PLACE)
    geometry = place.evaluate(GEOMETRY, WORDS)
    boxes = [geometry["words"][word] for word in WORDS]
    tops = {round(box["top"]) for box in boxes}
    assert len(tops) == 1, f"the place is split over lines: {boxes}"
    lefts = [box["left"] for box in boxes]
    assert lefts == sorted(lefts), f"the place's words are not left to right: {boxes}"
    time, outer = geometry["time"], geometry["place"]
    if time is not None:  # nothing of the line sits inside the place
        assert (
            time["right"] <= outer["left"] + 1
            or time["left"] >= outer["right"] - 1
            or time["bottom"] <= outer["top"] + 1
            or time["top"] >= outer["bottom"] - 1
        ), f"the time {time} is inside the place {outer}"


def test_the_arabic_newsletter_keeps_the_place_next_to_the_time_whole(open_page):
    from newsletter.models import NewsletterIssuePage

    issues = NewsletterIssuePage.objects.filter(slug="december")
    issues.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    page = open_page(locale="ar", viewport=PHONE).page
    page.goto(issues.get(locale__language_code="ar").url)
    place = page.locator("bdi.place", has_text="Hofke").first
    assert place.evaluate("(el) => getComputedStyle(el.parentElement).direction") == "rtl"
    assert_one_line_in_its_own_order(place)


@pytest.mark.parametrize("width", [320, 390])
def test_the_arabic_calendar_keeps_the_place_whole(open_page, width):
    from buddypages.models import ActivityPage

    calendar = ActivityPage.objects.get(locale__language_code="ar", slug="praattafel").get_parent()
    page = open_page(locale="ar", viewport={**PHONE, "width": width}).page
    page.goto(calendar.url)
    place = page.locator(".occurrence__meta bdi.place", has_text="Hofke").first
    assert_one_line_in_its_own_order(place)
