"""Matching runs, proposals, duos and their meeting log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buddypages.duos import eligibility
from buddypages.duos.matching import Candidate, Context, assign, rank, score_matrix
from buddypages.duos.models import (
    Duo,
    MatchExclusion,
    MatchProposal,
    MatchWeights,
    Meeting,
    SpeedDatePick,
)
from buddypages.duos.reasons import pair_reasons
from buddypages.duos.selectors import programme_key_site_id
from buddypages.duos.tasks import send_closing_emails, send_duo_emails
from buddypages.duos.tokens import LINK_SALT
from buddypages.pages.models import ProgrammePage
from buddypages.registry.audit import registry_audit
from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Participant, RegistryAuditEvent
from buddypages.registry.services import participant_status_set

VOLUNTEER_STATUSES = (Status.WAITING, Status.MATCHED, Status.ACTIVE)
# ``site_id`` not given: the site of the programme key (where its people belong).
PROGRAMME_SITE = object()


class DuoError(Exception):
    """Something a duo action cannot do; ``message`` says why, translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Matching ---------------------------------------------------------------------


def _candidate(participant: Participant, *, capacity: int = 1) -> Candidate:
    waiting = participant.waiting_since
    return Candidate(
        pk=participant.pk,
        interests=frozenset(i.key for i in participant.interests.all()),
        neighbourhood=participant.neighbourhood,
        postcode=participant.postcode,
        household=participant.household,
        availability=participant.availability,
        languages=frozenset(language.code for language in participant.spoken_languages.all()),
        age_band=participant.age_band,
        dutch_level=participant.dutch_level,
        gender=participant.gender,
        buddy_gender=participant.buddy_gender,
        waiting_days=(timezone.now() - waiting).days if waiting else 0,
        capacity=capacity,
    )


def weights_for(programme_key) -> MatchWeights:
    return MatchWeights.objects.get_or_create(programme_key=programme_key)[0]


@dataclass
class Cohort:
    """Everyone who can be matched now in one programme, scored."""

    newcomers: list[Participant]
    volunteers: list[Participant]
    candidates_n: list[Candidate]
    candidates_v: list[Candidate]
    context: Context
    scores: object
    feasible: object
    # Volunteers with a place left whom a hard rule keeps out, with the reason codes.
    blocked: list[tuple[Participant, list[str]]] = field(default_factory=list)

    def reasons(self, i: int, j: int) -> list[dict]:
        return pair_reasons(self.candidates_n[i], self.candidates_v[j], self.context)

    def suggestions(self, participant: Participant, limit: int = 5):
        """The best partners for one person: [(participant, score, reasons)]."""
        if participant.role == Role.NEWCOMER:
            people = {p.pk: i for i, p in enumerate(self.newcomers)}
            if participant.pk not in people:
                return []
            i = people[participant.pk]
            ranked = rank(self.scores, self.feasible, i, of="newcomer", limit=limit)
            return [(self.volunteers[j], s, self.reasons(i, j)) for j, s in ranked]
        people = {p.pk: j for j, p in enumerate(self.volunteers)}
        if participant.pk not in people:
            return []
        j = people[participant.pk]
        ranked = rank(self.scores, self.feasible, j, of="volunteer", limit=limit)
        return [(self.newcomers[i], s, self.reasons(i, j)) for i, s in ranked]


def _site_id(programme_key, site_id):
    return programme_key_site_id(programme_key) if site_id is PROGRAMME_SITE else site_id


