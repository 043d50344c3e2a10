"""Each Wagtail Site as a municipality: name, logo, colours, email sender and languages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

from buddypages.models import HomePage
from buddypages.pages.municipality import (
    MunicipalitySettings,
    contrast_with_white,
    site_for_programme_key,
)
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_site(demo):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def plain(default_site):
    """The default site as an installation with nothing filled in (the demo fills it)."""
    MunicipalitySettings.objects.filter(site=default_site).delete()
    return default_site


@pytest.fixture
def second_site(demo):
    """A second municipality on ``localhost``: its own home page and settings."""
    home = HomePage(
        title="Welkom in Beekdorp", slug="beekdorp", locale=demo.home_pages["nl"].locale
    )
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, site_name="Beekdorp site"
    )
    MunicipalitySettings.objects.create(site=site, name="Buddywerking Beekdorp", colour="#1d4f91")
    return site


def _settings_for(site, **fields) -> MunicipalitySettings:
    found, _created = MunicipalitySettings.objects.get_or_create(site=site)
    for name, value in fields.items():
        setattr(found, name, value)
    found.save()
    return found


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)


# The look ------------------------------------------------------------------------------


def test_without_settings_the_site_looks_as_before(client, plain):
    response = client.get("/nl/")
    assert response.status_code == 200
    assert _title(response).endswith(f" · {plain.site_name}")
    assert "municipality.css" not in response.text
    assert "site-header__logo" not in response.text
    assert client.get("/nl/municipality.css").text == ""


def test_each_site_shows_its_own_name_and_colours(client, default_site, second_site):
    _settings_for(default_site, name="Buddywerking Heidestad", colour="#6a2c70", focus_colour="")
    first = client.get("/nl/", HTTP_HOST="127.0.0.1")
    second = client.get("/nl/", HTTP_HOST="localhost")
    assert _title(first).endswith(" · Buddywerking Heidestad")
    assert "Buddywerking Heidestad</a>" in first.text
    assert _title(second) == "Welkom in Beekdorp · Buddywerking Beekdorp"
    assert "Buddywerking Beekdorp</a>" in second.text
    css_first = client.get("/nl/municipality.css", HTTP_HOST="127.0.0.1")
    css_second = client.get("/nl/municipality.css", HTTP_HOST="localhost")
    assert css_first["Content-Type"].startswith("text/css")
    assert "--bp-brand: #6a2c70;" in css_first.text
    assert "--bp-focus" not in css_first.text
    assert "--bp-brand: #1d4f91;" in css_second.text


def test_the_stylesheet_address_changes_with_the_colours(client, default_site):
    _settings_for(default_site, colour="#6a2c70", focus_colour="#2f6b3a")
    assert 'href="/nl/municipality.css?v=6a2c702f6b3a"' in client.get("/nl/").text
    _settings_for(default_site, colour="#1d4f91")
    assert 'href="/nl/municipality.css?v=1d4f912f6b3a"' in client.get("/nl/").text


def test_only_checked_colours_reach_the_stylesheet(client, default_site):
    _settings_for(default_site, colour="#6a2c70")
    # Written past validation (a bulk update, an old row; 7 characters fit the column on
    # every database): never copied into the CSS.
    MunicipalitySettings.objects.filter(site=default_site).update(focus_colour="red;}*{")
    css = client.get("/nl/municipality.css").text
    assert "--bp-brand: #6a2c70;" in css
    assert "red;" not in css
    assert "--bp-focus" not in css


def test_the_logo_is_in_the_header(client, demo, default_site):
    settings_row = MunicipalitySettings.objects.get(site=default_site)
    assert settings_row.logo is not None  # the demo's
    html = client.get("/nl/").text
    header = html.split('<main id="main"')[0]
    assert re.search(r'<img alt="" class="site-header__logo"[^>]* src="/media/images/', header)


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("blue", "six hexadecimal digits"),
        ("#12345", "six hexadecimal digits"),
        ("#1d4f91; x", "six hexadecimal digits"),
        ("#ffdd00", "White text on #ffdd00 has a contrast of 1.3:1"),
        ("#777777", "White text on #777777 has a contrast of 4.4:1"),
    ],
)
def test_unreadable_or_malformed_colours_are_refused(default_site, colour, message):
    row = MunicipalitySettings(site=default_site, colour=colour)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        row.full_clean(exclude=["site"])
    with translation.override("en"):
        assert message in " ".join(refused.value.message_dict["colour"])


def test_the_message_is_in_the_editors_language(default_site):
    row = MunicipalitySettings(site=default_site, colour="#ffdd00")
    with pytest.raises(ValidationError) as refused:
        row.full_clean(exclude=["site"])
    with translation.override("ar"):
        assert "#ffdd00" in refused.value.message_dict["colour"][0]
        assert "النص الأبيض" in refused.value.message_dict["colour"][0]


def test_contrast_follows_wcag():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


def test_the_admin_says_why_a_colour_is_refused_and_keeps_the_old_one(default_site):
    admin = get_user_model().objects.create_superuser("root", "root@example.net", "x" * 16)
    client = Client()
    client.force_login(admin)
    url = reverse(
        "wagtailsettings:edit", args=["buddypages", "municipalitysettings", default_site.pk]
    )
    before = MunicipalitySettings.objects.get(site=default_site)
    with translation.override("en"):
        response = client.post(
            url,
            {"name": "Heidestad", "colour": "#ffdd00", "focus_colour": "", "languages": ["nl"]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "has a contrast of 1.3:1; it needs at least 4.5:1" in response.text
    after = MunicipalitySettings.objects.get(site=default_site)
    assert (after.name, after.colour, after.languages) == (before.name, before.colour, [])

    response = client.post(url, {"name": "Heidestad", "colour": "#1d4f91", "languages": ["nl"]})
    assert response.status_code == 302
    after.refresh_from_db()
    assert (after.name, after.colour, after.languages) == ("Heidestad", "#1d4f91", ["nl"])


# Emails --------------------------------------------------------------------------------


def test_emails_come_from_the_installation_without_a_sender(plain, demo, settings):
    from buddypages.registry.emails import registration_email_send

    person = participant(demo.programme)
    registration_email_send(participant_id=person.pk)
    (message,) = mail.outbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.reply_to == []


def test_a_participants_emails_come_from_their_programmes_municipality(default_site, demo):
    from buddypages.registry.emails import registration_email_send

    _settings_for(
        default_site,
        name="Buddywerking Heidestad",
        sender_email="buddy@heidestad.example",
        reply_to="coordinator@heidestad.example",
    )
    assert site_for_programme_key(demo.programme.translation_key) == default_site
    person = participant(demo.programme)
    registration_email_send(participant_id=person.pk)
    (message,) = mail.outbox
    assert message.from_email == "Buddywerking Heidestad <buddy@heidestad.example>"
    assert message.reply_to == ["coordinator@heidestad.example"]
    assert message.extra_headers["Message-ID"].endswith("@heidestad.example>")


def test_a_reply_to_alone_keeps_the_installations_sender(default_site, demo, settings):
    from buddypages.duos.emails import duo_emails_send
    from buddypages.duos.models import Duo

    _settings_for(default_site, reply_to="coordinator@heidestad.example")
    duo = Duo.objects.filter(programme_key=demo.programme.translation_key).first()
    duo_emails_send(duo_id=duo.pk, kind="introduction")
    assert mail.outbox
    assert {m.from_email for m in mail.outbox} == {settings.DEFAULT_FROM_EMAIL}
    assert all(m.reply_to == ["coordinator@heidestad.example"] for m in mail.outbox)


def test_an_activity_sign_up_comes_from_the_activitys_municipality(default_site, demo):
    from buddypages.calendar.emails import signup_email_send
    from buddypages.calendar.models import ActivitySignup
    from buddypages.models import ActivityPage

    _settings_for(default_site, name="Heidestad", sender_email="activiteiten@heidestad.example")
    activity = ActivityPage.objects.live().filter(locale__language_code="nl").first()
    signup = ActivitySignup.objects.create(
        activity=activity,
        occurrence_start=activity.start,
        name="Test",
        email="deelnemer@example.net",
        language="nl",
        status=ActivitySignup.CONFIRMED,
    )
    signup_email_send(signup_id=signup.pk, event="created")
    (message,) = mail.outbox
    assert message.from_email == "Heidestad <activiteiten@heidestad.example>"
    assert message.reply_to == []


def test_the_newsletter_comes_from_the_municipality_else_its_own_setting(default_site, demo):
    from newsletter.models import NewsletterIssuePage
    from newsletter.rendering import IssueRenderer, Recipient

    issue = NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")
    reader = Recipient(email="lezer@example.net", first_name="", language="nl")
    settings_row = _settings_for(default_site, sender_email="", reply_to="")
    from newsletter.conf import newsletter_setting

    assert IssueRenderer(issue).message(reader).from_email == newsletter_setting("FROM_EMAIL")
    settings_row.sender_name = "Nieuws uit Heidestad"
    settings_row.sender_email = "nieuws@heidestad.example"
    settings_row.reply_to = "coordinator@heidestad.example"
    settings_row.save()
    message = IssueRenderer(issue).message(reader)
    assert message.from_email == "Nieuws uit Heidestad <nieuws@heidestad.example>"
    assert message.reply_to == ["coordinator@heidestad.example"]


# Languages -----------------------------------------------------------------------------


def _switcher_languages(html: str) -> list[str]:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r' lang="([a-z-]+)" hreflang=', nav)


def test_every_language_without_a_choice(client, plain, settings):
    languages = _switcher_languages(client.get("/nl/").text)
    assert languages == [code for code, _name in settings.LANGUAGES]


def test_a_site_offers_only_its_languages(client, default_site):
    _settings_for(default_site, languages=["en", "nl", "ar"])
    # The installation's order, not the order ticked.
    assert _switcher_languages(client.get("/nl/").text) == ["nl", "en", "ar"]
    assert client.get("/ar/").status_code == 200


def test_a_language_the_site_does_not_offer_redirects_to_its_first(client, demo, default_site):
    _settings_for(default_site, languages=["en", "ar"])
    response = client.get("/fr/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    tips = demo.tip_index.get_translation(demo.home_pages["uk"].locale)
    response = client.get(tips.url)
    assert response.status_code == 302
    assert response["Location"] == demo.tip_index.get_translation(demo.home_pages["en"].locale).url
    assert client.get(response["Location"]).status_code == 200


def test_unknown_languages_stay_not_found(client, default_site):
    _settings_for(default_site, languages=["nl"])
    assert client.get("/zz/", follow=True).status_code == 404
    assert client.get("/nl/no-such-page/").status_code == 404


def test_a_site_without_a_saved_row_is_never_written_on_a_visit(client, plain):
    assert client.get("/nl/").status_code == 200
    assert client.get("/fr/").status_code == 200
    assert not MunicipalitySettings.objects.filter(site=plain).exists()


def test_a_form_sent_in_another_language_is_not_redirected_away(client, demo, default_site):
    from tests.buddypages.registry.helpers import form_data, registration_pages

    _settings_for(default_site, languages=["nl"])
    page = registration_pages()["fr"]["newcomer"]
    assert client.get(page.url).status_code == 302
    response = client.post(page.url, form_data("newcomer", email="sent.in.french@example.net"))
    assert response.status_code != 302 or "/fr/" in response["Location"]
    from buddypages.registry.models import Participant

    assert Participant.objects.filter(email="sent.in.french@example.net").exists()
