"""Action plans (up to five goals per duo) and the feedback both members give at the
midway moment and at the end. Owner: the action-plan feature."""

from __future__ import annotations


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's action-plan section needs (template
    ``buddypages/duos/sections/plan.html``)."""
    return {}


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    return {}


def feedback_view(request, token: str, moment: str):
    """Public view under the member's private duo link (see buddypages.urls)."""
    from django.http import Http404

    raise Http404
