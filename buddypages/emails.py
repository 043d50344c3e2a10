"""Emails to people who sign up for activities, in the language they used."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buddypages.models import ActivitySignup

SUBJECTS = {
    ActivitySignup.CONFIRMED: gettext_noop("You are signed up: %(title)s"),
    ActivitySignup.WAITING: gettext_noop("You are on the waiting list: %(title)s"),
    "promoted": gettext_noop("A place came free, you can come: %(title)s"),
}


def signup_email_send(*, signup_id: int, event: str) -> None:
    signup = ActivitySignup.objects.select_related("activity").get(pk=signup_id)
    if signup.status == ActivitySignup.CANCELLED:
        return
    kind = "promoted" if event == "promoted" else signup.status
    activity = signup.activity
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(signup.language):
        context = {
            "signup": signup,
            "activity": activity,
            "kind": kind,
            "activity_url": activity.get_full_url() or base,
            "cancel_url": f"{activity.get_full_url() or base + '/'}cancel/{signup.token}/",
        }
        subject = _(SUBJECTS[kind]) % {"title": activity.title}
        text = render_to_string("buddypages/email/signup.txt", context)
        html = render_to_string("buddypages/email/signup.html", context)
    message = EmailMultiAlternatives(subject, text, to=[signup.email])
    message.attach_alternative(html, "text/html")
    message.send()
