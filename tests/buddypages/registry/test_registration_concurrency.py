"""Concurrent sign-ups: real commits from several threads, so no test transaction around it."""

import threading

import pytest
from django.db import connection
from django.test import Client

from buddypages.registry.models import Participant, RegistryAuditEvent
from tests.buddypages.registry.helpers import form_data, registration_pages

THREADS = 8
EACH = 5


@pytest.mark.usefixtures("_demo_loaded")
def test_simultaneous_sign_ups_lose_nothing_and_merge_duplicates(django_db_blocker, settings):
    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 0}
    with django_db_blocker.unblock():
        page = registration_pages()["nl"]["newcomer"]
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def sign_up(number: int) -> None:
        client = Client(raise_request_exception=False)
        try:
            barrier.wait()
            with django_db_blocker.unblock():
                for n in range(EACH):
                    email = f"race-{number}-{n}@example.net"
                    statuses.append(client.post(page.url, form_data(email=email)).status_code)
                # Everyone also sends the same address at the same moment.
                barrier.wait()
                statuses.append(
                    client.post(page.url, form_data(email="race-same@example.net")).status_code
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert statuses == [302] * (THREADS * (EACH + 1))
        with django_db_blocker.unblock():
            racers = Participant.objects.filter(email__startswith="race-")
            assert racers.count() == THREADS * EACH + 1
            assert racers.get(email="race-same@example.net").signup_count == THREADS
    finally:
        with django_db_blocker.unblock():
            refs = list(
                Participant.objects.filter(email__startswith="race-").values_list("pk", flat=True)
            )
            Participant.objects.filter(pk__in=refs).delete()
            RegistryAuditEvent.objects.filter(participant_ref__in=refs).delete()
