"""The private links of duo members (their meeting log): signed, revocable per member."""

from django.core import signing

LINK_SALT = "buddypages.duos.meeting-log"


def duo_link_token(duo, role: str) -> str:
    """The token in ``role``'s link; raising the member's link version revokes it."""
    version = duo.newcomer_link_version if role == "newcomer" else duo.volunteer_link_version
    return signing.dumps({"d": duo.pk, "r": role, "v": version}, salt=LINK_SALT, compress=True)
