"""Feedback moments: when the midway and the end moment open and close for a duo, and the
email that invites each member to answer when one opens. Owner: the action-plan feature
(the windows) and the feedback invitations.

Kept apart from ``plans`` so the nightly task can call the invitations without a circle
(``plans`` needs ``services``, which queues ``tasks``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from buddypages.core.mail import absolute_url, send_templated_email
from buddypages.duos.certificates import member_language
from buddypages.duos.models import Duo, FeedbackMoment
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.municipality import sender_for_programme_key

# The end moment opens this long before the planned end, and stays open this long after a
# duo completed (long enough for the closing activity and a reminder).
END_OPENS_BEFORE = timedelta(days=14)
END_STAYS_OPEN = timedelta(days=42)

MOMENT_TITLES = {
    FeedbackMoment.MIDWAY: _("Halfway: how is it going?"),
    FeedbackMoment.END: _("The end: how did it go?"),
}


# --- Feedback moments -------------------------------------------------------------------


def moment_window(duo: Duo, moment: str) -> tuple[date | None, date | None]:
    """(first day, last day) a member can answer ``moment``; None where there is no bound.
    (None, None) means the moment never opens for this duo (a duo stopped early)."""
    end_opens = duo.planned_end - END_OPENS_BEFORE
    ended = duo.ended_on or duo.planned_end
    if moment == FeedbackMoment.MIDWAY:
        if duo.status in (Duo.Status.ACTIVE, Duo.Status.PAUSED):
            return duo.feedback_due, end_opens - timedelta(days=1)
        return None, None
    if duo.status == Duo.Status.COMPLETED:
        return min(end_opens, ended), ended + END_STAYS_OPEN
    if duo.status in (Duo.Status.ACTIVE, Duo.Status.PAUSED):
        return end_opens, None
    return None, None


def moment_state(duo: Duo, moment: str, today: date | None = None) -> str:
    """ "open", "not_yet" or "closed"."""
    today = today or timezone.localdate()
    opens, closes = moment_window(duo, moment)
    if opens is None or (closes is not None and today > closes):
        return "closed"
    return "open" if today >= opens else "not_yet"


def open_moments(duo: Duo, today: date | None = None) -> list[str]:
    return [m for m in FeedbackMoment.values if moment_state(duo, m, today) == "open"]


# --- Invitations to answer ----------------------------------------------------------------

# The Duo field that records when the members were invited to each moment.
INVITED_FIELD = {FeedbackMoment.MIDWAY: "midway_invited_at", FeedbackMoment.END: "end_invited_at"}


def feedback_invitations_send(*, today: date | None = None) -> int:
    """Invite each member with an email address, once per moment, to answer a moment that
    is open; not a member who already answered it. Returns how many emails went out.

    Each duo and moment is claimed first (an UPDATE that only a row still uninvited
    passes), so a second run or a second worker sends nothing again; the emails go after
    the claim, outside any transaction."""
    today = today or timezone.localdate()
    candidates = {
        FeedbackMoment.MIDWAY: Duo.objects.running().filter(
            feedback_due__lte=today, midway_invited_at__isnull=True
        ),
        FeedbackMoment.END: Duo.objects.filter(end_invited_at__isnull=True).filter(
            # A completed duo without an end date counts its planned end (moment_window).
            Q(status=Duo.Status.COMPLETED, ended_on__gte=today - END_STAYS_OPEN)
            | Q(
                status=Duo.Status.COMPLETED,
                ended_on__isnull=True,
                planned_end__gte=today - END_STAYS_OPEN,
            )
            | Q(
                status__in=(Duo.Status.ACTIVE, Duo.Status.PAUSED),
                planned_end__lte=today + END_OPENS_BEFORE,
            )
        ),
    }
    sent = 0
    for moment, duos in candidates.items():
        field = INVITED_FIELD[moment]
        for duo in duos.select_related("newcomer", "volunteer"):
            if moment_state(duo, moment, today) != "open":
                continue
            claimed = Duo.objects.filter(pk=duo.pk, **{f"{field}__isnull": True}).update(
                **{field: timezone.now()}
            )
            if claimed:
                sent += _invite_members(duo, moment)
    return sent


def _invite_members(duo: Duo, moment: str) -> int:
    answered = set(duo.feedback.filter(moment=moment).values_list("role", flat=True))
    sender = sender_for_programme_key(duo.programme_key)
    sent = 0
    for role in ("newcomer", "volunteer"):
        member = duo.member(role)
        if not member.email or role in answered:
            continue
        language = member_language(duo, role)
        with translation.override(language):
            path = reverse(
                "buddypages:duo-feedback",
                kwargs={"token": duo_link_token(duo, role), "moment": moment},
            )
            send_templated_email(
                to=member.email,
                subject=str(MOMENT_TITLES[moment]),
                template="buddypages/duos/email/feedback_invitation",
                context={
                    "member": member,
                    "buddy_first_name": duo.member(duo.other_role(role)).first_name,
                    "moment": moment,
                    "link": absolute_url(path, site=duo.site_id),
                    "language": language,
                },
                sender=sender,
            )
        sent += 1
    return sent
