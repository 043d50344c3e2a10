"""The duos' admin, sealed by municipality: a coordinator granted site A reaches nothing of
site B (404, and none of B's names anywhere in the answer), and A's own screens still work.

Each town is a Wagtail Site of its own with a programme; its people carry names found
nowhere else, so "not in the body" means the screen leaked nothing."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from buddypages.calendar.pages import ActivityPage
from buddypages.duos import certificates, vouchers
from buddypages.duos.admin import DuoDashboardPanel
from buddypages.duos.models import (
    Duo,
    DuoGoal,
    DuoQuestion,
    MatchProposal,
    SpeedDatePick,
    Voucher,
    VoucherOffer,
)
from buddypages.duos.plans_admin import FeedbackResultsPanel
from buddypages.pages.access import SiteGrant
from buddypages.pages.snippets import Partner
from buddypages.registry.models import Participant
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)

# What must never reach site A's coordinator: site B's people, programme, offers, questions.
B_SECRETS = [
    "Brunhilde",
    "Bertolda",
    "Noordkampsen",
    "Buddy Bosveldwijk",
    "Zwemkaarten Bosveldwijk",
    "Zwemkaarten voor iedereen",
    "Huurvraag van Bosveldwijk",
]


def town(name: str, programme_title: str):
    """A site with its own Dutch home page and one programme: (site, programme)."""
    from buddypages.models import HomePage, ProgrammePage

    number = next(_numbers)
    nl, _created = Locale.objects.get_or_create(language_code="nl")
    home = HomePage(title=name, slug=f"sealed-home-{number}", locale=nl)
    Page.get_first_root_node().add_child(instance=home)
    programme = ProgrammePage(
        title=programme_title, slug=f"sealed-buddy-{number}", summary=f"{name}.", locale=nl
    )
    home.add_child(instance=programme)
    programme.save_revision().publish()
    site = Site.objects.create(
        hostname=f"sealed-{number}.example", port=80, root_page=home, site_name=name
    )
    return site, programme


def person(programme, first_name: str, last_name: str, role: str, **fields):
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "status": "waiting",
        "waiting_since": timezone.now() - timedelta(days=40),
        "neighbourhood": "Centrum",
        "preferred_language": "ar" if role == "newcomer" else "nl",
    }
    values.update(fields)
    return participant(programme, **values)


def duo(programme, newcomer, volunteer, **fields) -> Duo:
    today = timezone.localdate()
    values = {
        "programme": programme,
        "programme_key": programme.translation_key,
        "newcomer": newcomer,
        "volunteer": volunteer,
        "start_date": today - timedelta(days=90),
        "planned_end": today + timedelta(days=90),
        # Overdue: the dashboard lists it under "feedback due".
        "feedback_due": today - timedelta(days=3),
        "status": Duo.Status.ACTIVE,
    }
    values.update(fields)
    return Duo.objects.create(**values)


class Towns:
    """Site A (Aalbeke) and site B (Bosveldwijk), each with people, duos and the rest."""

    def __init__(self, demo):
        self.site_a, self.programme_a = town("Aalbekehb", "Buddy Aalbeke")
        self.site_b, self.programme_b = town("Bosveldhb", "Buddy Bosveldwijk")
        a, b = self.programme_a, self.programme_b
        self.newcomer_a = person(a, "Amberlijn", "Zuidkampsen", "newcomer", status="active")
        self.volunteer_a = person(a, "Annemieke", "Zuidkampsen", "volunteer", status="active")
        self.waiting_newcomer_a = person(a, "Aukje", "Zuidkampsen", "newcomer")
        self.waiting_volunteer_a = person(a, "Adelheid", "Zuidkampsen", "volunteer")
        self.newcomer_b = person(b, "Brunhilde", "Noordkampsen", "newcomer", status="active")
        self.volunteer_b = person(b, "Bertolda", "Noordkampsen", "volunteer", status="active")
        self.waiting_volunteer_b = person(b, "Bertolda", "Noordkampsen-Tweede", "volunteer")
        self.duo_a = duo(a, self.newcomer_a, self.volunteer_a)
        self.duo_b = duo(b, self.newcomer_b, self.volunteer_b)
        self.done_a = duo(
            a,
            person(a, "Alida", "Zuidkampsen", "newcomer", status="completed"),
            person(a, "Arend", "Zuidkampsen", "volunteer", status="completed"),
            status=Duo.Status.COMPLETED,
            ended_on=timezone.localdate(),
        )
        self.done_b = duo(
            b,
            person(b, "Brunhilde", "Noordkampsen-Derde", "newcomer", status="completed"),
            person(b, "Bertolda", "Noordkampsen-Derde", "volunteer", status="completed"),
            status=Duo.Status.COMPLETED,
            ended_on=timezone.localdate(),
        )
        self.question_b = DuoQuestion.objects.create(
            duo=self.duo_b,
            role="newcomer",
            category="housing",
            text="Huurvraag van Bosveldwijk",
            language="nl",
        )
        partner = Partner.objects.filter(locale__language_code="nl").first()
        self.offer_a = self.offer(partner, "Zwemkaarten Aalbeke", a.translation_key)
        self.offer_b = self.offer(partner, "Zwemkaarten Bosveldwijk", b.translation_key)
        self.offer_all = self.offer(partner, "Zwemkaarten voor iedereen", None)
        # B's coordinator hands one out: the offer page would list the duo.
        self.coordinator_b = self._coordinator(self.site_b)
        vouchers.vouchers_hand_out(offer=self.offer_b, duos=[self.duo_b], user=self.coordinator_b)
        self.coordinator = self._coordinator(self.site_a)

    def offer(self, partner, what, key):
        return vouchers.voucher_offer_save(
            offer=VoucherOffer(partner=partner, what=what, per_duo_limit=3, programme_key=key),
            quantity=10,
            user=None,
        )

    def _coordinator(self, site):
        """A coordinator like the demo's, granted ``site`` only."""
        model = get_user_model()
        template = model.objects.get(username="coordinator")
        user = model.objects.create_user(
            username=f"sealed-coordinator-{next(_numbers)}", password="x", is_staff=True
        )
        user.groups.set(template.groups.all())
        user.user_permissions.set(template.user_permissions.all())
        SiteGrant.objects.create(site=site, user=user, level=SiteGrant.Level.REGISTRY)
        return user

    def client(self) -> Client:
        client = Client()
        client.force_login(self.coordinator)
        return client


