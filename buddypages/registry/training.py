"""Volunteer trainings: attendance recorded from an activity's sign-ups, and who still
misses the basic training. Owner: the training feature."""

from __future__ import annotations


def volunteers_missing_basic_training(pks, *, programme_key) -> set[int]:
    """Of the volunteers ``pks``, those who must still attend the basic training before a
    first duo (empty when the programme does not require it)."""
    return set()


def participant_admin_context(request, participant) -> dict:
    """The trainings a volunteer attended, on the coordinator's participant page
    (template ``buddypages/registry/admin/sections/training.html``)."""
    return {}
