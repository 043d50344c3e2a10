import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation

from buddypages.core import languages
from buddypages.models import LanguageTipPage, ProgrammePage
from buddypages.pages.access import SiteGrant, registry_site_ids
from buddypages.registry.models import Participant

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str) -> bool:
    """Through the admin's login form, as people do (django-axes needs the request)."""
    response = client.post("/admin/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_demo_creates_the_home_page_in_every_locale(demo):
    assert set(demo.home_pages) == set(languages.LANGUAGE_CODES)
    for code, page in demo.home_pages.items():
        assert page.live, code
        assert page.locale.language_code == code


def test_demo_is_idempotent(demo, django_capture_on_commit_callbacks, capsys):
    def counts():
        return {
            "pages": Page.objects.count(),
            "sites": Site.objects.count(),
            "users": get_user_model().objects.count(),
            "people": Participant.objects.count(),
            "grants": SiteGrant.objects.count(),
        }

    # The fixture's demo has one site; the command adds the second town and two light ones.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--sites", "4", "--participants", "10")
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--sites", "4", "--participants", "10")
    assert counts() == first
    assert first["sites"] == 4
    out = capsys.readouterr().out
    assert "coordinator2" in out
    assert "http://bosdonk.localhost:" in out
    bosdonk = Site.objects.get(hostname="bosdonk.localhost")
    grants = {
        (grant.user.username, grant.site.hostname, grant.level)
        for grant in SiteGrant.objects.filter(user__isnull=False).select_related("user", "site")
    }
    assert ("coordinator", demo.site.hostname, "registry") in grants
    User = get_user_model()
    coordinator, coordinator2, editor = (
        User.objects.get(username=name) for name in ("coordinator", "coordinator2", "editor")
    )
    assert registry_site_ids(coordinator2) == {bosdonk.pk}  # through their town's group
    assert registry_site_ids(coordinator) == {demo.site.pk}
    # Each town's staff edit their own town's pages, in every language, and no other's.
    heidestad_nl = ProgrammePage.objects.in_site(demo.site).get(locale__language_code="nl")
    bosdonk_nl = ProgrammePage.objects.in_site(bosdonk).get(locale__language_code="nl")
    for code in ("nl", "ar"):
        heidestad_page = heidestad_nl.get_translation(Locale.objects.get(language_code=code))
        bosdonk_page = bosdonk_nl.get_translation(Locale.objects.get(language_code=code))
        assert heidestad_page.permissions_for_user(coordinator).can_edit()
        assert bosdonk_page.permissions_for_user(coordinator2).can_edit()
        assert not heidestad_page.permissions_for_user(coordinator2).can_edit()
        assert not bosdonk_page.permissions_for_user(coordinator).can_edit()
        assert not bosdonk_page.permissions_for_user(editor).can_edit()
    library_tip = LanguageTipPage.objects.filter(depth=3, locale__language_code="nl").first()
    assert library_tip.permissions_for_user(editor).can_edit()  # the region's tips library
    assert not library_tip.permissions_for_user(coordinator2).can_edit()
    assert {site for user, site, level in grants if user == "regional"} == set(
        Site.objects.values_list("hostname", flat=True)
    )
    assert {level for user, _site, level in grants if user == "regional"} == {"figures"}
    regional = get_user_model().objects.get(username="regional")
    assert not regional.has_perm("buddypages.view_participant")
    assert Participant.objects.filter(site=bosdonk).count() == 6  # 60 % of 10


def test_demo_password_comes_from_the_environment(db, monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    from buddysite.demo.loader import demo_load

    result = demo_load()
    assert result.password == "a-demo-password-for-tests"
    assert not result.password_generated
    assert log_in(client, "coordinator", "a-demo-password-for-tests")


def test_demo_password_is_generated_and_kept_when_not_given(db, monkeypatch, settings, tmp_path):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.BUDDYPAGES = {**settings.BUDDYPAGES, "DEMO_PASSWORD_FILE": tmp_path / "pw"}
    from buddysite.demo.loader import demo_password

    first, generated = demo_password()
    assert generated
    assert len(first) >= 12
    assert demo_password() == (first, True)


@pytest.mark.parametrize("username", ["coordinator", "editor"])
def test_demo_accounts_reach_the_admin(client, demo, username):
    assert log_in(client, username, demo.password)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_demo_accounts_are_not_superusers(demo):
    for username in ("coordinator", "editor"):
        user = get_user_model().objects.get(username=username)
        assert not user.is_superuser
        assert user.has_perm("wagtailadmin.access_admin")


def test_demo_translations_are_wagtail_localize_translations(demo):
    source_page = demo.home_pages["nl"]
    targets = Translation.objects.filter(source__object_id=source_page.translation_key)
    assert set(targets.values_list("target_locale__language_code", flat=True)) == set(
        languages.LANGUAGE_CODES
    ) - {"nl"}


def test_demo_editor_cannot_manage_users_or_settings(client, demo):
    assert log_in(client, "editor", demo.password)
    assert client.get("/admin/users/").status_code in {302, 403}
    assert client.get("/admin/groups/").status_code in {302, 403}
    assert client.get("/admin/sites/").status_code in {302, 403}


def test_demo_participants_are_fake_and_spread_out(demo):
    from buddypages.registry.models import Participant

    people = Participant.objects.filter(email__endswith="@example.org")
    assert people.count() == 60
    assert set(people.values_list("role", flat=True)) == {"newcomer", "volunteer"}
    assert len(set(people.values_list("status", flat=True))) == 8
    assert len(set(people.values_list("neighbourhood", flat=True))) >= 5
    assert len(set(people.values_list("spoken_languages__code", flat=True))) >= 8
    assert all(person.interests.exists() for person in people)
    assert all(person.consents.filter(purpose="programme").exists() for person in people)


def test_demo_has_both_sign_up_forms_in_at_least_nl_en_fr_ar(demo, client):
    from buddypages.models import RegistrationPage

    for code in ("nl", "en", "fr", "ar"):
        roles = set(
            RegistrationPage.objects.live()
            .filter(locale__language_code=code)
            .values_list("role", flat=True)
        )
        assert roles == {"newcomer", "volunteer"}, code
    # The programme's calls to action lead to the form in the reader's own language.
    body = client.get(demo.programme.get_translation(demo.home_pages["ar"].locale).url).content
    assert b'href="/ar/buddywerking/aanmelden-nieuwkomer/"' in body


def test_load_demo_adds_participants_up_to_the_number_asked(demo, capsys):
    from buddypages.registry.models import Participant

    call_command("load_demo", "--participants", "75", "--sites", "1")
    assert Participant.objects.filter(email__endswith="@example.org").count() == 75
    assert "75 fake participants" in capsys.readouterr().out
    call_command("load_demo", "--participants", "75", "--sites", "1")
    assert Participant.objects.filter(email__endswith="@example.org").count() == 75
