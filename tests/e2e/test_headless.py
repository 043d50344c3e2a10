"""The README's worked example of the headless API, run as written in Chromium, from a page of
another origin: tips in Arabic, then a sign-up that lands in the registry with its consent
rows and that origin. From an origin the site does not list, the browser's preflight is refused
and nothing is written."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SCREENS = ROOT / "var" / "screens"
EXAMPLE_API = 'const API = "https://buddy.your-town.be/api/v3";'


def readme_example() -> str:
    text = README.read_text()
    section = text[text.index("### Worked example") :]
    code = re.search(r"```js\n(.*?)```", section, re.S).group(1)
    assert EXAMPLE_API in code
    return code


class MunicipalPage(BaseHTTPRequestHandler):
    """The municipality's own website: one page, on its own origin."""

    def do_GET(self):
        body = b'<!doctype html><html lang="nl"><title>Gemeente</title><p>Welkom</p></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin():
    server = ThreadingHTTPServer(("localhost", 0), MunicipalPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_example(browser, origin: str, api: str, *, email: str) -> dict:
    code = readme_example().replace(EXAMPLE_API, f'const API = "{api}/api/v3";')
    code = code.replace("salma@example.org", email)
    context = browser.new_context(locale="ar", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(origin + "/")
        return page.evaluate(
            f"async () => {{\n{code}\nreturn {{phrases, status: response.status, result}};\n}}"
        )
    finally:
        context.close()


def test_the_readme_example_signs_up_from_the_municipal_website(
    browser, demo_site, other_origin, settings
):
    from buddypages.registry.models import Consent, Participant

    settings.CORS_ALLOWED_ORIGINS = [other_origin]
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 1}

    # The browser database is kept between runs: a new address each time.
    email = f"salma.{uuid4().hex[:12]}@example.org"
    outcome = run_example(browser, other_origin, demo_site, email=email)

    assert len(outcome["phrases"]) == 5
    assert all(re.search(r"[\u0600-\u06ff]", phrase) for phrase in outcome["phrases"])
    assert outcome["status"] == 201, outcome["result"]
    assert outcome["result"]["status"] == "received"
    participant = Participant.objects.get(email=email)
    assert participant.first_name == "سلمى"
    assert participant.role == "newcomer"
    programme_consent = participant.consents.get(purpose=Consent.Purpose.PROGRAMME)
    assert programme_consent.given
    assert programme_consent.method == Consent.Method.API
    assert programme_consent.origin == other_origin


def test_an_origin_the_site_does_not_list_cannot_sign_up(
    browser, demo_site, other_origin, settings
):
    from buddypages.registry.models import Participant

    settings.CORS_ALLOWED_ORIGINS = ["https://www.gemeente.example"]
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "MIN_FILL_SECONDS": 1}

    with pytest.raises(Exception, match="Failed to fetch"):
        run_example(browser, other_origin, demo_site, email="refused.headless@example.org")

    assert not Participant.objects.filter(email="refused.headless@example.org").exists()
    # Reading is open to that origin all the same: only the write was refused.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_origin + "/")
        status = page.evaluate(
            "async (api) => (await fetch(`${api}/api/v3/tips/?locale=ar`)).status", demo_site
        )
    finally:
        context.close()
    assert status == 200


def test_the_interactive_documentation_lists_the_operations_under_the_sites_csp(open_page):
    visit = open_page(viewport={"width": 1280, "height": 900})
    page = visit.page
    page.goto("/api/v3/docs/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Buddy programme API")
    expect(page.get_by_text("/api/v3/tips/", exact=True).first).to_be_visible()
    page.screenshot(path=str(SCREENS / "api-docs.png"), full_page=False)
    # open_page fails the test on any console error: a script the CSP blocked would be one.
