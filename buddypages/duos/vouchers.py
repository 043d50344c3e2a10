"""Partner vouchers: offers with a stock that never goes below zero, handed out to duos.
Owner: the voucher feature."""

from __future__ import annotations


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's voucher section needs (template
    ``buddypages/duos/sections/vouchers.html``)."""
    return {}


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    return {}


def voucher_view(request, token: str, code: str):
    """Public view under the member's private duo link (see buddypages.urls)."""
    from django.http import Http404

    raise Http404
