"""The signed link that confirms a newsletter consent, sent in the registration email."""

import hashlib
from datetime import timedelta

from django.core import signing

NEWSLETTER_SALT = "buddypages.registry.newsletter"
NEWSLETTER_LINK_DAYS = 30


def email_hash(email: str) -> str:
    """A short hash of the address: a link stops working when the address changes."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def newsletter_confirm_token(participant, *, method: str = "", origin: str = "") -> str:
    """The link's token; ``method`` and ``origin`` (a request through the API and the website
    that sent it) go into the consent recorded when the link is followed."""
    payload = {"p": participant.pk, "e": email_hash(participant.email)}
    if method:
        payload["m"] = method
    if origin:
        payload["o"] = origin[:255]
    return signing.dumps(payload, salt=NEWSLETTER_SALT)


def newsletter_token_read(token: str) -> dict:
    """The token's payload; ``signing.SignatureExpired`` or ``BadSignature`` otherwise."""
    return signing.loads(token, salt=NEWSLETTER_SALT, max_age=timedelta(days=NEWSLETTER_LINK_DAYS))
