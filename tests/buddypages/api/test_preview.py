"""Previewing a draft in the municipality's own front end: a signed token for one draft,
which the API answers (and nothing else); off unless configured."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client, RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from buddypages.models import LanguageTipPage

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8000"
FRONT_END = "https://www.gemeente.be/preview?token={token}&locale={locale}"


@pytest.fixture
def configured(settings):
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "HEADLESS_PREVIEW_URL": FRONT_END}


@pytest.fixture
def tip(demo):
    return LanguageTipPage.objects.live().filter(locale__language_code="nl").first()


@pytest.fixture
def editor(demo):
    return get_user_model().objects.get(username="editor")


def draft(page, editor, **changes):
    """Save a draft of ``page`` with ``changes`` (not published)."""
    page = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=editor)
    return LanguageTipPage.objects.get(pk=page.pk)


def front_end_link(page, editor) -> str:
    """What the editor's preview panel opens in the front-end mode."""
    request = RequestFactory().get("/admin/", HTTP_HOST=HOST)
    request.user = editor
    response = page.get_latest_revision_as_object().serve_preview(request, "headless")
    response.render()
    assert response["Cache-Control"] == "no-store"
    return response.context_data["front_end_url"]


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def api(path):
    return Client(HTTP_HOST=HOST).get(path)


def test_the_preview_mode_opens_the_front_end_with_a_token(configured, tip, editor):
    with translation.override("en"):
        modes = [(name, str(label)) for name, label in tip.preview_modes]
    assert ("headless", "Your own front end") in modes
    link = front_end_link(draft(tip, editor, title="Hoe gaat het? (concept)"), editor)
    assert link.startswith("https://www.gemeente.be/preview?token=")
    assert parse_qs(urlsplit(link).query)["locale"] == ["nl"]


def test_the_token_opens_that_draft(configured, tip, editor):
    live_title = tip.title
    edited = draft(tip, editor, title="Hoe gaat het? (concept)", meaning="Nieuwe uitleg.")
    token = token_of(front_end_link(edited, editor))

    answer = api(f"/api/v3/preview/?token={token}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == tip.pk
    assert body["title"] == "Hoe gaat het? (concept)"
    assert body["meaning"] == "Nieuwe uitleg."
    assert answer["Cache-Control"] == "no-store"
    assert not answer.has_header("ETag")
    # The public API still shows what is live.
    live = api(f"/api/v3/pages/{tip.pk}/").json()
    assert live["title"] == live_title
    assert live["title"] != body["title"]


def test_a_token_opens_only_its_own_draft(configured, tip, editor):
    first = draft(tip, editor, title="Eerste concept")
    token = token_of(front_end_link(first, editor))
    draft(first, editor, title="Tweede concept")
    # The token keeps naming the revision it was made for, not whatever is newest.
    assert api(f"/api/v3/preview/?token={token}").json()["title"] == "Eerste concept"

    other = LanguageTipPage.objects.live().exclude(pk=tip.pk).first()
    other_token = token_of(front_end_link(other, editor))
    assert api(f"/api/v3/preview/?token={other_token}").json()["id"] == other.pk


def test_an_edited_token_is_refused(configured, tip, editor):
    token = token_of(front_end_link(draft(tip, editor, title="Concept"), editor))
    value, _sep, signature = token.rpartition(":")
    # Another page's number with the original signature, and a flipped signature.
    forged = signing.dumps({"p": tip.pk + 1, "r": None}, salt="someone else")
    flipped = value + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (forged, flipped, "nonsense"):
        answer = api(f"/api/v3/preview/?token={bad}&locale=en")
        assert answer.status_code == 403, bad
        assert answer["Content-Type"] == "application/problem+json"
        assert answer.json()["detail"] == "This preview link is not valid."
        assert "Concept" not in answer.content.decode()


def test_an_expired_token_is_refused(configured, settings, tip, editor):
    token = token_of(front_end_link(draft(tip, editor, title="Concept"), editor))
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "HEADLESS_PREVIEW_SECONDS": -1}
    answer = api(f"/api/v3/preview/?token={token}&locale=en")
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_the_refusal_is_in_the_language_asked_for(configured, tip):
    answer = api("/api/v3/preview/?token=nonsense&locale=nl")
    assert answer.json()["detail"] == "Deze voorbeeldlink is niet geldig."


def test_a_token_does_not_open_a_page_of_another_site(configured, settings, tip, editor):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elders.example"]
    token = token_of(front_end_link(draft(tip, editor, title="Concept"), editor))
    root = Page.get_first_root_node().add_child(instance=Page(title="Elders", slug="elders"))
    Site.objects.create(hostname="elders.example", port=80, root_page=root)
    answer = Client(HTTP_HOST="elders.example").get(f"/api/v3/preview/?token={token}")
    assert answer.status_code == 404


def test_off_when_not_configured(tip, editor):
    assert "headless" not in [name for name, _label in tip.preview_modes]
    token = signing.dumps({"p": tip.pk, "r": None}, salt="buddypages.headless-preview")
    answer = api(f"/api/v3/preview/?token={token}")
    assert answer.status_code == 404


def test_the_operation_is_documented(configured):
    schema = api("/api/v3/openapi.json").json()
    operation = schema["paths"]["/api/v3/preview/"]["get"]
    assert operation["operationId"] == "get_preview"


def test_a_newsletter_issue_previews_in_the_front_end_too(configured, demo):
    from newsletter.models import NewsletterIssuePage

    issue = NewsletterIssuePage.objects.first()
    with translation.override("en"):
        modes = {name: str(label) for name, label in issue.preview_modes}
    assert modes[""] == "Web version"
    assert "headless" in modes
    assert "email:subscriber" in modes


def test_without_a_front_end_a_newsletter_issue_has_only_its_own_modes(demo):
    from newsletter.models import NewsletterIssuePage

    modes = [name for name, _label in NewsletterIssuePage.objects.first().preview_modes]
    assert modes == ["", "email:duo_newcomer", "email:volunteer", "email:subscriber"]
