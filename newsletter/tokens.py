"""Signed unsubscribe tokens: one per recipient, usable without logging in."""

import hashlib

from django.core import signing

SALT = "newsletter.unsubscribe"


def _email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def unsubscribe_token(participant_id: int, email: str) -> str:
    return signing.dumps([participant_id, _email_key(email)], salt=SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(participant id, email key), or signing.BadSignature."""
    participant_id, email_key = signing.loads(token, salt=SALT)
    if not isinstance(participant_id, int) or not isinstance(email_key, str):
        raise signing.BadSignature("malformed")
    return participant_id, email_key


def email_matches(email: str, email_key: str) -> bool:
    return _email_key(email) == email_key
