"""Services for volunteers' information note, insurance periods and training attendance.
Owner: the volunteer feature."""

from __future__ import annotations


def participant_admin_context(request, participant) -> dict:
    """The volunteer's note, insurance periods on the coordinator's participant page
    (template ``buddypages/registry/admin/sections/volunteering.html``)."""
    return {}
