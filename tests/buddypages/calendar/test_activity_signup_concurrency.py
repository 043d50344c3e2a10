"""Concurrency: real commits from several threads, so no test transaction around it.

The test commits its own calendar and removes it afterwards.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from buddypages.calendar.services import activity_signup_create
from buddypages.models import ActivitySignup
from tests.buddypages import factories


@pytest.mark.usefixtures("_demo_loaded")
def test_simultaneous_sign_ups_never_overbook(django_db_blocker):
    """Eight threads, each with its own database connection, race for three places."""
    with django_db_blocker.unblock():
        calendar = factories.calendar(factories.home_page("tr"), slug="race")
    try:
        start = factories.next_day_at(10)
        with django_db_blocker.unblock():
            activity = factories.activity(
                calendar, "Race", start, start + timedelta(hours=1), slug="race", capacity=3
            )
        barrier = threading.Barrier(8)
        errors = []

        def sign_up(number: int) -> None:
            try:
                barrier.wait()
                with django_db_blocker.unblock():
                    activity_signup_create(
                        activity=activity,
                        occurrence_start=start,
                        name=f"P{number}",
                        email=f"p{number}@example.org",
                        places=1,
                        language="tr",
                    )
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with django_db_blocker.unblock():
            statuses = sorted(
                ActivitySignup.objects.filter(activity=activity).values_list("status", flat=True)
            )
        assert statuses == ["confirmed"] * 3 + ["waiting"] * 5
    finally:
        with django_db_blocker.unblock():
            calendar.delete()
