"""The two things every email of the site does: absolute links, and a text + HTML twin."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(url: str) -> str:
    """``url`` with the site's public address in front (unchanged if it already has one)."""
    if not url or url.startswith(("http://", "https://", "mailto:")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def send_templated_email(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render ``template``.txt and ``template``.html (in the active language) and send both."""
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