@pytest.fixture
def towns(demo):
    return Towns(demo)


def assert_sealed(response, url=""):
    """Not found or forbidden, and none of site B's names anywhere in the answer."""
    assert response.status_code in (403, 404), (url, response.status_code)
    assert_nothing_of_b(response, url)


def assert_nothing_of_b(response, url=""):
    body = response.content.decode()
    for secret in B_SECRETS:
        assert secret not in body, (url, secret)


def b_urls(towns: Towns) -> list[str]:
    b = towns
    return [
        f"/admin/matching/{b.programme_b.pk}/",
        f"/admin/matching/{b.programme_b.pk}/pairs/",
        f"/admin/duos/inspect/{b.duo_b.pk}/",
        f"/admin/duos/edit/{b.duo_b.pk}/",
        f"/admin/duos/delete/{b.duo_b.pk}/",
        f"/admin/duos/history/{b.duo_b.pk}/",
        f"/admin/duos/proof/{b.duo_b.pk}/",
        f"/admin/duo-plans/{b.duo_b.pk}/",
        f"/admin/duo_questions/inspect/{b.question_b.pk}/",
        f"/admin/duo_questions/edit/{b.question_b.pk}/",
        f"/admin/voucher_offers/offer/{b.offer_b.pk}/",
        f"/admin/voucher_offers/edit/{b.offer_b.pk}/",
        f"/admin/voucher_offers/delete/{b.offer_b.pk}/",
        f"/admin/voucher_offers/history/{b.offer_b.pk}/",
        f"/admin/voucher_offers/offer/{b.offer_all.pk}/",
        f"/admin/voucher_offers/edit/{b.offer_all.pk}/",
        f"/admin/duo-closing/{b.done_b.pk}/certificate/newcomer/",
        f"/admin/duo-closing/{b.done_b.pk}/certificate/volunteer/",
    ]


def test_a_coordinator_of_site_a_reaches_nothing_of_site_b(towns):
    client = towns.client()
    for url in b_urls(towns):
        assert_sealed(client.get(url), url)


