"""Emails to duo members, each in their own language, and reminders to coordinators."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from buddypages.core.mail import absolute_url, message_id, send_templated_email
from buddypages.duos.models import Duo
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.access import seal
from buddypages.pages.municipality import sender_for_programme_key


def member_link(duo: Duo, role: str) -> str:
    language = duo.member(role).preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("buddypages:duo-log", args=[duo_link_token(duo, role)])
    return absolute_url(path, site=duo.site_id)


def duo_emails_send(*, duo_id: int, kind: str) -> None:
    duo = Duo.objects.select_related("newcomer", "volunteer").filter(pk=duo_id).first()
    if duo is None:
        return
    sender = sender_for_programme_key(duo.programme_key)
    for role in ("newcomer", "volunteer"):
        member, buddy = duo.member(role), duo.member(duo.other_role(role))
        if not member.email:
            continue
        language = member.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "duo": duo,
                "member": member,
                "buddy_first_name": buddy.first_name,
                "role": role,
                "kind": kind,
                "link": member_link(duo, role),
                "language": language,
            }
            if kind == "introduction":
                subject = _("Meet your buddy: %(name)s") % {"name": buddy.first_name}
            else:
                subject = _("Your link to log your meetings")
            send_templated_email(
                to=member.email,
                subject=subject,
                template="buddypages/duos/email/member",
                context=context,
                sender=sender,
            )


def feedback_reminder_send() -> int:
    """Each coordinator hears how many duos of their own sites are due for midway feedback
    (the number their dashboard shows); nobody with none due gets an email."""
    if not Duo.objects.feedback_due().exists():
        return 0
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="change_duo") | Q(is_superuser=True), is_active=True
        )
        .exclude(email="")
        .distinct()
    )
    url = absolute_url(reverse("wagtailadmin_home"))
    messages = []
    for user in users:
        due = seal(Duo.objects.feedback_due(), user).count()
        if not due:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Midway feedback is due for %(count)s duos") % {"count": due}
            body = _("Open the dashboard to see which duos: %(url)s") % {"url": url}
        messages.append(
            EmailMessage(subject, body, to=[user.email], headers={"Message-ID": message_id()})
        )
    get_connection().send_messages(messages)
    return len(messages)
