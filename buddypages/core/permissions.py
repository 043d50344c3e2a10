"""Permission helpers for the plugin's admin: a policy for models some actions of which nobody
may take by hand, and the check its own views make."""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy


class ModelPermissionPolicyWithout(ModelPermissionPolicy):
    """Django's model permissions, minus ``denied`` actions for everyone (superusers too).

    Participants are never added by hand (every record carries the person's consent), duos
    come from accepted proposals, sends from the send form, the audit log is read-only.
    """

    def __init__(self, model, *, denied):
        super().__init__(model)
        self.denied = frozenset(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [action for action in actions if action not in self.denied]
        return bool(allowed) and super().user_has_any_permission(user, allowed)


def require(request, permission: str) -> None:
    """For the plugin's own admin views: PermissionDenied unless the user has ``permission``."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
