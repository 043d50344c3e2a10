"""The widgets on the municipality's own website (another origin: ``localhost`` on its own
port, while the buddy site is ``127.0.0.1``): three snippets, as the Embed panel gives them,
a sign-up inside the frame, frames that grow to their content, and a site that may not frame
them."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .test_programme_and_tips import axe_violations

pytestmark = pytest.mark.e2e

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def first_town(model, lang: str, **filters):
    """``model``'s page of the first municipality in ``lang`` (a browser test may have added a
    second town and the region's tips library: each has pages of the same kinds). Each
    language's pages hang under that language's home page: found through the Dutch one."""
    from wagtail.models import Locale, Site

    default = Site.objects.get(is_default_site=True)
    dutch = model.objects.in_site(default).get(locale__language_code="nl", **filters)
    return dutch.get_translation(Locale.objects.get(language_code=lang))


def snippets(buddy: str, lang: str) -> str:
    """The three widgets' snippets, built as the admin's Embed panel builds them."""
    from django.urls import reverse
    from django.utils import translation

    from buddypages.models import ActivityCalendarPage, LanguageTipIndexPage, RegistrationPage
    from buddypages.pages.embed_panel import snippet

    form = first_town(RegistrationPage, lang, role="newcomer")
    calendar = first_town(ActivityCalendarPage, lang)
    tips = first_town(LanguageTipIndexPage, lang)
    script = buddy + "/embed.js"
    with translation.override(lang):
        frames = [
            (
                buddy + form.url,
                reverse(
                    "buddypages:embed-signup",
                    kwargs={"programme": form.get_parent().slug, "role": "newcomer"},
                ),
                "Inschrijven",
            ),
            (buddy + calendar.url, reverse("buddypages:embed-calendar"), "Activiteiten"),
            (buddy + tips.url, reverse("buddypages:embed-tip"), "Taaltip"),
        ]
    return "\n".join(
        snippet(link=link, frame=buddy + frame, script=script, label=label)
        for link, frame, label in frames
    )


@pytest.fixture
def municipal_site(demo_site):
    """The municipality's website: one page with the three widgets, in Dutch or Arabic."""
    pages = {"/": snippets(demo_site, "nl"), "/ar": snippets(demo_site, "ar")}

    class MunicipalPage(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in pages:
                self.send_error(404)
                return
            lang = "ar" if self.path == "/ar" else "nl"
            body = (
                f'<!doctype html><html lang="{lang}"><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Gemeente</title><h1>Welkom bij de gemeente</h1>{pages[self.path]}"
                "</html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("localhost", 0), MunicipalPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def allow(settings, origins):
    from django.core.cache import cache

    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "EMBED_ALLOWED_ORIGINS": origins}
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 0}
    # The frames' policy is stored with them in the page cache; the setting changed.
    cache.clear()


def test_a_newcomer_signs_up_inside_the_widget_on_the_municipal_site(
    browser, municipal_site, settings
):
    from buddypages.registry.models import Consent, Participant

    allow(settings, [municipal_site])
    email = f"widget.{uuid4().hex[:10]}@example.net"
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(municipal_site + "/")
        frames = page.locator("iframe")
        expect(frames).to_have_count(3)
        # Each frame replaced its link and grew to its content (the snippet starts at 480 px).
        expect(page.get_by_role("link", name="Inschrijven")).to_be_hidden()
        signup = page.frame_locator("iframe >> nth=0")
        expect(signup.locator("#id_first_name")).to_be_visible()
        page.wait_for_function(
            "document.querySelectorAll('iframe')[0].getBoundingClientRect().height > 1500"
        )
        tip = page.frame_locator("iframe >> nth=2")
        expect(tip.locator("h1")).to_have_text("Tip van de week")
        page.wait_for_function(
            "document.querySelectorAll('iframe')[2].getBoundingClientRect().height < 480"
        )
        calendar = page.frame_locator("iframe >> nth=1")
        expect(calendar.locator("h1")).to_have_text("Komende activiteiten")
        assert calendar.locator(".occurrence").count() >= 2
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENS / "embed-municipal-nl.png")

        signup.locator("#id_first_name").fill("Widget")
        signup.locator("#id_last_name").fill("Browsertest")
        signup.locator("#id_email").fill(email)
        signup.locator("input[name=languages][value=ar]").check()
        signup.locator("#id_preferred_language").select_option("ar")
        signup.locator("input[name=dutch_level][value=a2]").check()
        signup.locator("#id_postcode").fill("2990")
        signup.locator("#id_age_band").select_option("26-35")
        signup.locator("input[name=household][value=children]").check()
        signup.locator("#id_availability_sat_morning").check()
        signup.locator("#id_consent_programme").check()
        signup.locator("form.registration-form button[type=submit]").click()
        expect(signup.locator("h1")).to_have_text("Bedankt voor je aanmelding")
        # The thank-you page is short: the frame shrank with it.
        page.wait_for_function(
            "document.querySelectorAll('iframe')[0].getBoundingClientRect().height < 700"
        )
    finally:
        context.close()
    person = Participant.objects.get(email=email)
    consent = person.consents.get(purpose=Consent.Purpose.PROGRAMME)
    assert consent.method == Consent.Method.EMBED
    assert consent.origin == municipal_site


