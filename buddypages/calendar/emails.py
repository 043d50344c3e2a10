"""Emails to people who sign up for activities, in the language they used."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buddypages.calendar.models import ActivitySignup
from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.pages.municipality import sender_for_page

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
    activity_url = activity.get_full_url() or absolute_url("/", site=signup.site_id)
    with translation.override(signup.language):
        send_templated_email(
            to=signup.email,
            subject=_(SUBJECTS[kind]) % {"title": activity.title},
            template="buddypages/email/signup",
            sender=sender_for_page(activity),
            context={
                "signup": signup,
                "activity": activity,
                "kind": kind,
                "activity_url": activity_url,
                "cancel_url": f"{activity_url}cancel/{signup.token}/",
            },
        )
