"""The email a person gets after signing up, in the language they asked to be written in."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.pages.municipality import sender_for_programme_key
from buddypages.registry.choices import NewsletterStatus
from buddypages.registry.models import Participant
from buddypages.registry.tokens import newsletter_confirm_token


def registration_email_send(*, participant_id: int) -> None:
    participant = Participant.objects.select_related("programme").filter(pk=participant_id).first()
    if participant is None or not participant.email:
        return  # erased or anonymised before the worker got to it
    language = participant.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme = participant.programme
        locale = _locale(language)
        if programme is not None and locale is not None:
            programme = programme.get_translation_or_none(locale) or programme
        newsletter_url = ""
        if participant.newsletter_status == NewsletterStatus.PENDING:
            token = newsletter_confirm_token(participant)
            newsletter_url = absolute_url(
                reverse("buddypages:newsletter-confirm", args=[token]), site=participant.site_id
            )
        context = {
            "participant": participant,
            "programme": programme,
            "programme_url": (programme.get_full_url() if programme else "")
            or absolute_url("/", site=participant.site_id),
            "newsletter_url": newsletter_url,
            "language": language,
        }
        send_templated_email(
            to=participant.email,
            subject=_("We received your sign-up for the buddy programme"),
            template="buddypages/registry/email/registered",
            context=context,
            sender=sender_for_programme_key(participant.programme_key),
        )


def _locale(language: str):
    return Locale.objects.filter(language_code=language).first()


def newsletter_confirm_email_send(
    *, participant_id: int, language: str, method: str = "", origin: str = ""
) -> None:
    """The double opt-in link for someone who asked for the newsletter (not at sign-up)."""
    participant = Participant.objects.not_anonymised().filter(pk=participant_id).first()
    if participant is None or not participant.email:
        return
    if participant.newsletter_status == NewsletterStatus.CONFIRMED:
        return  # confirmed in the meantime
    languages = {code for code, _name in settings.LANGUAGES}
    language = language if language in languages else settings.LANGUAGE_CODE
    with translation.override(language):
        token = newsletter_confirm_token(participant, method=method, origin=origin)
        send_templated_email(
            to=participant.email,
            subject=_("Confirm that you want the newsletter"),
            template="buddypages/registry/email/newsletter_confirm",
            sender=sender_for_programme_key(participant.programme_key),
            context={
                "confirm_url": absolute_url(
                    reverse("buddypages:newsletter-confirm", args=[token]),
                    site=participant.site_id,
                ),
                "language": language,
            },
        )