def _volunteers(programme_key, *, site_id, related=()) -> tuple[list, list]:
    """Volunteers with a place left: those matching may propose, and those a hard rule
    keeps out, with the reason codes (buddypages.duos.eligibility)."""
    running = Q(duos_as_volunteer__status__in=[Duo.Status.ACTIVE, Duo.Status.PAUSED])
    volunteers = list(
        Participant.objects.not_anonymised()
        .filter(
            programme_key=programme_key,
            site_id=site_id,
            role=Role.VOLUNTEER,
            status__in=VOLUNTEER_STATUSES,
        )
        .annotate(running_duos=Count("duos_as_volunteer", filter=running))
        .prefetch_related(*related)
        .order_by("waiting_since", "pk")
    )
    volunteers = [v for v in volunteers if v.max_duos - v.running_duos > 0]
    rules = eligibility.volunteers_blocked(
        [v.pk for v in volunteers],
        programme_key=programme_key,
        requires_basic_training=weights_for(programme_key).requires_basic_training,
    )
    blocked = [(v, rules[v.pk]) for v in volunteers if v.pk in rules]
    return [v for v in volunteers if v.pk not in rules], blocked


def volunteers_not_proposed(
    programme_key, *, site_id=PROGRAMME_SITE
) -> list[tuple[Participant, list[str]]]:
    """The volunteers with a place left whom matching leaves out, and why."""
    return _volunteers(programme_key, site_id=_site_id(programme_key, site_id))[1]


def cohort_for(programme_key, *, site_id=PROGRAMME_SITE) -> Cohort:
    """Waiting newcomers, volunteers with places left, and what the coordinator recorded.

    One site's people only (the programme's, or ``site_id``'s; None: people of no site):
    matching never pairs across municipalities, whatever the programme keys say."""
    site_id = _site_id(programme_key, site_id)
    related = ["interests", "spoken_languages"]
    newcomers = list(
        Participant.objects.awaiting_match()
        .filter(programme_key=programme_key, site_id=site_id, role=Role.NEWCOMER)
        .prefetch_related(*related)
        .order_by("waiting_since", "pk")
    )
    volunteers, blocked = _volunteers(programme_key, site_id=site_id, related=related)
    pks = [p.pk for p in newcomers + volunteers]
    excluded = set(
        MatchExclusion.objects.filter(newcomer__in=pks).values_list("newcomer", "volunteer")
    )
    # A pair that had a duo before is never proposed again.
    excluded |= set(Duo.objects.filter(newcomer__in=pks).values_list("newcomer", "volunteer"))
    picks = set(
        SpeedDatePick.objects.filter(chooser__in=pks, chosen__in=pks).values_list(
            "chooser", "chosen"
        )
    )
    context = Context(excluded=excluded, picks=picks)
    candidates_n = [_candidate(p) for p in newcomers]
    candidates_v = [_candidate(v, capacity=v.max_duos - v.running_duos) for v in volunteers]
    scores, feasible = score_matrix(
        candidates_n, candidates_v, weights_for(programme_key).as_dict(), context
    )
    return Cohort(
        newcomers, volunteers, candidates_n, candidates_v, context, scores, feasible, blocked
    )


def match_run(*, programme_key, site_id=PROGRAMME_SITE) -> tuple[Cohort, list[tuple[int, int]]]:
    cohort = cohort_for(programme_key, site_id=site_id)
    pairs = assign(cohort.scores, cohort.feasible, [c.capacity for c in cohort.candidates_v])
    return cohort, pairs


def proposals_create(*, programme, user=None) -> list[MatchProposal]:
    """Replace the programme's draft proposals with a fresh optimal assignment."""
    key = programme.translation_key
    site_id = programme_key_site_id(key)
    cohort, pairs = match_run(programme_key=key, site_id=site_id)
    with transaction.atomic():
        MatchProposal.objects.filter(
            programme_key=key, newcomer__site_id=site_id, status=MatchProposal.Status.DRAFT
        ).delete()
        proposals = MatchProposal.objects.bulk_create(
            MatchProposal(
                programme_key=key,
                newcomer=cohort.newcomers[i],
                volunteer=cohort.volunteers[j],
                score=round(float(cohort.scores[i, j]), 2),
                reasons=cohort.reasons(i, j),
            )
            for i, j in pairs
        )
        duo_audit(user, "matching run", count=len(proposals), site_id=site_id)
    return proposals


