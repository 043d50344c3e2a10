"""Publish webhooks: signed events to the site's own endpoints, retried and logged, the
delivery log in the admin, and API addresses purged from a front-end cache."""

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from standardwebhooks import Webhook
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, Site

from buddypages.api.webhooks import services
from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from buddypages.models import ActivityPage, ActivitySignup, LanguageTipPage
from buddypages.registry.models import Participant

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8000"
DATA_KEYS = {"id", "type", "locale", "url", "path", "site", "api_url"}


class Receiver:
    """A front end's build hook on this machine: records each POST, answers ``codes`` in
    turn (the last one again once they run out)."""

    def __init__(self, codes=(200,), body=b"ok"):
        self.codes = list(codes)
        self.body = body
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append(
                    {
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/build"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(codes=(200,), body=b"ok"):
        made.append(Receiver(codes, body))
        return made[-1]

    yield make
    for one in made:
        one.stop()


@pytest.fixture
def site(demo):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def other_site(demo):
    root = Page.get_first_root_node().add_child(instance=Page(title="Elders", slug="elders"))
    return Site.objects.create(hostname="elders.example", port=80, root_page=root)


@pytest.fixture
def tip(demo):
    return LanguageTipPage.objects.live().filter(locale__language_code="nl").first()


def publish(page, django_capture_on_commit_callbacks, **changes):
    page = page.specific.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return page


def test_a_publish_is_sent_to_the_sites_endpoint_only_signed(
    site, other_site, tip, receiver, django_capture_on_commit_callbacks
):
    ours, theirs = receiver(), receiver()
    endpoint = WebhookEndpoint.objects.create(site=site, url=ours.url)
    elsewhere = WebhookEndpoint.objects.create(site=other_site, url=theirs.url)

    publish(tip, django_capture_on_commit_callbacks, meaning="Nieuwe uitleg.")

    assert theirs.requests == []
    assert not WebhookDelivery.objects.filter(endpoint=elsewhere).exists()
    [request] = ours.requests
    assert endpoint.secret.startswith("whsec_")
    event = Webhook(endpoint.secret).verify(request["body"], request["headers"])
    assert event["type"] == "page.published"
    assert set(event["data"]) == DATA_KEYS
    assert event["data"]["id"] == tip.pk
    assert event["data"]["type"] == "buddypages.LanguageTipPage"
    assert event["data"]["locale"] == "nl"
    assert event["data"]["site"] == site.hostname
    assert event["data"]["url"] == tip.get_full_url()
    assert (
        event["data"]["path"] == urlsplit(tip.get_full_url()).path == "/nl/taaltips/hoe-gaat-het/"
    )
    # The event's API address answers with that page.
    api = Client(HTTP_HOST=HOST).get(event["data"]["api_url"].removeprefix(site.root_url))
    assert api.status_code == 200
    assert api.json()["id"] == tip.pk

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_response_code == 200
    assert request["headers"]["webhook-id"] == delivery.event_id


def test_a_tampered_event_does_not_verify(site, tip, receiver, django_capture_on_commit_callbacks):
    ours = receiver()
    endpoint = WebhookEndpoint.objects.create(site=site, url=ours.url)
    publish(tip, django_capture_on_commit_callbacks)
    [request] = ours.requests
    forged = request["body"].replace(b"page.published", b"page.deleted")
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(forged, request["headers"])


def test_unpublish_move_and_delete_are_sent(
    site, demo, receiver, django_capture_on_commit_callbacks
):
    ours = receiver()
    WebhookEndpoint.objects.create(site=site, url=ours.url)
    tips = list(LanguageTipPage.objects.live().filter(locale__language_code="nl")[:2])
    other_index = demo.programme

    with django_capture_on_commit_callbacks(execute=True):
        tips[0].specific.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        tips[1].move(other_index, pos="last-child")
    page_id = tips[1].pk
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page_id).delete()

    kinds = [(event["type"], event["data"]["id"]) for event in ours.events()]
    assert ("page.unpublished", tips[0].pk) in kinds
    assert ("page.moved", page_id) in kinds
    assert ("page.deleted", page_id) in kinds
    moved = next(e for e in ours.events() if e["type"] == "page.moved")
    assert moved["data"]["path"].startswith(demo.programme.get_url())


def test_only_chosen_events_and_active_endpoints(
    site, tip, receiver, django_capture_on_commit_callbacks
):
    chosen, paused = receiver(), receiver()
    WebhookEndpoint.objects.create(site=site, url=chosen.url, event_types=["page.deleted"])
    WebhookEndpoint.objects.create(site=site, url=paused.url, active=False)
    publish(tip, django_capture_on_commit_callbacks)
    assert chosen.requests == []
    assert paused.requests == []


def test_pages_of_other_apps_send_nothing(site, receiver, django_capture_on_commit_callbacks):
    ours = receiver()
    WebhookEndpoint.objects.create(site=site, url=ours.url)
    plain = site.root_page.add_child(instance=Page(title="Gewoon", slug="gewoon"))
    with django_capture_on_commit_callbacks(execute=True):
        plain.save_revision().publish()
    assert ours.requests == []


def test_activity_changes_without_personal_data(
    site, demo, receiver, django_capture_on_commit_callbacks
):
    ours = receiver()
    WebhookEndpoint.objects.create(site=site, url=ours.url)
    activity = ActivityPage.objects.live().filter(locale__language_code="nl").first()

    publish(activity, django_capture_on_commit_callbacks)
    assert [e["type"] for e in ours.events()] == ["page.published", "activity.updated"]

    ours.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ActivitySignup.objects.create(
            activity=activity,
            occurrence_start=activity.start,
            name="Zorobabel Vanderprivé",
            email="zorobabel.private@example.net",
            places=2,
            language="ar",
        )
    events = ours.events()
    assert events
    assert {e["type"] for e in events} == {"activity.places_changed"}
    assert activity.pk in {e["data"]["id"] for e in events}
    assert events[0]["data"]["occurrence_start"] == activity.start.isoformat()
    everything = b"".join(request["body"] for request in ours.requests).decode()
    assert "Zorobabel" not in everything
    assert "zorobabel.private" not in everything
    for person in Participant.objects.all()[:50]:
        assert person.email not in everything


def test_a_failing_endpoint_is_retried_and_logged(
    site, tip, receiver, django_capture_on_commit_callbacks
):
    flaky = receiver(codes=(500, 200), body=b"Internal error " * 100)
    endpoint = WebhookEndpoint.objects.create(site=site, url=flaky.url)

    publish(tip, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 2
    assert [attempt["code"] for attempt in delivery.log] == [500, 200]
    assert delivery.log[0]["error"].startswith("HTTP 500 Internal error")
    assert len(delivery.log[0]["error"]) <= 200  # an excerpt, not the body
    assert delivery.last_response_code == 200
    # The same event both times: receivers drop repeats by webhook-id.
    ids = {request["headers"]["webhook-id"] for request in flaky.requests}
    assert ids == {delivery.event_id}
    assert flaky.events()[0] == flaky.events()[1]


def test_an_endpoint_that_keeps_failing_ends_as_failed(
    site, tip, receiver, django_capture_on_commit_callbacks
):
    broken = receiver(codes=(503,))
    endpoint = WebhookEndpoint.objects.create(site=site, url=broken.url)
    publish(tip, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 6  # the first and five retries
    assert len(broken.requests) == 6
    assert delivery.last_response_code == 503


def test_an_unreachable_endpoint_is_logged(site, tip, receiver, django_capture_on_commit_callbacks):
    gone = receiver()
    gone.stop()
    endpoint = WebhookEndpoint.objects.create(site=site, url=gone.url)
    publish(tip, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_response_code is None
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error


@pytest.fixture
def queue(settings):
    """The database task queue, as in production: retries wait."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_retries_wait_longer_each_time_on_the_task_queue(
    site, tip, receiver, queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    broken = receiver(codes=(500,))
    endpoint = WebhookEndpoint.objects.create(site=site, url=broken.url)
    publish(tip, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 0  # queued, not sent in the publish

    waits = []
    for _attempt in range(6):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        services.delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        if delivery.status == WebhookDelivery.Status.PENDING:
            tried_at = datetime.fromisoformat(delivery.log[-1]["at"])
            waits.append((delivery.next_attempt_at - tried_at).total_seconds())
    assert waits == [60, 300, 1800, 7200, 21600]
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 6
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_webhook")
    assert queued.filter(args_kwargs__kwargs__delivery_id=delivery.pk).count() > 6


def test_an_attempt_that_is_not_due_does_nothing(site, tip, receiver, queue):
    ours = receiver()
    endpoint = WebhookEndpoint.objects.create(site=site, url=ours.url)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="page.published", payload={"type": "page.published"}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert services.delivery_attempt(delivery_id=delivery.pk) == "not due"
    # A worker that died holding it: once its lease is over, the row is sent.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert len(ours.requests) == 1


# --- The admin -------------------------------------------------------------------------------


def _client(username):
    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _table(html: str) -> str:
    """The listing's rows, without the filters beside them."""
    return html.split('<table class="listing', 1)[1].split("</table>", 1)[0]


def test_coordinators_see_endpoints_and_the_delivery_log(
    site, tip, receiver, django_capture_on_commit_callbacks
):
    flaky = receiver(codes=(500, 200))
    broken = receiver(codes=(500,))
    good = WebhookEndpoint.objects.create(site=site, url=flaky.url, description="Statische site")
    bad = WebhookEndpoint.objects.create(site=site, url=broken.url, description="CDN")
    publish(tip, django_capture_on_commit_callbacks)
    client = _client("coordinator")

    endpoints = client.get("/admin/webhook_endpoints/")
    assert endpoints.status_code == 200
    assert "Statische site" in endpoints.content.decode()
    assert good.secret not in endpoints.content.decode()

    log = client.get("/admin/webhook_deliveries/")
    assert log.status_code == 200
    page = log.content.decode()
    assert "Statische site" in page
    assert "CDN" in page

    failed = client.get("/admin/webhook_deliveries/?status=failed").content.decode()
    assert "CDN" in failed
    assert "Statische site" not in _table(failed)
    one = client.get(f"/admin/webhook_deliveries/?endpoint={good.pk}").content.decode()
    assert "Statische site" in _table(one)
    assert "CDN" not in _table(one)

    delivery = WebhookDelivery.objects.get(endpoint=bad)
    inspect = client.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    assert inspect.status_code == 200
    assert "Nu opnieuw proberen" in inspect.content.decode()  # "Retry now", in Dutch

    broken.codes = [200]
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"/admin/webhook_deliveries/retry/{delivery.pk}/")
    assert retried.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 7


def test_a_new_endpoint_shows_its_secret_once_and_takes_a_test_event(
    site, receiver, django_capture_on_commit_callbacks
):
    ours = receiver()
    client = _client("coordinator")
    made = client.post(
        "/admin/webhook_endpoints/new/",
        {"site": site.pk, "url": ours.url, "description": "Gemeentesite", "active": "on"},
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get(description="Gemeentesite")
    assert made["Location"] == f"/admin/webhook_endpoints/secret/{endpoint.pk}/"
    first = client.get(made["Location"]).content.decode()
    assert endpoint.secret in first
    again = client.get(made["Location"]).content.decode()
    assert endpoint.secret not in again

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/admin/webhook_endpoints/test/{endpoint.pk}/")
    assert sent.status_code == 302
    [request] = ours.requests
    event = Webhook(endpoint.secret).verify(request["body"], request["headers"])
    assert event["type"] == "webhook.test"
    assert event["data"]["site"] == site.hostname


def test_editors_cannot_reach_webhooks(site):
    endpoint = WebhookEndpoint.objects.create(site=site, url="https://build.example/hook")
    client = _client("editor")
    for url in (
        "/admin/webhook_endpoints/",
        "/admin/webhook_deliveries/",
        f"/admin/webhook_endpoints/secret/{endpoint.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert endpoint.secret not in response.content.decode()


def test_admin_labels_are_translated(site):
    WebhookEndpoint.objects.create(site=site, url="https://build.example/hook")
    client = _client("coordinator")
    page = client.get("/admin/webhook_endpoints/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Alle gebeurtenissen" in page


# --- Front-end cache ----------------------------------------------------------------------------


class FakePurgeBackend(BaseBackend):
    """A cache that records what it is told to purge."""

    purged: list[str] = []

    def purge(self, url):
        FakePurgeBackend.purged.append(url)


def test_publishing_purges_the_page_and_its_api_addresses(
    settings, site, tip, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "fake": {"BACKEND": "tests.buddypages.api.test_webhooks.FakePurgeBackend"}
    }
    FakePurgeBackend.purged = []
    publish(tip, django_capture_on_commit_callbacks)
    purged = set(FakePurgeBackend.purged)
    root = site.root_url
    assert tip.get_full_url() in purged
    assert f"{root}/api/v3/pages/{tip.pk}/" in purged
    assert f"{root}/api/v3/tips/" in purged
    assert f"{root}/api/v3/tips/?locale=nl" in purged
    assert f"{root}/api/v3/tips/of-the-week/?locale=nl" in purged


def test_nothing_is_purged_when_no_cache_is_configured(
    settings, site, tip, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    FakePurgeBackend.purged = []
    publish(tip, django_capture_on_commit_callbacks)
    assert FakePurgeBackend.purged == []


def test_a_coordinator_sees_and_touches_only_their_own_site_s_endpoints(site, other_site):
    """The demo coordinator is granted the demo site; another municipality's endpoints are
    not in the list, not in the log, not found, and left as they were."""
    from buddypages.pages.access import SiteGrant

    coordinator = get_user_model().objects.get(username="coordinator")
    if not SiteGrant.objects.filter(user=coordinator, site=site).exists():
        SiteGrant.objects.create(user=coordinator, site=site)
    theirs = WebhookEndpoint.objects.create(
        site=other_site, url="https://elders.example/hook", description="Elders bouwhaak"
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=theirs, event_id="evt-elders", event_type="page.published", payload={}
    )
    client = _client("coordinator")

    assert "Elders bouwhaak" not in client.get("/admin/webhook_endpoints/").content.decode()
    assert "Elders bouwhaak" not in client.get("/admin/webhook_deliveries/").content.decode()
    for url in (
        f"/admin/webhook_endpoints/edit/{theirs.pk}/",
        f"/admin/webhook_endpoints/secret/{theirs.pk}/",
        f"/admin/webhook_deliveries/inspect/{delivery.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/admin/webhook_endpoints/delete/{theirs.pk}/",
        f"/admin/webhook_endpoints/test/{theirs.pk}/",
        f"/admin/webhook_deliveries/retry/{delivery.pk}/",
    ):
        assert client.post(url).status_code == 404, url
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()
    assert theirs.deliveries.count() == 1
    form = client.get("/admin/webhook_endpoints/new/").content.decode()
    assert "elders.example" not in form