def test_posts_on_site_b_change_nothing(towns):
    client = towns.client()
    b = towns
    posts = [
        (f"/admin/duos/action/{b.duo_b.pk}/", {"action": "pause"}),
        (f"/admin/duo-plans/{b.duo_b.pk}/", {"rows": "1", "goal-0-text": "Fietsen"}),
        (f"/admin/duo-closing/{b.done_b.pk}/send/", {}),
        (
            f"/admin/voucher_offers/duo/{b.duo_b.pk}/",
            {"offer": b.offer_a.pk, f"count-{b.duo_b.pk}": "1"},
        ),
        (f"/admin/matching/{b.programme_b.pk}/", {"action": "propose"}),
        (f"/admin/duo_questions/delete/{b.question_b.pk}/", {}),
    ]
    for url, data in posts:
        assert_sealed(client.post(url, data), url)
    b.duo_b.refresh_from_db()
    b.done_b.refresh_from_db()
    assert b.duo_b.status == Duo.Status.ACTIVE
    assert b.done_b.closing_sent_at is None
    assert not DuoGoal.objects.filter(duo=b.duo_b).exists()
    assert Voucher.objects.filter(duo=b.duo_b).count() == 1  # the one B's coordinator gave
    assert DuoQuestion.objects.filter(pk=b.question_b.pk).exists()
    assert not MatchProposal.objects.filter(programme_key=b.programme_b.translation_key).exists()