def duo_audit(user, detail: str, *, participant=None, count: int = 1, site_id=None) -> None:
    """A matching or duo change in the registry audit log, with the site it happened in (the
    participant's, or ``site_id`` for a change that names nobody)."""
    registry_audit(
        RegistryAuditEvent.Action.CHANGE,
        user=user,
        participant=participant,
        count=count,
        detail=detail,
        site_id=site_id,
    )


def _check_same_site(newcomer: Participant, volunteer: Participant) -> None:
    if newcomer.site_id != volunteer.site_id:
        raise DuoError(_("These two belong to different municipalities: a duo stays within one."))


def _check_pair(newcomer: Participant, volunteer: Participant) -> None:
    _check_same_site(newcomer, volunteer)
    if newcomer.status != Status.WAITING or newcomer.anonymised_at:
        raise DuoError(_("The newcomer is no longer waiting for a match."))
    running = Duo.objects.running().filter(volunteer=volunteer).count()
    if running >= volunteer.max_duos:
        raise DuoError(_("The volunteer has no place left for another duo."))
    if MatchExclusion.objects.filter(newcomer=newcomer, volunteer=volunteer).exists():
        raise DuoError(_("You excluded this pair."))
    if newcomer.buddy_gender and newcomer.buddy_gender != volunteer.gender:
        raise DuoError(_("This pair goes against the newcomer's wish about the buddy's gender."))
    if volunteer.buddy_gender and volunteer.buddy_gender != newcomer.gender:
        raise DuoError(_("This pair goes against the volunteer's wish about the buddy's gender."))
    _check_volunteer_rules(volunteer)


def _check_volunteer_rules(volunteer: Participant) -> None:
    """The programme's hard rules (information note, insurance, basic training)."""
    blocked = eligibility.volunteers_blocked([volunteer.pk], programme_key=volunteer.programme_key)
    if volunteer.pk in blocked:
        texts = eligibility.blocked_texts(blocked[volunteer.pk])
        raise DuoError(
            _("This volunteer cannot be matched yet: %(reasons)s") % {"reasons": " ".join(texts)}
        )


def proposal_change(*, proposal: MatchProposal, volunteer: Participant, user) -> MatchProposal:
    """The coordinator picks another volunteer for this newcomer; reasons follow."""
    if proposal.status != MatchProposal.Status.DRAFT:
        raise DuoError(_("Only draft proposals can be changed."))
    _check_same_site(proposal.newcomer, volunteer)
    cohort = cohort_for(proposal.programme_key, site_id=proposal.newcomer.site_id)
    rows = {p.pk: i for i, p in enumerate(cohort.newcomers)}
    columns = {p.pk: j for j, p in enumerate(cohort.volunteers)}
    if volunteer.pk not in columns:
        _check_volunteer_rules(volunteer)
    if proposal.newcomer_id not in rows or volunteer.pk not in columns:
        raise DuoError(_("This volunteer cannot be matched now."))
    i, j = rows[proposal.newcomer_id], columns[volunteer.pk]
    if not cohort.feasible[i, j]:
        _check_pair(proposal.newcomer, volunteer)
        raise DuoError(_("This pair cannot be made."))
    proposal.volunteer = volunteer
    proposal.score = round(float(cohort.scores[i, j]), 2)
    proposal.reasons = cohort.reasons(i, j)
    proposal.save(update_fields=["volunteer", "score", "reasons"])
    duo_audit(user, f"proposal {proposal.pk} changed", participant=proposal.newcomer)
    return proposal


def proposal_reject(*, proposal: MatchProposal, user) -> None:
    proposal.status = MatchProposal.Status.REJECTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    duo_audit(user, f"proposal {proposal.pk} rejected", participant=proposal.newcomer)


