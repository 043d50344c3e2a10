"""Coordinators handing out the same offer at the same moment: real commits from several
threads (no test transaction around them), on SQLite and on PostgreSQL alike."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation

from buddypages.duos import vouchers
from buddypages.duos.models import Duo, Voucher, VoucherOffer
from buddypages.pages.snippets import Partner
from buddypages.registry.models import Participant, RegistryAuditEvent
from tests.buddypages.registry.helpers import participant

COORDINATORS = 8


@pytest.fixture
def committed(_demo_loaded, django_db_blocker):
    """Running duos of a programme key of their own and a user, committed; removed after."""
    made = {"duos": [], "offers": []}

    def duo(n: int) -> Duo:
        people = [
            participant(
                _demo_loaded.programme,
                first_name=f"Race{n}",
                last_name="Testbon",
                programme_key=key,
                role=role,
                status="active",
                email=f"race-voucher-{key}-{n}-{role}@example.net",
                ready=False,
            )
            for role in ("newcomer", "volunteer")
        ]
        today = timezone.localdate()
        made["duos"].append(
            Duo.objects.create(
                programme=_demo_loaded.programme,
                programme_key=key,
                newcomer=people[0],
                volunteer=people[1],
                start_date=today,
                planned_end=today + timedelta(days=180),
                feedback_due=today + timedelta(days=90),
            )
        )
        return made["duos"][-1]

    def offer(*, quantity: int, per_duo_limit: int) -> VoucherOffer:
        partner = Partner.objects.get(name="Sportcentrum De Heide", locale__language_code="nl")
        made["offers"].append(
            vouchers.voucher_offer_save(
                offer=VoucherOffer(partner=partner, what="Race", per_duo_limit=per_duo_limit),
                quantity=quantity,
                user=None,
            )
        )
        return made["offers"][-1]

    key = uuid.uuid4()
    with django_db_blocker.unblock():
        made["user"] = get_user_model().objects.get(username="coordinator")
        made["make_duo"], made["make_offer"] = duo, offer
        yield made
        refs = list(Participant.objects.filter(programme_key=key).values_list("pk", flat=True))
        Voucher.objects.filter(offer__in=made["offers"]).delete()
        VoucherOffer.objects.filter(pk__in=[o.pk for o in made["offers"]]).delete()
        Participant.objects.filter(pk__in=refs).delete()  # their duos go with them
        RegistryAuditEvent.objects.filter(participant_ref__in=refs).delete()


def race(django_db_blocker, jobs) -> tuple[list, list[str], list]:
    """Run every job at the same moment in its own thread (with its own connection)."""
    barrier = threading.Barrier(len(jobs))
    handed, refused, errors = [], [], []

    def run(job) -> None:
        try:
            barrier.wait()
            with django_db_blocker.unblock(), translation.override("en"):
                handed.extend(job())
        except vouchers.VoucherError as error:
            with translation.override("en"):
                refused.append(str(error.message))
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return handed, refused, errors


def test_coordinators_at_the_same_moment_never_hand_out_more_than_the_stock(
    committed, django_db_blocker
):
    with django_db_blocker.unblock():
        offer = committed["make_offer"](quantity=6, per_duo_limit=1)
        pairs = [
            [committed["make_duo"](2 * n), committed["make_duo"](2 * n + 1)]
            for n in range(COORDINATORS)
        ]
    user = committed["user"]
    jobs = [
        lambda duos=duos: vouchers.vouchers_hand_out(offer=offer, duos=duos, user=user)
        for duos in pairs
    ]
    handed, refused, errors = race(django_db_blocker, jobs)
    assert errors == []
    # 8 coordinators ask 2 each (16) from 6: three get theirs, five are told why.
    assert len(handed) == 6
    assert len(refused) == COORDINATORS - 3
    assert all("nothing was handed out" in message for message in refused), refused
    with django_db_blocker.unblock():
        offer.refresh_from_db()
        assert offer.stock == 0
        assert Voucher.objects.filter(offer=offer).count() == 6
        assert len(set(Voucher.objects.filter(offer=offer).values_list("code", flat=True))) == 6


def test_the_limit_per_duo_holds_when_coordinators_give_the_same_duo_at_once(
    committed, django_db_blocker
):
    with django_db_blocker.unblock():
        offer = committed["make_offer"](quantity=50, per_duo_limit=2)
        duo = committed["make_duo"](0)
    user = committed["user"]
    jobs = [
        lambda: vouchers.vouchers_hand_out(offer=offer, duos=[duo], user=user)
        for _n in range(COORDINATORS)
    ]
    handed, refused, errors = race(django_db_blocker, jobs)
    assert errors == []
    assert len(handed) == 2
    assert len(refused) == COORDINATORS - 2
    assert all("At most 2 vouchers per duo" in message for message in refused), refused
    with django_db_blocker.unblock():
        offer.refresh_from_db()
        assert offer.stock == 48
        assert duo.vouchers.count() == 2
