"""Hard rules a volunteer must meet before matching may propose them (information note
acknowledged, insured, basic training when the programme asks it). Owner: the volunteer
feature.

``volunteers_blocked`` is the one place these rules live: the matching run drops the
volunteers it names, a manual pair or a changed proposal is refused with the same reason,
and the matching page lists them under "Not proposed".
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buddypages.duos.models import Duo, MatchWeights
from buddypages.registry.training import volunteers_without_basic_training
from buddypages.registry.volunteer_services import note_in_force
from buddypages.registry.volunteering import InsuranceCover, InsurancePolicy, NoteAcknowledgement

NO_NOTE = "no_note"
NOTE_NOT_ACKNOWLEDGED = "note_not_acknowledged"
NO_POLICY = "no_policy"
NOT_INSURED = "not_insured"
NO_BASIC_TRAINING = "no_basic_training"

# In the order a coordinator deals with them.
REASONS = {
    NO_NOTE: _("No information note is in force for this programme yet."),
    NOTE_NOT_ACKNOWLEDGED: _("Has not acknowledged the current information note."),
    NO_POLICY: _("The programme has no insurance policy valid today."),
    NOT_INSURED: _("Has no insurance period valid today."),
    NO_BASIC_TRAINING: _("Has not attended the basic training yet."),
}


def volunteers_blocked(
    pks, *, programme_key, day: date | None = None, requires_basic_training: bool | None = None
) -> dict[int, list[str]]:
    """Of the volunteers ``pks`` of one programme, those matching may not propose, each
    with its reason codes (keys of ``REASONS``); the others are left out."""
    pks = set(pks)
    if not pks:
        return {}
    day = day or timezone.localdate()
    blocked: dict[int, list[str]] = {}

    def block(pk: int, code: str) -> None:
        blocked.setdefault(pk, []).append(code)

    note = note_in_force(programme_key)
    if note is None:
        for pk in pks:
            block(pk, NO_NOTE)
    else:
        acknowledged = set(
            NoteAcknowledgement.objects.filter(
                participant__in=pks, note_key=note.translation_key, version=note.version
            ).values_list("participant", flat=True)
        )
        for pk in pks - acknowledged:
            block(pk, NOTE_NOT_ACKNOWLEDGED)

    policies = InsurancePolicy.objects.valid_on(day).filter(programme_key=programme_key)
    if not policies.exists():
        for pk in pks:
            block(pk, NO_POLICY)
    else:
        insured = set(
            InsuranceCover.objects.valid_on(day)
            .filter(participant__in=pks, policy__in=policies)
            .values_list("participant", flat=True)
        )
        for pk in pks - insured:
            block(pk, NOT_INSURED)

    if requires_basic_training is None:
        weights = MatchWeights.objects.filter(programme_key=programme_key).first()
        requires_basic_training = bool(weights and weights.requires_basic_training)
    if requires_basic_training:
        # "Before their first duo": who already had one is not held back.
        first_timers = pks - set(
            Duo.objects.filter(volunteer__in=pks).values_list("volunteer", flat=True)
        )
        for pk in volunteers_without_basic_training(first_timers) & first_timers:
            block(pk, NO_BASIC_TRAINING)
    return blocked


def blocked_texts(codes) -> list[str]:
    """The reasons in words, in the active language."""
    return [str(REASONS[code]) for code in codes if code in REASONS]