def test_a_site_that_is_not_allowed_cannot_frame_the_widgets(browser, municipal_site, settings):
    allow(settings, ["https://www.gemeente.example"])
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    refused = []
    try:
        page = context.new_page()
        page.on("console", lambda message: refused.append(message.text))
        page.goto(municipal_site + "/")
        expect(page.locator("iframe")).to_have_count(3)
        page.wait_for_timeout(1000)
        # Chromium shows its own error page in each frame instead of the widget.
        for frame in page.frames[1:]:
            assert frame.url.startswith("chrome-error://"), frame.url
        assert page.frame_locator("iframe >> nth=0").locator("#id_first_name").count() == 0
        assert any("frame-ancestors" in text for text in refused), refused
    finally:
        context.close()


@pytest.mark.parametrize("code", ["nl", "ar"])
@pytest.mark.parametrize("widget", ["signup", "calendar", "tip"])
def test_the_widget_pages_have_no_axe_violations_at_320_pixels(open_page, code, widget):
    from django.urls import reverse
    from django.utils import translation

    from buddypages.models import ProgrammePage

    programme = first_town(ProgrammePage, code)
    with translation.override(code):
        address = {
            "signup": lambda: reverse(
                "buddypages:embed-signup",
                kwargs={"programme": programme.slug, "role": "volunteer"},
            ),
            "calendar": lambda: reverse("buddypages:embed-calendar"),
            "tip": lambda: reverse("buddypages:embed-tip"),
        }[widget]()
    page = open_page(viewport={"width": 320, "height": 640}).page
    page.goto(address)
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    count, report = axe_violations(page)
    assert count == 0, report
    if widget == "calendar" or (widget == "signup" and code == "ar"):
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENS / f"embed-{widget}-{code}-320.png", full_page=True)


def test_an_editor_finds_the_snippets_in_the_promote_tab(browser, demo_site):
    from django.contrib.auth import get_user_model

    from buddypages.models import ProgrammePage

    user = get_user_model().objects.get(username="editor")
    user.set_password("embed-walk-password")
    user.save()
    programme = first_town(ProgrammePage, "nl")
    context = browser.new_context(
        base_url=demo_site, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "embed-walk-password")
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(f"{demo_site}/admin/")
        page.goto(f"/admin/pages/{programme.pk}/edit/#tab-promote")
        panel = page.locator(
            "section", has=page.get_by_role("heading", name="Embed on another website")
        )
        expect(panel.first).to_be_visible()
        snippet = page.locator("textarea[id^=embed-ar-]").first
        expect(snippet).to_have_value(re.compile(r'data-buddy-widget="[^"]+/ar/embed/signup/'))
        page.locator("textarea[id^=embed-nl-]").first.scroll_into_view_if_needed()
        page.screenshot(path=SCREENS / "embed-admin-panel.png")
    finally:
        context.close()