def proposal_accept(
    *, proposal: MatchProposal, user, introduction: str = "", start: date | None = None
) -> Duo:
    """Make the duo and email both members an introduction in their own language."""
    if proposal.status != MatchProposal.Status.DRAFT:
        raise DuoError(_("This proposal was already decided."))
    with transaction.atomic():
        newcomer = Participant.objects.select_for_update().get(pk=proposal.newcomer_id)
        volunteer = Participant.objects.select_for_update().get(pk=proposal.volunteer_id)
        _check_pair(newcomer, volunteer)
        duo = duo_create(
            newcomer=newcomer,
            volunteer=volunteer,
            introduction=introduction,
            start=start,
            user=user,
        )
        proposal.status = MatchProposal.Status.ACCEPTED
        proposal.decided_at = timezone.now()
        proposal.decided_by = user
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
        # The newcomer has a buddy now: their other drafts go.
        MatchProposal.objects.filter(newcomer=newcomer, status=MatchProposal.Status.DRAFT).exclude(
            pk=proposal.pk
        ).delete()
    return duo


def duo_create(
    *,
    newcomer: Participant,
    volunteer: Participant,
    introduction: str = "",
    start: date | None = None,
    user=None,
) -> Duo:
    _check_same_site(newcomer, volunteer)
    start = start or timezone.localdate()
    programme = newcomer.programme
    months = programme.duration_months if programme else 6
    end, midway = Duo.planned_dates(start, months or 6)
    with transaction.atomic():
        duo = Duo.objects.create(
            programme=programme if isinstance(programme, ProgrammePage) else None,
            programme_key=newcomer.programme_key,
            newcomer=newcomer,
            volunteer=volunteer,
            introduction=introduction,
            start_date=start,
            planned_end=end,
            feedback_due=midway,
        )
        participant_status_set(participant=newcomer, status=Status.MATCHED, user=user, note="duo")
        if volunteer.status == Status.WAITING:
            participant_status_set(
                participant=volunteer, status=Status.MATCHED, user=user, note="duo"
            )
        duo_audit(user, f"duo {duo.pk} created", participant=newcomer)
        transaction.on_commit(lambda: _queue_email(duo.pk, "introduction"))
    return duo


# --- Duo lifecycle -------------------------------------------------------------------


def duo_end(
    *, duo: Duo, user, completed: bool, reason: str = "", back_to_waiting: tuple[str, ...] = ()
) -> Duo:
    """Complete a duo, or stop it early with a reason; members may go back to the waiting list."""
    if duo.status in (Duo.Status.COMPLETED, Duo.Status.STOPPED):
        raise DuoError(_("This duo has already ended."))
    with transaction.atomic():
        duo.status = Duo.Status.COMPLETED if completed else Duo.Status.STOPPED
        duo.stop_reason = "" if completed else reason[:300]
        duo.ended_on = timezone.localdate()
        duo.save(update_fields=["status", "stop_reason", "ended_on"])
        for role in ("newcomer", "volunteer"):
            member = duo.member(role)
            others = Duo.objects.running().filter(**{role: member}).exclude(pk=duo.pk)
            if others.exists():
                continue
            if role in back_to_waiting:
                status = Status.WAITING
            else:
                status = Status.COMPLETED if completed else Status.STOPPED
            participant_status_set(participant=member, status=status, user=user, note="duo ended")
        duo_audit(user, f"duo {duo.pk} {duo.status}", participant=duo.newcomer)
        if completed:
            # The closing email (thanks, certificate, invitation) goes once, after the commit.
            duo.closing_sent_at = timezone.now()
            duo.save(update_fields=["closing_sent_at"])
            transaction.on_commit(lambda: send_closing_emails.enqueue(duo_id=duo.pk))
    return duo


def duo_pause(*, duo: Duo, user, paused: bool) -> Duo:
    if duo.status not in (Duo.Status.ACTIVE, Duo.Status.PAUSED):
        raise DuoError(_("This duo has already ended."))
    duo.status = Duo.Status.PAUSED if paused else Duo.Status.ACTIVE
    duo.save(update_fields=["status"])
    duo_audit(user, f"duo {duo.pk} {duo.status}", participant=duo.newcomer)
    return duo


