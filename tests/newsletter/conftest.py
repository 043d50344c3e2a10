import pytest
from django.utils import timezone

from tests.buddypages.registry.helpers import participant


@pytest.fixture
def issue(demo):
    """The demo's draft issue (Dutch source; translated into en, fr, ar, uk)."""
    from newsletter.models import NewsletterIssuePage

    return NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december")


@pytest.fixture
def people(demo):
    """A duo (Arabic newcomer, Dutch volunteer), a French subscriber, an unsubscribed one."""
    from buddypages.duos.models import Duo

    newcomer = participant(
        demo.programme,
        first_name="Rania",
        last_name="Nieuwsbrief",
        role="newcomer",
        status="active",
        preferred_language="ar",
        email="rania@example.net",
    )
    volunteer = participant(
        demo.programme,
        first_name="Wout",
        last_name="Nieuwsbrief",
        role="volunteer",
        status="active",
        preferred_language="nl",
        email="wout@example.net",
        newsletter_status="confirmed",
    )
    today = timezone.localdate()
    end, midway = Duo.planned_dates(today, 6)
    Duo.objects.create(
        programme=demo.programme,
        programme_key=demo.programme.translation_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=today,
        planned_end=end,
        feedback_due=midway,
    )
    subscriber = participant(
        demo.programme,
        first_name="Claire",
        last_name="Abonnee",
        role="volunteer",
        status="completed",
        preferred_language="fr",
        email="claire@example.net",
        newsletter_status="confirmed",
    )
    stopped = participant(
        demo.programme,
        first_name="Stop",
        last_name="Nieuwsbrief",
        role="newcomer",
        status="waiting",
        preferred_language="nl",
        email="stop@example.net",
        newsletter_status="withdrawn",
    )
    return {
        "newcomer": newcomer,
        "volunteer": volunteer,
        "subscriber": subscriber,
        "stopped": stopped,
    }
