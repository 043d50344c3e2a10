"""The referral guide on the duo page and the members' questions for the coordinator.
Owner: the referral feature."""

from __future__ import annotations


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's referral section needs (template
    ``buddypages/duos/sections/referrals.html``)."""
    return {}


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    return {}


def question_view(request, token: str):
    """Public view under the member's private duo link (see buddypages.urls)."""
    from django.http import Http404

    raise Http404
