"""The registry audit log: who did what to which participant number (never a name)."""

from buddypages.registry.models import RegistryAuditEvent

Action = RegistryAuditEvent.Action


def registry_audit(action: str, *, user=None, participant_ref=None, count=1, detail="") -> None:
    """One row of the registry audit log (who did what to which participant number)."""
    RegistryAuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        participant_ref=participant_ref,
        count=count,
        detail=detail[:255],
    )
