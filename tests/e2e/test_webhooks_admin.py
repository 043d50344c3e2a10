"""Webhooks in the admin, in a browser: a coordinator adds an endpoint, copies its secret
(shown once), sends a test event to a receiver on this machine and reads the delivery log.
Screenshots land in ``var/screens/``."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect
from standardwebhooks import Webhook

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password-123"  # noqa: S105
SCREENS = Path(settings.VAR_DIR) / "screens"


@pytest.fixture
def receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append({"headers": dict(self.headers.items()), "body": body})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/build", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def coordinator(browser, demo_site):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="coordinator")
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(base_url=demo_site, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/admin/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{demo_site}/admin/")
    yield page
    context.close()


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"webhooks-{name}.png"), full_page=True)


def test_a_coordinator_adds_an_endpoint_and_sends_a_test_event(coordinator, receiver):
    from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint

    url, received = receiver
    page = coordinator
    page.goto("/admin/webhook_endpoints/new/")
    page.fill("#id_url", url)
    page.fill("#id_description", "Static site build")
    page.locator("#id_site").select_option(index=1)
    page.get_by_label("Page published").check()
    page.locator('form[method="post"][action$="/new/"] button[type=submit]').first.click()

    secret_box = page.locator("[data-webhook-secret]")
    expect(secret_box).to_be_visible()
    endpoint = WebhookEndpoint.objects.get(description="Static site build")
    assert secret_box.input_value() == endpoint.secret
    shot(page, "secret")
    page.reload()
    expect(page.locator("[data-webhook-secret]")).to_have_count(0)
    expect(page.get_by_role("button", name="Make a new secret")).to_be_visible()

    page.get_by_role("link", name="Send a test event").click()
    shot(page, "test")
    page.get_by_role("button", name="Send a test event").click()
    expect(page.locator("main")).to_contain_text("Static site build")
    shot(page, "log")
    [request] = received
    event = Webhook(endpoint.secret).verify(request["body"], request["headers"])
    assert event["type"] == "webhook.test"
    row = page.locator("table.listing tbody tr").first
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("204")

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    page.goto(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    shot(page, "delivery")
    expect(page.locator("main")).to_contain_text("204")
    payload = json.loads(page.locator("main pre").inner_text())
    assert payload == delivery.payload

    page.goto("/admin/webhook_endpoints/")
    shot(page, "endpoints")
    expect(page.locator("table.listing")).to_contain_text("Page published")
    endpoint.delete()
