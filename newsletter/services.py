"""Unsubscribe and resubscribe (the registry keeps the person), and test sends."""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext_lazy as _

from buddypages.registry.choices import NewsletterStatus
from buddypages.registry.models import Consent, Participant
from buddypages.registry.services import (
    participant_newsletter_resubscribe,
    participant_newsletter_withdraw,
)
from newsletter.rendering import sample_message
from newsletter.tokens import email_matches, read_unsubscribe_token


class UnsubscribeError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


TEST_RECIPIENT = 0


def participant_for_token(token: str) -> Participant | None:
    """The participant an unsubscribe link belongs to; None for a test email's link."""
    try:
        participant_id, email_key = read_unsubscribe_token(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise UnsubscribeError(
            _("This link is not complete or was changed. Use the link in the newsletter.")
        ) from None
    if participant_id == TEST_RECIPIENT:
        return None
    participant = Participant.objects.not_anonymised().filter(pk=participant_id).first()
    if participant is None or not email_matches(participant.email, email_key):
        raise UnsubscribeError(
            _("We no longer have this address. You will not get the newsletter.")
        )
    return participant


def newsletter_unsubscribe(
    *, participant: Participant, method: str = Consent.Method.UNSUBSCRIBE, origin: str = ""
) -> None:
    """Stop the newsletter; ``method`` and ``origin`` go into the consent ledger (the API
    records itself and the website that sent the request)."""
    participant_newsletter_withdraw(participant=participant, method=method, origin=origin)


def newsletter_resubscribe(*, participant: Participant) -> None:
    participant_newsletter_resubscribe(participant=participant, method=Consent.Method.UNSUBSCRIBE)


def is_subscribed(participant: Participant) -> bool:
    return participant.newsletter_status != NewsletterStatus.WITHDRAWN


def issue_test_send(*, issue, to: str, language: str, kind: str = "subscriber") -> None:
    """One test copy, as a recipient of ``kind`` would get it, with fake names."""
    sample_message(issue, to=to, language=language, kind=kind).send()
