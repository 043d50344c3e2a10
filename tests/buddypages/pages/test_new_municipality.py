"""Adding a municipality in one step: its pages, its site and a staff group sealed to both."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import GroupPagePermission, Locale, Page, Site

from buddypages.models import ProgrammePage
from buddypages.pages.access import SiteGrant, registry_site_ids
from buddypages.pages.municipality import MunicipalitySettings
from buddypages.pages.new_municipality import municipality_add, pages_grant
from tests.buddypages.reports.conftest import municipality

pytestmark = pytest.mark.django_db


def member_of(group: Group, name: str):
    account = get_user_model().objects.create_user(username=name, password="x", is_staff=True)
    account.groups.add(group)
    return account


def test_a_new_municipality_s_staff_edit_its_pages_and_see_its_people_only():
    aalter, aalter_programme = municipality("Aalter")
    coordinators = Group.objects.create(name="Coordinators of the region")
    coordinators.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_participant"])
    )
    made = municipality_add(
        name="Buddywerking Beekdorp",
        hostname="Beekdorp.Example.be",
        languages=["nl", "ar", "nl"],
        like=coordinators,
    )
    site = made.site
    assert (site.hostname, site.port, site.site_name) == (
        "beekdorp.example.be",
        443,
        "Buddywerking Beekdorp",
    )
    assert made.home.live
    assert made.home.depth == 2
    assert made.home.locale.language_code == "nl"
    settings = MunicipalitySettings.objects.get(site=site)
    assert (settings.name, settings.languages) == ("Buddywerking Beekdorp", ["nl", "ar"])
    assert made.group.name == "Buddywerking Beekdorp staff"

    staff = member_of(made.group, "beekdorp")
    assert staff.has_perm("buddypages.view_participant")  # the coordinators' permissions
    assert registry_site_ids(staff) == frozenset({site.pk})
    programme = ProgrammePage(
        title="Buddy Beekdorp", slug="buddy", summary="B.", locale=made.home.locale
    )
    made.home.add_child(instance=programme)
    assert programme.permissions_for_user(staff).can_edit()
    assert made.home.permissions_for_user(staff).can_add_subpage()
    # Not another municipality's pages, not the top of the tree.
    assert not aalter_programme.permissions_for_user(staff).can_edit()
    assert not aalter.root_page.permissions_for_user(staff).can_add_subpage()
    assert not Page.get_first_root_node().permissions_for_user(staff).can_add_subpage()


def test_the_staff_edit_their_pages_in_every_language_translated_before_or_after():
    arabic, _created = Locale.objects.get_or_create(language_code="ar")
    french, _created = Locale.objects.get_or_create(language_code="fr")
    made = municipality_add(name="Beekdorp", hostname="beekdorp.example.be")
    staff = member_of(made.group, "beekdorp")
    arabic_home = made.home.copy_for_translation(arabic)  # after the group was made
    programme = ProgrammePage(title="Buddy", slug="buddy", summary="B.", locale=arabic)
    arabic_home.add_child(instance=programme)
    assert programme.permissions_for_user(staff).can_edit()
    assert arabic_home.permissions_for_user(staff).can_add_subpage()
    # Made before the group: the group is given it too (run again: nothing doubles).
    french_home = made.home.copy_for_translation(french)
    other = Group.objects.create(name="Beekdorp translators")
    pages_grant(other, made.home)
    pages_grant(other, made.home)
    translator = member_of(other, "translator")
    assert french_home.permissions_for_user(translator).can_edit()
    assert GroupPagePermission.objects.filter(group=other).count() == 3 * 3  # nl, ar, fr
    # Another municipality's translation is not theirs, nor a site made on a translation.
    aalter, _programme = municipality("Aalter")
    assert not aalter.root_page.copy_for_translation(arabic).permissions_for_user(staff).can_edit()
    german, _created = Locale.objects.get_or_create(language_code="de")
    elsewhere = made.home.copy_for_translation(german)
    Site.objects.create(hostname="elders.example.be", root_page=elsewhere)
    GroupPagePermission.objects.filter(page=elsewhere).delete()
    pages_grant(other, made.home)
    assert not elsewhere.permissions_for_user(translator).can_edit()


def test_bad_input_is_refused_with_a_reason_and_makes_nothing():
    aalter, _programme = municipality("Aalter")
    pages, sites, groups = Page.objects.count(), Site.objects.count(), Group.objects.count()
    cases = {
        "name": {"name": "  ", "hostname": "ok.example.be"},
        "hostname": {"name": "Beekdorp", "hostname": "beek dorp!"},
        "port": {"name": "Beekdorp", "hostname": "ok.example.be", "port": 70000},
        "languages": {"name": "Beekdorp", "hostname": "ok.example.be", "languages": ["nl", "xx"]},
        "group": {"name": "Beekdorp", "hostname": "ok.example.be", "group_name": "g" * 151},
    }
    for field, arguments in cases.items():
        with pytest.raises(ValidationError) as refused:
            municipality_add(**arguments)
        assert field in refused.value.message_dict, field
    with pytest.raises(ValidationError) as refused:
        municipality_add(name="Beekdorp", hostname=aalter.hostname, port=aalter.port)
    assert "already answers" in refused.value.message_dict["hostname"][0]
    assert (Page.objects.count(), Site.objects.count(), Group.objects.count()) == (
        pages,
        sites,
        groups,
    )


def test_an_existing_group_is_never_widened_to_another_municipality():
    first = municipality_add(name="Beekdorp", hostname="a.example.be")
    staff = member_of(first.group, "beekdorp-a")
    sites, pages = Site.objects.count(), Page.objects.count()
    with pytest.raises(ValidationError) as refused:
        municipality_add(name="Beekdorp", hostname="b.example.be")  # same group name
    assert "exists already" in refused.value.message_dict["group"][0]
    with pytest.raises(ValidationError):
        municipality_add(name="Elders", hostname="c.example.be", group_name=first.group.name)
    assert (Site.objects.count(), Page.objects.count()) == (sites, pages)
    assert registry_site_ids(staff) == frozenset({first.site.pk})
    second = municipality_add(name="Beekdorp", hostname="b.example.be", group_name="Beekdorp B")
    assert (first.home.slug, second.home.slug) == ("beekdorp", "beekdorp-2")
    assert SiteGrant.objects.filter(group=second.group, site=second.site).count() == 1
    assert not second.home.permissions_for_user(staff).can_add_subpage()


def test_the_command_says_what_it_made_and_which_sites_nobody_sees():
    aalter, _programme = municipality("Aalter")  # nobody is granted Aalter
    out = StringIO()
    root_editors = Group.objects.create(name="Root editors")
    pages_grant(root_editors, Page.get_first_root_node())
    call_command(
        "add_municipality",
        "Buddywerking Beekdorp",
        "--host",
        "beekdorp.localhost",
        "--port",
        "8000",
        "--languages",
        "NL, fr",
        stdout=out,
    )
    text = out.getvalue()
    assert "Added Buddywerking Beekdorp: site beekdorp.localhost:8000" in text
    assert "'Buddywerking Beekdorp staff'" in text
    assert "Nobody is granted these sites" in text
    assert "may edit pages at the top of the page tree" in text
    assert "'Root editors'" in text
    assert "Aalter" in text
    assert MunicipalitySettings.objects.get(site__hostname="beekdorp.localhost").languages == [
        "nl",
        "fr",
    ]
    with pytest.raises(CommandError, match="No group 'Nobody'"):
        call_command("add_municipality", "X", "--host", "x.example.be", "--like", "Nobody")
    with pytest.raises(CommandError, match="already answers"):
        call_command("add_municipality", "Y", "--host", "beekdorp.localhost", "--port", "8000")


def test_the_new_home_page_answers_on_its_host_without_its_name_twice(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "beekdorp.example.be"]
    made = municipality_add(name="Buddywerking Beekdorp", hostname="beekdorp.example.be", port=80)
    response = client.get("/", HTTP_HOST="beekdorp.example.be", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/nl/"  # the Dutch home page of Beekdorp
    assert made.home.full_url == "http://beekdorp.example.be/nl/"
    assert "<title>Buddywerking Beekdorp</title>" in response.text
