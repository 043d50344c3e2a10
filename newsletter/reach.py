"""What the newsletter reached, for the yearly report of the plugin (registered as its
``buddypages_report_newsletter_reach`` hook in ``newsletter.wagtail_hooks``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext

from newsletter.models import Delivery

Status = Delivery.Status
GONE_OUT = (Status.SENT, Status.DELIVERED, Status.OPENED, Status.BOUNCED, Status.COMPLAINED)
# Only an email provider's webhooks tell these apart from "sent".
TRACKED = (Status.DELIVERED, Status.OPENED, Status.BOUNCED, Status.COMPLAINED)


def newsletter_reach(*, programme_keys, start, end) -> list[tuple[str, int]]:
    """Newsletters and emails sent in [start, end) to the people of ``programme_keys``, and how
    many were delivered and opened when the email provider reports it: one query."""
    figures = Delivery.objects.filter(
        participant__programme_key__in=programme_keys,
        status__in=GONE_OUT,
        sent_at__gte=start,
        sent_at__lt=end,
    ).aggregate(
        sends=Count("send", distinct=True),
        emails=Count("pk"),
        people=Count("participant", distinct=True),
        tracked=Count("pk", filter=Q(status__in=TRACKED)),
        delivered=Count("pk", filter=Q(status__in=(Status.DELIVERED, Status.OPENED))),
        opened=Count("pk", filter=Q(status=Status.OPENED)),
    )
    reach = [
        (gettext("Newsletters sent"), figures["sends"]),
        (gettext("Emails sent"), figures["emails"]),
        (gettext("Different people reached"), figures["people"]),
    ]
    if figures["tracked"]:
        reach += [
            (gettext("Emails delivered"), figures["delivered"]),
            (gettext("Emails opened"), figures["opened"]),
        ]
    return reach
