import uuid

import pytest
from django.utils import timezone

from tests.buddypages.registry.helpers import participant


@pytest.fixture
def pair(demo):
    """A waiting newcomer and volunteer with things in common (and their own programme key)."""
    from buddypages.pages.snippets import Interest

    cooking = Interest.objects.get(key="cooking", locale__language_code="nl")
    key = uuid.uuid4()  # a cohort of their own, apart from the demo's participants
    newcomer = participant(
        demo.programme,
        first_name="Nadia",
        last_name="Testnieuw",
        programme_key=key,
        role="newcomer",
        status="waiting",
        waiting_since=timezone.now(),
        neighbourhood="Molenwijk",
        preferred_language="ar",
        availability=0b1,
    )
    volunteer = participant(
        demo.programme,
        first_name="Griet",
        last_name="Testvrijwillig",
        programme_key=key,
        role="volunteer",
        status="waiting",
        waiting_since=timezone.now(),
        neighbourhood="Molenwijk",
        preferred_language="nl",
        availability=0b1,
    )
    for person in (newcomer, volunteer):
        person.interests.add(cooking)
    return newcomer, volunteer