def test_the_lists_and_the_home_show_only_site_a(towns):
    client = towns.client()
    for url in [
        "/admin/",
        "/admin/matching/",
        f"/admin/matching/{towns.programme_a.pk}/",
        f"/admin/matching/{towns.programme_a.pk}/pairs/",
        "/admin/duos/",
        "/admin/duo_questions/",
        "/admin/voucher_offers/",
        "/admin/voucher_offers/report/",
        "/admin/voucher_offers/new/",
        f"/admin/duos/inspect/{towns.duo_a.pk}/",
        f"/admin/voucher_offers/offer/{towns.offer_a.pk}/",
        f"/admin/voucher_offers/history/{towns.offer_a.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_nothing_of_b(response, url)
    # The search box repeats what was typed; the duo found would be "Brunhilde & Bertolda".
    assert "Brunhilde" not in client.get("/admin/duos/?q=Bertolda").content.decode()
    home = client.get("/admin/").content.decode()
    assert "Amberlijn" in home  # A's overdue feedback conversation is listed
    assert "Buddy Aalbeke" in client.get("/admin/matching/").content.decode()
    offers = client.get("/admin/voucher_offers/").content.decode()
    assert "Zwemkaarten Aalbeke" in offers


def test_site_a_screens_work_for_its_coordinator(towns):
    client = towns.client()
    a = towns
    for url in [
        f"/admin/duos/edit/{a.duo_a.pk}/",
        f"/admin/duo-plans/{a.duo_a.pk}/",
        f"/admin/duo-closing/{a.done_a.pk}/certificate/newcomer/",
    ]:
        assert client.get(url).status_code == 200, url
    assert "Amberlijn" in client.get("/admin/duos/").content.decode()
    client.post(f"/admin/duos/action/{a.duo_a.pk}/", {"action": "pause"})
    a.duo_a.refresh_from_db()
    assert a.duo_a.status == Duo.Status.PAUSED


def test_the_matching_page_shows_only_its_sites_proposals(towns):
    """A proposal left over with a member of another site is neither shown nor accepted,
    and a volunteer of site B cannot be put in one of A's proposals."""
    a = towns
    own = MatchProposal.objects.create(
        programme_key=a.programme_a.translation_key,
        newcomer=a.waiting_newcomer_a,
        volunteer=a.waiting_volunteer_a,
        score=1,
    )
    crossed = MatchProposal.objects.create(
        programme_key=a.programme_a.translation_key,
        newcomer=a.waiting_newcomer_a,
        volunteer=a.waiting_volunteer_b,
        score=9,
    )
    client = towns.client()
    url = f"/admin/matching/{a.programme_a.pk}/"
    page = client.get(url)
    assert "Aukje" in page.content.decode()
    assert_nothing_of_b(page, url)
    response = client.post(url, {"action": "accept", "proposal": crossed.pk}, follow=True)
    assert response.status_code == 404
    assert_nothing_of_b(response, url)
    assert not Duo.objects.filter(volunteer=a.waiting_volunteer_b).exists()
    response = client.post(
        url,
        {"action": "change", "proposal": own.pk, "volunteer": a.waiting_volunteer_b.pk},
        follow=True,
    )
    with translation.override("nl"):
        assert escape(gettext("This volunteer cannot be matched now.")) in response.content.decode()
    assert_nothing_of_b(response, url)
    own.refresh_from_db()
    assert own.volunteer == a.waiting_volunteer_a


def test_speed_date_picks_stay_within_the_site(towns):
    a = towns
    client = towns.client()
    url = f"/admin/matching/{a.programme_a.pk}/pairs/"
    response = client.post(
        url,
        {"action": "picks", "chooser": a.waiting_newcomer_a.pk, "chosen": [a.volunteer_b.pk]},
    )
    assert response.status_code == 400
    assert_nothing_of_b(response, url)
    assert not SpeedDatePick.objects.filter(chooser=a.waiting_newcomer_a).exists()
    # An old pick with someone of site B is not shown either.
    SpeedDatePick.objects.create(chooser=a.waiting_newcomer_a, chosen=a.volunteer_b)
    assert_nothing_of_b(client.get(url), url)


def test_vouchers_go_only_to_duos_of_visible_sites(towns):
    a = towns
    client = towns.client()
    url = f"/admin/voucher_offers/offer/{a.offer_a.pk}/"
    page = client.get(url).content.decode()
    assert "Amberlijn" in page
    response = client.post(
        url,
        {"duo": [a.duo_a.pk, a.duo_b.pk], f"count-{a.duo_a.pk}": "1", f"count-{a.duo_b.pk}": "1"},
    )
    assert response.status_code == 400
    with translation.override("nl"):  # the coordinator's admin language
        assert escape(str(vouchers.NOT_YOURS)) in response.content.decode()
    assert_nothing_of_b(response, url)
    assert not Voucher.objects.filter(offer=a.offer_a).exists()
    # The service refuses too, whatever a view passes it.
    with pytest.raises(vouchers.VoucherError):
        vouchers.vouchers_hand_out(offer=a.offer_all, duos=[a.duo_b], user=a.coordinator)
    assert not Voucher.objects.filter(offer=a.offer_all).exists()
    # A's own duo gets its voucher.
    client.post(url, {"duo": [a.duo_a.pk], f"count-{a.duo_a.pk}": "1"})
    assert Voucher.objects.filter(offer=a.offer_a, duo=a.duo_a).count() == 1


def test_a_new_offer_is_for_one_of_the_coordinators_programmes(towns):
    client = towns.client()
    form = client.get("/admin/voucher_offers/new/").content.decode()
    assert "Buddy Aalbeke" in form
    for language in ("en", "nl"):
        with translation.override(language):
            assert escape(gettext("All programmes")) not in form
    assert "Buddy Bosveldwijk" not in form


def test_dashboard_figures_are_site_a_rows(towns):
    a = towns
    context = DuoDashboardPanel(user=a.coordinator).get_context_data()
    waiting = Participant.objects.awaiting_match().filter(site=a.site_a)
    assert context["newcomers_waiting"] == waiting.filter(role="newcomer").count() == 1
    assert context["volunteers_waiting"] == waiting.filter(role="volunteer").count() == 1
    assert context["active_duos"] == Duo.objects.running().filter(site=a.site_a).count() == 1
    assert [duo.pk for duo in context["feedback_due"]] == [a.duo_a.pk]
    results = FeedbackResultsPanel(user=a.coordinator).get_context_data()
    assert [row["programme"].pk for row in results["programmes"]] == [a.programme_a.pk]


def test_a_completed_duo_is_invited_to_its_own_towns_closing_celebration(towns):
    """The demo's town plans a closing celebration; site A plans none: A's completed duo
    is not sent to another municipality's party."""
    elsewhere = certificates.closing_invitation(role="newcomer", language="nl")
    assert elsewhere is not None, "the demo plans a closing celebration"
    assert (
        certificates.closing_invitation(role="newcomer", language="nl", site_id=towns.site_a.pk)
        is None
    )
    page = towns.client().get(f"/admin/duos/inspect/{towns.done_a.pk}/").content.decode()
    titles = ActivityPage.objects.filter(kind="closing_celebration").values_list("title", flat=True)
    assert "Alida" in page
    assert not [title for title in titles if escape(title) in page]