def duo_feedback_done(*, duo: Duo, user) -> Duo:
    duo.feedback_done_at = timezone.now()
    duo.save(update_fields=["feedback_done_at"])
    duo_audit(user, f"duo {duo.pk} midway feedback done", participant=duo.newcomer)
    return duo


# --- Meeting log --------------------------------------------------------------------


def meeting_log(*, duo: Duo, by: str, on: date, minutes: int, activity: str = "") -> Meeting:
    """A member (or the coordinator) logs a meeting. A coordinator's entry counts at
    once; a member's counts when the other member confirms it."""
    if duo.status not in (Duo.Status.ACTIVE, Duo.Status.PAUSED):
        raise DuoError(_("This duo has ended. Ask the coordinator to add the meeting."))
    if on > timezone.localdate():
        raise DuoError(_("This date is in the future. Log a meeting after it took place."))
    if on < duo.start_date - timedelta(days=1):
        raise DuoError(_("This date is before the duo started."))
    if not 15 <= minutes <= 720:
        raise DuoError(_("A meeting lasts between 15 minutes and 12 hours."))
    confirmed = by == Meeting.By.COORDINATOR
    with transaction.atomic():
        meeting = Meeting.objects.create(
            duo=duo,
            date=on,
            minutes=minutes,
            activity=activity[:300],
            logged_by=by,
            confirmed_by=by if confirmed else "",
            confirmed_at=timezone.now() if confirmed else None,
        )
        if confirmed:
            _activate(duo)
    return meeting


def meeting_confirm(*, meeting: Meeting, by: str) -> Meeting:
    """The other member (or a coordinator) confirms a meeting; then its hours count."""
    if meeting.is_confirmed:
        return meeting
    if by == meeting.logged_by:
        raise DuoError(_("The other member of the duo confirms this meeting, not you."))
    with transaction.atomic():
        meeting.confirmed_by = by
        meeting.confirmed_at = timezone.now()
        meeting.save(update_fields=["confirmed_by", "confirmed_at"])
        _activate(meeting.duo)
    return meeting


def _activate(duo: Duo) -> None:
    """The first confirmed meeting makes the members active."""
    for member in (duo.newcomer, duo.volunteer):
        if member.status == Status.MATCHED:
            participant_status_set(participant=member, status=Status.ACTIVE, note="first meeting")


def duo_from_token(token: str) -> tuple[Duo, str]:
    """The duo and the member role a private link belongs to, or DuoError."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise DuoError(_("This link is not valid. Copy the whole link from the email.")) from None
    role = data.get("r")
    duo = (
        Duo.objects.select_related("newcomer", "volunteer").filter(pk=data.get("d")).first()
        if role in ("newcomer", "volunteer")
        else None
    )
    if duo is None:
        raise DuoError(_("This link is not valid. Copy the whole link from the email."))
    version = duo.newcomer_link_version if role == "newcomer" else duo.volunteer_link_version
    if data.get("v") != version or duo.member(role).anonymised_at:
        raise DuoError(_("This link is no longer valid. Ask the coordinator for a new one."))
    return duo, role


def duo_link_revoke(*, duo: Duo, role: str, user) -> Duo:
    """Make the member's current link stop working (and email the new one if asked)."""
    field = f"{role}_link_version"
    setattr(duo, field, getattr(duo, field) + 1)
    duo.save(update_fields=[field])
    duo_audit(user, f"duo {duo.pk} {role} link revoked", participant=duo.member(role))
    return duo


def duo_links_send(*, duo: Duo, user) -> None:
    duo_audit(user, f"duo {duo.pk} links sent", participant=duo.newcomer)
    transaction.on_commit(lambda: _queue_email(duo.pk, "links"))


def _queue_email(duo_id: int, kind: str) -> None:
    send_duo_emails.enqueue(duo_id=duo_id, kind=kind)
