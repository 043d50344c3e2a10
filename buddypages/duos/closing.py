"""Closing a duo: certificates of participation (PDF, in the member's language and in
Dutch), the volunteer's thank-you certificate, the invitation to the closing activity.
Owner: the closing feature.

When a duo completes (not when it stops early), ``duo_end`` sets ``Duo.closing_sent_at`` and,
after the commit, the task worker emails both members, each in their language, with their
certificate attached and the next closing celebration, or a sentence saying the coordinator
will invite them (``certificates.closing_emails_send``). Here: the duo page's section, the
certificate under the member's private link, and the coordinator's section with the
certificates and "send again".
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin import messages

from buddypages.duos import certificates
from buddypages.duos.models import Duo
from buddypages.duos.services import DuoError, duo_audit, duo_from_token
from buddypages.duos.tasks import send_closing_emails
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.access import seal

VIEW = "buddypages.view_duo"
MANAGE = "buddypages.change_duo"
ROLES = ("newcomer", "volunteer")


# --- Sending again ---------------------------------------------------------------------


def closing_resend(*, duo: Duo, user) -> bool:
    """A coordinator sends the closing email of a completed duo (again, or for the first
    time for a duo completed before this feature). True if queued."""
    if duo.status != Duo.Status.COMPLETED:
        return False
    duo.closing_sent_at = timezone.now()
    duo.save(update_fields=["closing_sent_at"])
    duo_audit(user, f"duo {duo.pk} closing email sent by a coordinator", participant=duo.newcomer)
    transaction.on_commit(lambda: send_closing_emails.enqueue(duo_id=duo.pk))
    return True


# --- The member's duo page ------------------------------------------------------------------


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's closing section needs (template
    ``buddypages/duos/sections/closing.html``)."""
    if duo.status != Duo.Status.COMPLETED:
        return {}
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in certificates.site_languages():
        language = settings.LANGUAGE_CODE
    token = duo_link_token(duo, role)
    return {
        "closing": {
            "certificate_url": reverse("buddypages:duo-certificate", args=[token, language]),
            "dutch_too": language != settings.LANGUAGE_CODE,
            "volunteer": role == "volunteer",
            "invitation": certificates.closing_invitation(
                role=role, language=language, site_id=duo.site_id
            ),
        }
    }


@never_cache
def certificate_view(request, token: str, language: str):
    """The member's certificate under their private duo link: ``language`` and Dutch."""
    try:
        duo, role = duo_from_token(token)
    except DuoError as error:
        return _not_available(request, error.message)
    if language not in certificates.site_languages():
        return _not_available(request, _("This language is not one of this site."))
    if duo.status != Duo.Status.COMPLETED:
        return _not_available(
            request, _("Your certificate is not available yet. You get it when your duo ends.")
        )
    return _pdf_response(duo, role, language)


def _not_available(request, message: str):
    response = TemplateResponse(request, "buddypages/duos/log.html", {"error": message}, status=404)
    return response


def _pdf_response(duo: Duo, role: str, language: str) -> HttpResponse:
    response = HttpResponse(
        certificates.duo_certificate(duo, role, language=language),
        content_type="application/pdf",
    )
    filename = certificates.certificate_filename(role, language)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The coordinator's duo page -------------------------------------------------------------


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    if duo.status != Duo.Status.COMPLETED:
        return {}
    members = []
    for role in ROLES:
        language = certificates.member_language(duo, role)
        members.append(
            {
                "role": role,
                "languages": " + ".join(certificates.certificate_languages(language)),
                "url": reverse("duo_closing_certificate", args=[duo.pk, role]),
                "has_email": bool(duo.member(role).email),
            }
        )
    return {
        "closing": {
            "members": members,
            "sent_at": duo.closing_sent_at,
            # In the coordinator's language, as the rest of the admin.
            "invitation": certificates.closing_invitation(
                role="newcomer",
                language=translation.get_language() or settings.LANGUAGE_CODE,
                site_id=duo.site_id,
            ),
            "send_url": reverse("duo_closing_send", args=[duo.pk]),
            "can_send": request.user.has_perm(MANAGE),
        }
    }


def certificate_admin_view(request, pk: int, role: str):
    """A member's certificate (their language and Dutch), for the coordinator to print."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    duo = get_object_or_404(
        seal(Duo.objects.select_related("newcomer", "volunteer", "programme"), request.user),
        pk=pk,
        status=Duo.Status.COMPLETED,
    )
    if role not in ROLES:
        raise PermissionDenied
    duo_audit(request.user, f"duo {duo.pk} {role} certificate printed", participant=duo.newcomer)
    return _pdf_response(duo, role, certificates.member_language(duo, role))


def closing_send_view(request, pk: int):
    """The coordinator's "send again" (or a first sending for a duo completed earlier)."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    duo = get_object_or_404(seal(Duo.objects.all(), request.user), pk=pk)
    if request.method == "POST":
        if closing_resend(duo=duo, user=request.user):
            messages.success(request, _("The closing email is on its way to both members."))
        else:
            messages.error(request, _("Only a completed duo gets the closing email."))
    return redirect("duos:inspect", pk)
