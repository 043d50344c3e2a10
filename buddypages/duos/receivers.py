"""The duos' part in the registry's data protection (``buddypages.registry.signals``).

The registry sits below the duos and cannot import them: it sends a signal when it exports,
erases or anonymises a participant, and these receivers add, forget or clear what the
duos hold about that person. ``BuddyPagesConfig.ready`` imports this module.
"""

from django.db.models import Q
from django.dispatch import receiver

from buddypages.duos.models import Duo, DuoFeedback, DuoGoal, DuoQuestion, Meeting
from buddypages.registry.models import Participant
from buddypages.registry.signals import (
    participant_anonymising,
    participant_erasing,
    participant_exporting,
)


def _duos_of(participant: Participant):
    return Duo.objects.filter(Q(newcomer=participant) | Q(volunteer=participant))


@receiver(participant_exporting, sender=Participant, dispatch_uid="buddypages-duos-export")
def export_duos(sender, participant: Participant, when, **kwargs) -> dict:
    """The person's duos and their meeting log, for a subject access export."""
    duos = _duos_of(participant).prefetch_related("meetings")
    return {
        "duos": [
            {
                "role": "newcomer" if duo.newcomer_id == participant.pk else "volunteer",
                "buddy_first_name": (
                    duo.volunteer.first_name
                    if duo.newcomer_id == participant.pk
                    else duo.newcomer.first_name
                ),
                "start": when(duo.start_date),
                "planned_end": when(duo.planned_end),
                "status": duo.status,
                "stop_reason": duo.stop_reason,
                "ended_on": when(duo.ended_on),
                "closing_email_sent_at": when(duo.closing_sent_at),
                "introduction": duo.introduction,
                "meetings": [
                    {
                        "date": when(meeting.date),
                        "minutes": meeting.minutes,
                        "activity": meeting.activity,
                        "logged_by": meeting.logged_by,
                        "confirmed": meeting.is_confirmed,
                    }
                    for meeting in duo.meetings.all()
                ],
            }
            for duo in duos.select_related("newcomer", "volunteer")
        ]
    }


@receiver(participant_erasing, sender=Participant, dispatch_uid="buddypages-duos-erase")
def forget_duos(sender, participant: Participant, forget_admin_log, **kwargs) -> None:
    """The database deletes the person's duos with them; the admin log naming them goes too."""
    forget_admin_log(Duo, list(_duos_of(participant).values_list("pk", flat=True)))


@receiver(participant_anonymising, sender=Participant, dispatch_uid="buddypages-duos-anonymise")
def anonymise_duos(sender, participant: Participant, **kwargs) -> None:
    """Keep the duos' dates and hours; drop what was written about the person."""
    duos = _duos_of(participant)
    duos.update(introduction="", stop_reason="")
    Meeting.objects.filter(duo__in=duos).update(activity="")
    # The faces stay (the anonymised results count them); words people wrote go.
    # (A goal needs a key or a text: an own goal keeps a language-free ellipsis.)
    DuoGoal.objects.filter(duo__in=duos).exclude(text="").update(text="…")
    DuoFeedback.objects.filter(duo__in=duos).update(comment="")
    DuoQuestion.objects.filter(duo__in=duos).update(text="")
