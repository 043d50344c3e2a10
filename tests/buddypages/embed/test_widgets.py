"""The widgets' frames and script, through the test client on the demo content."""

from urllib.parse import urlencode

import pytest
from django.core.checks import run_checks
from django.utils import translation

from buddypages.embed.security import frame_policy, normalise_origin
from buddypages.registry.models import Consent, Participant
from tests.buddypages.registry.helpers import form_data

pytestmark = pytest.mark.django_db

TOWN = "https://www.gemeente.example"
OWN = "http://testserver"


@pytest.fixture(autouse=True)
def _allowed(settings):
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "EMBED_ALLOWED_ORIGINS": [TOWN + "/"]}
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 0}


def signup_address(lang="nl", role="newcomer", origin=TOWN):
    path = f"/{lang}/embed/signup/buddywerking/{role}/"
    return f"{path}?{urlencode({'origin': origin})}" if origin else path


def test_the_sign_up_frame_may_be_framed_by_the_allowed_sites_only(client, demo):
    response = client.get(signup_address())
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {TOWN}" in policy
    assert "script-src 'self'" in policy
    assert "X-Frame-Options" not in response
    # No cookie (a frame of another site would not get it back), so the page cache keeps it.
    assert not response.cookies
    body = response.content.decode()
    assert '<html lang="nl" dir="ltr">' in body
    assert 'name="first_name"' in body
    assert f'name="embed_origin" value="{TOWN}"' in body
    # The site's own pages stay unframeable.
    page = client.get("/nl/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert TOWN not in page["Content-Security-Policy"]


def test_the_arabic_frame_is_right_to_left_and_translated(client, demo):
    body = client.get(signup_address("ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    with translation.override("ar"):
        assert translation.gettext("Send my sign-up") in body
        assert translation.gettext("Send my sign-up") != "Send my sign-up"


def test_a_sign_up_in_the_frame_records_the_embedding_site(client, demo):
    response = client.post(
        signup_address("ar"),
        {**form_data("newcomer", email="amal@example.org"), "embed_origin": TOWN},
        HTTP_ORIGIN=OWN,
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/ar/embed/signup/buddywerking/newcomer/thanks/?" + urlencode({"origin": TOWN})
    )
    person = Participant.objects.get(email="amal@example.org")
    assert person.preferred_language == "ar"
    consent = person.consents.get(purpose=Consent.Purpose.PROGRAMME)
    assert consent.method == Consent.Method.EMBED
    assert consent.origin == TOWN
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    with translation.override("ar"):
        assert translation.gettext("Thank you for signing up") in thanks.content.decode()
    assert "amal@example.org" not in thanks.content.decode()


def test_a_post_from_another_site_is_refused_and_stores_nothing(client, demo):
    response = client.post(
        signup_address("nl"),
        {**form_data("newcomer", email="forged@example.org"), "embed_origin": TOWN},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    with translation.override("nl"):
        message = translation.gettext(
            "This form can only be sent from its own page. Reload the page."
        )
    assert message != "This form can only be sent from its own page. Reload the page."
    assert message in response.content.decode()
    assert not Participant.objects.filter(email="forged@example.org").exists()
    # Without Origin, the Referer must be this site.
    response = client.post(
        signup_address("nl"),
        form_data("newcomer", email="forged@example.org"),
        HTTP_REFERER="https://evil.example/page",
    )
    assert response.status_code == 403
    assert not Participant.objects.filter(email="forged@example.org").exists()


def test_an_origin_that_is_not_allowed_is_never_recorded(client, demo):
    client.post(
        signup_address("nl", origin=None),
        {**form_data("newcomer", email="sam@example.org"), "embed_origin": "https://evil.example"},
        HTTP_ORIGIN=OWN,
    )
    consent = Participant.objects.get(email="sam@example.org").consents.get(
        purpose=Consent.Purpose.PROGRAMME
    )
    assert consent.method == Consent.Method.EMBED
    assert consent.origin == ""


def test_mistakes_are_shown_in_the_frame_in_its_language_and_nothing_is_lost(client, demo):
    response = client.post(
        signup_address("fr"),
        {**form_data("newcomer", email="not-an-address", first_name="Zenobia")},
        HTTP_ORIGIN=OWN,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Zenobia"' in body
    assert '<html lang="fr" dir="ltr">' in body
    assert "frame-ancestors" in response["Content-Security-Policy"]
    assert not Participant.objects.filter(first_name="Zenobia").exists()


def test_addresses_are_cleaned_before_they_are_cached(client, demo):
    # An origin that may not frame the widget is dropped; unknown parameters too.
    response = client.get(signup_address(origin="https://evil.example"))
    assert response.status_code == 302
    assert response["Location"] == signup_address(origin=None)
    response = client.get("/nl/embed/calendar/?kind=nonsense&utm=1")
    assert response["Location"] == "/nl/embed/calendar/"
    assert client.get("/nl/embed/signup/buddywerking/coordinator/").status_code == 404
    assert client.get("/nl/embed/signup/no-such-programme/newcomer/").status_code == 404


def test_the_frames_are_served_from_the_page_cache_with_few_queries(
    client, demo, django_assert_max_num_queries
):
    for address in (
        signup_address("ar"),
        "/uk/embed/calendar/?audience=newcomers",
        "/fr/embed/tip/",
    ):
        with django_assert_max_num_queries(10):
            first = client.get(address)
        assert first.status_code == 200, address
        assert first["X-Page-Cache"] == "miss", address
        with django_assert_max_num_queries(1):
            second = client.get(address)
        assert second["X-Page-Cache"] == "hit", address
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert "X-Frame-Options" not in second


def test_the_calendar_widget_lists_the_next_dates_with_a_filter(client, demo):
    from buddypages.calendar.pages import ActivityCalendarPage

    calendar = ActivityCalendarPage.objects.get(locale__language_code="nl")
    body = client.get("/nl/embed/calendar/").content.decode()
    titles = [a.title for a in calendar.activities()]
    assert sum(title in body for title in titles) >= 2
    assert f'href="{calendar.full_url}"' in body
    cafes = client.get("/nl/embed/calendar/?kind=buddy_cafe").content.decode()
    cafe_titles = {a.title for a in calendar.activities().filter(kind="buddy_cafe")}
    other = {a.title for a in calendar.activities().exclude(kind="buddy_cafe")} - cafe_titles
    assert cafe_titles
    assert any(f">{title}</a>" in cafes for title in cafe_titles)
    assert not any(f">{title}</a>" in cafes for title in other)


def test_the_tip_widget_shows_the_tip_of_the_week(client, demo):
    from wagtail.models import Locale

    from buddypages.pages.selectors import language_tip_of_the_week

    tip = language_tip_of_the_week(locale=Locale.objects.get(language_code="ar"))
    body = client.get("/ar/embed/tip/").content.decode()
    assert f'<span lang="nl" dir="ltr">{tip.phrase}</span>' in body
    assert tip.full_url in body


def test_the_script_is_small_our_own_and_cached(client, demo):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert len(response.content) < 5 * 1024
    assert b"http" not in response.content.replace(b"https://(this site)", b"")
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_origins_are_normalised_and_malformed_ones_are_named_by_a_check(settings):
    assert normalise_origin("HTTPS://Www.Gemeente.be:443/") == "https://www.gemeente.be"
    assert normalise_origin("http://127.0.0.1:8001") == "http://127.0.0.1:8001"
    assert normalise_origin("https://www.gemeente.be/buddy") == ""
    assert normalise_origin("javascript:alert(1)") == ""
    settings.BUDDYPAGES = {
        **settings.BUDDYPAGES,
        "EMBED_ALLOWED_ORIGINS": ["https://ok.example", "www.gemeente.be"],
    }
    assert frame_policy().endswith("frame-ancestors 'self' https://ok.example")
    messages = [m for m in run_checks() if m.id == "buddypages.W003"]
    assert len(messages) == 1
    assert "www.gemeente.be" in messages[0].msg


def test_the_embed_panel_gives_editors_a_snippet_per_language(client, demo):
    """What a communications officer copies: a link and the script, per language and role,
    and the frame the snippet opens answers."""
    import html

    from django.contrib.auth import get_user_model

    from buddypages.pages.models import ProgrammePage

    client.force_login(get_user_model().objects.get(username="editor"))
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    body = client.get(f"/admin/pages/{programme.pk}/edit/").content.decode()
    assert "Op een andere website tonen" in body
    arabic = ProgrammePage.objects.get(locale__language_code="ar")
    root = programme.get_site().root_url
    frame = f"{root}/ar/embed/signup/{arabic.slug}/volunteer/"
    assert html.escape(f'data-buddy-widget="{frame}"') in body
    assert html.escape(f'<script src="{root}/embed.js" async></script>') in body
    with translation.override("ar"):
        label = translation.gettext("Sign up as a volunteer buddy")
    assert html.escape(f">{label}</a>") in body
    # The widget the snippet names is there.
    assert client.get(frame.removeprefix(root)).status_code == 200
    # No other website is allowed yet? The panel tells the editor whom to ask.
    assert "gemeente.example" in body


def test_the_panel_asks_to_publish_first(client, demo):
    from django.contrib.auth import get_user_model

    from buddypages.pages.models import ProgrammePage

    client.force_login(get_user_model().objects.get(username="editor"))
    # Translations are edited in wagtail-localize's editor: the panel is on the source page.
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    programme.unpublish()
    body = client.get(f"/admin/pages/{programme.pk}/edit/").content.decode()
    # The editor works in Dutch.
    assert "Publiceer deze pagina eerst" in body
    assert "data-buddy-widget" not in body
