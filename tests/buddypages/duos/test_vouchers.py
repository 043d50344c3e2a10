"""Partner vouchers: offers, handing out, marking used, the duo page, the report, erasure."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.users.models import UserProfile

from buddypages.duos import vouchers
from buddypages.duos.models import Duo, Voucher, VoucherOffer
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.snippets import Partner
from buddypages.registry.data_protection import participant_erase, participant_export
from buddypages.registry.models import RegistryAuditEvent
from tests.buddypages.registry.helpers import participant

pytestmark = pytest.mark.django_db


def make_duo(programme, n: int, *, key=None, status=Duo.Status.ACTIVE) -> Duo:
    key = key or programme.translation_key
    people = [
        participant(
            programme,
            first_name=f"{role.title()}{n}",
            last_name="Testbon",
            programme_key=key,
            role=role,
            status="active",
            ready=False,
        )
        for role in ("newcomer", "volunteer")
    ]
    today = timezone.localdate()
    return Duo.objects.create(
        programme=programme,
        programme_key=key,
        newcomer=people[0],
        volunteer=people[1],
        start_date=today - timedelta(days=30),
        planned_end=today + timedelta(days=150),
        feedback_due=today + timedelta(days=60),
        status=status,
    )


@pytest.fixture
def coordinator(demo):
    return get_user_model().objects.get(username="coordinator")


@pytest.fixture
def partner(demo):
    return Partner.objects.get(name="Sportcentrum De Heide", locale__language_code="nl")


@pytest.fixture
def key():
    return uuid.uuid4()


@pytest.fixture
def duos(demo, key):
    return [make_duo(demo.programme, n, key=key) for n in range(4)]


def new_offer(partner, user, *, quantity=5, per_duo_limit=2, key=None, **fields):
    return vouchers.voucher_offer_save(
        offer=VoucherOffer(
            partner=partner,
            what="Twee tickets voor het zwembad",
            per_duo_limit=per_duo_limit,
            programme_key=key,
            **fields,
        ),
        quantity=quantity,
        user=user,
    )


def login(username):
    """An admin client; the coordinator reads the admin in English here."""
    client = Client()
    if username:
        user = get_user_model().objects.get(username=username)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        client.force_login(user)
    return client


# --- Offers and handing out ---------------------------------------------------------------


def test_a_new_offer_has_its_quantity_in_stock_and_the_partners_name(partner, coordinator):
    offer = new_offer(partner, coordinator, quantity=7)
    offer.refresh_from_db()
    assert (offer.quantity, offer.stock, offer.used_count) == (7, 7, 0)
    assert offer.partner_name == "Sportcentrum De Heide"


def test_changing_the_quantity_moves_the_stock_but_never_under_what_is_handed_out(
    partner, coordinator, duos
):
    offer = new_offer(partner, coordinator, quantity=5)
    vouchers.vouchers_hand_out(offer=offer, duos=duos[:2], count=2, user=coordinator)
    offer.refresh_from_db()
    assert offer.stock == 1
    vouchers.voucher_offer_save(offer=offer, quantity=9, user=coordinator)
    offer.refresh_from_db()
    assert (offer.quantity, offer.stock) == (9, 5)
    with translation.override("en"), pytest.raises(vouchers.VoucherError) as refused:
        vouchers.voucher_offer_save(offer=offer, quantity=3, user=coordinator)
    assert "4 vouchers are already handed out" in str(refused.value.message)
    offer.refresh_from_db()
    assert (offer.quantity, offer.stock) == (9, 5)
    vouchers.voucher_offer_save(offer=offer, quantity=4, user=coordinator)
    offer.refresh_from_db()
    assert (offer.quantity, offer.stock) == (4, 0)


def test_hand_out_gives_readable_unique_codes_and_writes_the_audit_log(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, quantity=10)
    made = vouchers.vouchers_hand_out(offer=offer, duos=duos, count=2, user=coordinator)
    assert len(made) == 8
    codes = [voucher.code for voucher in made]
    assert len(set(codes)) == 8
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code), code
    offer.refresh_from_db()
    assert offer.stock == 2
    for duo in duos:
        assert duo.vouchers.count() == 2
        assert RegistryAuditEvent.objects.filter(
            participant_ref=duo.newcomer_id, detail__contains="handed out"
        ).exists()


def test_a_number_per_duo(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, quantity=10, per_duo_limit=3)
    made = vouchers.vouchers_hand_out(
        offer=offer, duos=duos[:3], count={duos[0].pk: 3, duos[1].pk: 1}, user=coordinator
    )
    assert len(made) == 4
    assert [duo.vouchers.count() for duo in duos[:3]] == [3, 1, 0]


def test_too_few_left_hands_out_nothing_and_says_how_many_are_left(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, quantity=3)
    with translation.override("en"), pytest.raises(vouchers.VoucherError) as refused:
        vouchers.vouchers_hand_out(offer=offer, duos=duos[:2], count=2, user=coordinator)
    assert str(refused.value.message) == "Only 3 vouchers left: nothing was handed out."
    offer.refresh_from_db()
    assert offer.stock == 3
    assert not Voucher.objects.filter(offer=offer).exists()


def test_the_limit_per_duo_counts_what_the_duo_already_has(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, quantity=10, per_duo_limit=2)
    vouchers.vouchers_hand_out(offer=offer, duos=[duos[0]], count=1, user=coordinator)
    with translation.override("en"), pytest.raises(vouchers.VoucherError) as refused:
        vouchers.vouchers_hand_out(offer=offer, duos=duos[:2], count=2, user=coordinator)
    assert "At most 2 vouchers per duo" in str(refused.value.message)
    assert str(duos[0]) in str(refused.value.message)
    offer.refresh_from_db()
    assert offer.stock == 9  # nothing for the second duo either: all or nothing


def test_expired_offers_other_programmes_and_ended_duos_are_refused(
    demo, partner, coordinator, duos, key
):
    expired = new_offer(partner, coordinator, valid_until=timezone.localdate() - timedelta(days=1))
    with translation.override("en"), pytest.raises(vouchers.VoucherError, match="expired"):
        vouchers.vouchers_hand_out(offer=expired, duos=duos[:1], user=coordinator)
    other = new_offer(partner, coordinator, key=uuid.uuid4())
    with (
        translation.override("en"),
        pytest.raises(vouchers.VoucherError, match="another programme"),
    ):
        vouchers.vouchers_hand_out(offer=other, duos=duos[:1], user=coordinator)
    ended = make_duo(demo.programme, 9, key=key, status=Duo.Status.COMPLETED)
    offer = new_offer(partner, coordinator, key=key)
    with translation.override("en"), pytest.raises(vouchers.VoucherError, match="running duos"):
        vouchers.vouchers_hand_out(offer=offer, duos=[ended], user=coordinator)
    assert not Voucher.objects.filter(offer__in=[expired, other, offer]).exists()


def test_the_database_refuses_a_negative_stock(partner, coordinator):
    offer = new_offer(partner, coordinator, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherOffer.objects.filter(pk=offer.pk).update(stock=-1)


def test_mark_used_and_undo_count_on_the_offer(partner, coordinator, duos):
    offer = new_offer(partner, coordinator)
    (voucher,) = vouchers.vouchers_hand_out(offer=offer, duos=duos[:1], user=coordinator)
    vouchers.voucher_mark_used(voucher=voucher, user=coordinator)
    vouchers.voucher_mark_used(voucher=voucher, user=coordinator)  # twice counts once
    offer.refresh_from_db()
    assert voucher.used_at is not None
    assert offer.used_count == 1
    vouchers.voucher_mark_used(voucher=voucher, user=coordinator, used=False)
    offer.refresh_from_db()
    assert voucher.used_at is None
    assert offer.used_count == 0


# --- Report, erasure, export ----------------------------------------------------------------


def test_the_report_counts_survive_the_erasure_of_a_duo(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, quantity=6)
    made = vouchers.vouchers_hand_out(offer=offer, duos=duos[:2], count=2, user=coordinator)
    vouchers.voucher_mark_used(voucher=made[0], user=coordinator)
    erased = duos[0]
    participant_erase(participant=erased.newcomer, user=coordinator)
    assert not Duo.objects.filter(pk=erased.pk).exists()
    assert not Voucher.objects.filter(duo_id=erased.pk).exists()
    (group,) = [g for g in vouchers.voucher_report() if g["partner"] == "Sportcentrum De Heide"]
    (row,) = [r for r in group["offers"] if r["offer"].pk == offer.pk]
    assert (row["quantity"], row["handed_out"], row["used"], row["left"]) == (6, 4, 1, 2)
    later = timezone.localdate() + timedelta(days=400)
    VoucherOffer.objects.filter(pk=offer.pk).update(valid_until=timezone.localdate())
    (group,) = [g for g in vouchers.voucher_report(on=later) if g["partner"] == group["partner"]]
    (row,) = [r for r in group["offers"] if r["offer"].pk == offer.pk]
    assert row["expired_unused"] == 3


def test_the_persons_export_lists_the_vouchers_of_their_duos(partner, coordinator, duos):
    offer = new_offer(partner, coordinator)
    (voucher,) = vouchers.vouchers_hand_out(offer=offer, duos=duos[:1], user=coordinator)
    for person in (duos[0].newcomer, duos[0].volunteer):
        data = participant_export(participant=person, user=coordinator)
        assert [item["code"] for item in data["vouchers"]] == [voucher.code]
        assert data["vouchers"][0]["partner"] == "Sportcentrum De Heide"
    assert participant_export(participant=duos[1].newcomer, user=coordinator)["vouchers"] == []


# --- The duo page and the printable voucher -------------------------------------------------


def test_the_duo_page_lists_the_vouchers_and_links_the_printable_one(partner, coordinator, duos):
    offer = new_offer(partner, coordinator, valid_until=timezone.localdate() + timedelta(days=30))
    valid, used = vouchers.vouchers_hand_out(offer=offer, duos=duos[:1], count=2, user=coordinator)
    vouchers.voucher_mark_used(voucher=used, user=coordinator)
    token = duo_link_token(duos[0], "newcomer")
    page = Client().get(f"/en/duo/{token}/")
    html = page.content.decode()
    assert "Your vouchers" in html
    assert "Sportcentrum De Heide" in html
    assert valid.code in html
    assert used.code in html
    assert f"/en/duo/{token}/voucher/{valid.code}/" in html
    assert f"/en/duo/{token}/voucher/{used.code}/" not in html  # used: nothing to show
    assert "Used" in html

    printable = Client().get(f"/ar/duo/{token}/voucher/{valid.code}/")
    assert printable.status_code == 200
    text = printable.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert valid.code in text
    assert "<svg" in text
    assert 'viewBox="0 0' in text
    assert "voucher.css" in text
    assert "no-cache" in printable["Cache-Control"]


def test_the_printable_voucher_tells_when_it_is_used_or_expired(partner, coordinator, duos):
    offer = new_offer(partner, coordinator)
    (voucher,) = vouchers.vouchers_hand_out(offer=offer, duos=duos[:1], user=coordinator)
    url = f"/en/duo/{duo_link_token(duos[0], 'volunteer')}/voucher/{voucher.code}/"
    vouchers.voucher_mark_used(voucher=voucher, user=coordinator)
    assert "This voucher is used." in Client().get(url).content.decode()
    vouchers.voucher_mark_used(voucher=voucher, user=coordinator, used=False)
    VoucherOffer.objects.filter(pk=offer.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert "This voucher has expired." in Client().get(url).content.decode()


def test_another_duos_code_is_a_translated_404(partner, coordinator, duos):
    offer = new_offer(partner, coordinator)
    (voucher,) = vouchers.vouchers_hand_out(offer=offer, duos=duos[:1], user=coordinator)
    other = duo_link_token(duos[1], "newcomer")
    for code in (voucher.code, "not-a-code", voucher.code.lower()):
        response = Client().get(f"/nl/duo/{other}/voucher/{code}/")
        assert response.status_code == 404
        assert "We konden deze bon niet vinden." in response.content.decode()
        assert "Twee tickets voor het zwembad" not in response.content.decode()
    assert Client().get(f"/nl/duo/broken/voucher/{voucher.code}/").status_code == 404


# --- The admin ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "editor"])
def test_only_coordinators_reach_the_voucher_screens(partner, coordinator, duos, who):
    offer = new_offer(partner, coordinator)
    client = login(who)
    for url in (
        "/admin/voucher_offers/",
        f"/admin/voucher_offers/offer/{offer.pk}/",
        "/admin/voucher_offers/report/",
    ):
        assert client.get(url).status_code != 200, url
    client.post(
        f"/admin/voucher_offers/offer/{offer.pk}/",
        {"duo": [duos[0].pk], f"count-{duos[0].pk}": "1"},
    )
    offer.refresh_from_db()
    assert offer.stock == 5


def test_a_coordinator_creates_an_offer_and_hands_it_out_from_the_list(
    partner, coordinator, duos, key
):
    client = login("coordinator")
    assert client.get("/admin/voucher_offers/new/").status_code == 200
    response = client.post(
        "/admin/voucher_offers/new/",
        {
            "partner": partner.pk,
            "what": "Een ticket voor de film",
            "quantity": "3",
            "valid_until": "",
            "per_duo_limit": "1",
            "programme": "",
        },
    )
    assert response.status_code == 302
    offer = VoucherOffer.objects.get(what="Een ticket voor de film")
    assert offer.stock == 3
    url = f"/admin/voucher_offers/offer/{offer.pk}/"
    page = client.get(url).content.decode()
    assert escape(str(duos[0])) in page
    chosen = [duo.pk for duo in duos[:2]]
    response = client.post(
        url, {"duo": chosen, **{f"count-{pk}": "1" for pk in chosen}}, follow=True
    )
    assert "2 vouchers handed out." in response.content.decode()
    response = client.post(
        url, {"duo": [duos[2].pk, duos[3].pk], **{f"count-{d.pk}": "1" for d in duos}}, follow=True
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only 1 voucher left: nothing was handed out." in page
    # What the coordinator ticked and typed is still there.
    for duo in duos[2:4]:
        assert f'value="{duo.pk}" id="duo-{duo.pk}" checked' in page
    response = client.post(url, {"duo": [duos[2].pk], f"count-{duos[2].pk}": "-4"}, follow=True)
    assert "Give a number from 0 to 20" in response.content.decode()
    assert f'name="count-{duos[2].pk}" value="-4"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.stock == 1
    # Lowering under what is handed out: the form says why.
    response = client.post(
        f"/admin/voucher_offers/edit/{offer.pk}/",
        {"partner": partner.pk, "what": offer.what, "quantity": "1", "per_duo_limit": "1"},
    )
    assert response.status_code == 200
    assert "2 vouchers are already handed out" in response.content.decode()
    report = client.get("/admin/voucher_offers/report/").content.decode()
    assert "Een ticket voor de film" in report


def test_the_duo_admin_page_hands_out_and_marks_used(partner, coordinator, duos, key):
    offer = new_offer(partner, coordinator, key=key)
    client = login("coordinator")
    duo = duos[0]
    page = client.get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert "Twee tickets voor het zwembad" in page
    client.post(
        f"/admin/voucher_offers/duo/{duo.pk}/",
        {"action": "hand_out", "offer": offer.pk, f"count-{duo.pk}": "2"},
    )
    assert duo.vouchers.count() == 2
    voucher = duo.vouchers.first()
    client.post(f"/admin/voucher_offers/duo/{duo.pk}/", {"action": "used", "voucher": voucher.pk})
    voucher.refresh_from_db()
    offer.refresh_from_db()
    assert voucher.used_at is not None
    assert offer.used_count == 1
    page = client.get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert voucher.code in page
    assert "Undo: not used" in page
