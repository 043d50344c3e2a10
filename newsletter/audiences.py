"""Who gets an issue: named audiences, resolved through buddypages' selectors."""

from __future__ import annotations

from django.conf import settings

from buddypages.duos.selectors import NEWSLETTER_AUDIENCES, buddies_of, newsletter_audience
from newsletter.rendering import Recipient

AUDIENCES = NEWSLETTER_AUDIENCES


def recipients_for(audiences: list[str], programme_key=None, *, site_id=None) -> list[Recipient]:
    """Everyone in any of ``audiences`` once (by address), with their language and buddies:
    of the site ``site_id`` only (a municipality writes to its own people)."""
    people = {}
    for name in audiences:
        for person in newsletter_audience(name, programme_key=programme_key, site_id=site_id).only(
            "pk", "email", "first_name", "preferred_language", "role"
        ):
            people.setdefault(person.email.lower(), person)
    buddies = buddies_of()
    languages = dict(settings.LANGUAGES)
    return [
        Recipient(
            email=person.email,
            first_name=person.first_name,
            language=person.preferred_language
            if person.preferred_language in languages
            else settings.LANGUAGE_CODE,
            kind=person.role,
            buddy_first_name=" & ".join(buddies.get(person.pk, [])),
            participant_id=person.pk,
        )
        for person in sorted(people.values(), key=lambda p: p.pk)
    ]
