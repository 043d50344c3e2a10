"""Closing a duo: certificates of participation (PDF, in the member's language and in
Dutch), the volunteer's thank-you certificate, the invitation to the closing activity.
Owner: the closing feature."""

from __future__ import annotations


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's closing section needs (template
    ``buddypages/duos/sections/closing.html``)."""
    return {}


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    return {}


def certificate_view(request, token: str, language: str):
    """Public view under the member's private duo link (see buddypages.urls)."""
    from django.http import Http404

    raise Http404
