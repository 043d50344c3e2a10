"""The registry audit log: who did what to which participant number (never a name)."""

from buddypages.registry.models import Participant, RegistryAuditEvent

Action = RegistryAuditEvent.Action


def registry_audit(
    action: str,
    *,
    user=None,
    participant=None,
    participant_ref=None,
    count=1,
    detail="",
    site_id=None,
) -> None:
    """One row of the registry audit log (who did what to which participant number), kept
    with the participant's site (or ``site_id``, for a list) so each municipality reads its own.
    Pass ``participant`` when at hand (its number and site are read from it), else its
    number as ``participant_ref`` (its site is then looked up)."""
    if participant is not None:
        participant_ref = participant.pk
        site_id = participant.site_id if site_id is None else site_id
    if site_id is None and participant_ref is not None:
        site_id = (
            Participant.objects.filter(pk=participant_ref).values_list("site_id", flat=True).first()
        )
    RegistryAuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        participant_ref=participant_ref,
        count=count,
        detail=detail[:255],
        site_id=site_id,
    )
