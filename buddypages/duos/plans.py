"""Action plans (up to five goals per duo) and the feedback both members give at the
midway moment and at the end. Owner: the action-plan feature.

A goal names a ``GoalOption`` by its ``key`` (each member reads it in their own language)
or holds the duo's own words. Feedback is five faces per goal and overall, from each
member's private duo link; the other member never sees it, the coordinator sees both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from buddypages.duos.models import (
    MAX_GOALS,
    Duo,
    DuoFeedback,
    DuoGoal,
    Face,
    FeedbackMoment,
    GoalRating,
)
from buddypages.duos.moments import (
    MOMENT_TITLES,
    moment_state,
    moment_window,
    open_moments,
)
from buddypages.duos.services import DuoError, duo_audit, duo_feedback_done, duo_from_token
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.snippets import GoalOption
from buddypages.registry.models import Participant
from buddypages.registry.signals import participant_exporting

COMMENT_MAX = 2000


# --- Goals ------------------------------------------------------------------------------


def goal_names(language: str | None = None) -> dict[str, str]:
    """Each goal option's name by key, in ``language`` (the active one by default), with the
    Dutch name where no translation exists yet."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    rows = GoalOption.objects.filter(locale__language_code__in={settings.LANGUAGE_CODE, language})
    names: dict[str, str] = {}
    for key, name, code in rows.values_list("key", "name", "locale__language_code"):
        if code == language or key not in names:
            names[key] = name
    return names


def goal_options(language: str | None = None) -> list[tuple[str, str]]:
    """(key, name) of every goal option, in the list's order, for a choice."""
    names = goal_names(language)
    keys = GoalOption.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list(
        "key", flat=True
    )
    return [(key, names[key]) for key in keys if key in names]


@dataclass(frozen=True)
class GoalRow:
    """One goal as the coordinator sends it: an existing goal's id (or None), a key from
    the list or the duo's own words, and where it goes in the plan."""

    id: int | None = None
    key: str = ""
    text: str = ""
    position: int = 0


def plan_set(*, duo: Duo, goals: list[GoalRow], user) -> list[DuoGoal]:
    """Write the duo's action plan: these goals, in this order, and no others.

    Goals kept from before keep their feedback; a goal left out is removed with its
    answers. Raises DuoError (and changes nothing) for more than five goals, an unknown
    goal option or a goal of another duo.
    """
    rows = [
        GoalRow(row.id, row.key.strip(), " ".join(row.text.split()), row.position)
        for row in goals
        if row.key.strip() or row.text.strip()
    ]
    if len(rows) > MAX_GOALS:
        raise DuoError(
            _("An action plan has at most %(max)s goals. Remove one, then save again.")
            % {"max": MAX_GOALS}
        )
    known = set(
        GoalOption.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list(
            "key", flat=True
        )
    )
    if any(row.key and row.key not in known for row in rows):
        raise DuoError(_("This goal is no longer in the list. Choose another one."))
    if any(len(row.text) > 200 for row in rows):
        raise DuoError(_("Write each goal in at most 200 characters."))
    existing = {goal.pk: goal for goal in duo.goals.all()}
    ids = [row.id for row in rows if row.id is not None]
    if len(ids) != len(set(ids)) or any(pk not in existing for pk in ids):
        raise DuoError(_("This plan changed in the meantime. Reload the page."))
    ordered = sorted(enumerate(rows), key=lambda item: (item[1].position, item[0]))
    with transaction.atomic():
        kept = [row.id for row in rows if row.id is not None]
        duo.goals.exclude(pk__in=kept).delete()
        saved = []
        for position, (_index, row) in enumerate(ordered, start=1):
            key, text = (row.key, "") if row.key else ("", row.text)  # never both
            goal = existing.get(row.id)
            if goal is not None and (goal.key, goal.text) != (key, text):
                # Another goal in the same row: the answers given about the old one go with
                # it, never under the new one's name.
                goal.delete()
                goal = None
            goal = goal or DuoGoal(duo=duo)
            goal.key, goal.text = key, text
            goal.position = position
            goal.save()
            saved.append(goal)
        duo_audit(
            user, f"duo {duo.pk} action plan set ({len(saved)} goals)", participant=duo.newcomer
        )
    return saved


def plan_rows(duo: Duo, language: str | None = None) -> list[dict]:
    """The duo's goals with the name to show: the option in ``language`` or the own words."""
    names = goal_names(language)
    return [
        {
            "goal": goal,
            "name": names.get(goal.key, goal.key) if goal.key else goal.text,
            "own": not goal.key,
        }
        for goal in duo.goals.all()
    ]


# --- Feedback ---------------------------------------------------------------------------


def feedback_submit(
    *,
    duo: Duo,
    role: str,
    moment: str,
    overall: int,
    ratings: dict[int, int],
    comment: str = "",
    language: str = "",
) -> tuple[DuoFeedback, bool]:
    """Save one member's answer at an open moment; a second answer before the moment closes
    replaces the first. Returns (feedback, whether it replaced one). When both members have
    answered at the midway moment, the duo's midway feedback is done."""
    if role not in ("newcomer", "volunteer") or moment not in FeedbackMoment.values:
        raise DuoError(_("This feedback form does not exist."))
    if moment_state(duo, moment) != "open":
        raise DuoError(_("This feedback moment is not open."))
    faces = set(Face.values)
    goals = set(duo.goals.values_list("pk", flat=True))
    if overall not in faces or any(
        goal not in goals or face not in faces for goal, face in ratings.items()
    ):
        raise DuoError(_("Choose one face for each question."))
    with transaction.atomic():
        feedback, created = DuoFeedback.objects.update_or_create(
            duo=duo,
            role=role,
            moment=moment,
            defaults={
                "overall": overall,
                "comment": comment.strip()[:COMMENT_MAX],
                "language": language[:10],
                "submitted_at": timezone.now(),
            },
        )
        feedback.ratings.all().delete()
        GoalRating.objects.bulk_create(
            GoalRating(feedback=feedback, goal_id=goal, face=face) for goal, face in ratings.items()
        )
        if (
            moment == FeedbackMoment.MIDWAY
            and duo.feedback_done_at is None
            and duo.feedback.filter(moment=moment).count() == 2
        ):
            duo_feedback_done(duo=duo, user=None)
    return feedback, not created


class FeedbackForm(forms.Form):
    """Five faces overall and per goal (goals are optional), and an optional comment."""

    def __init__(self, *args, goals: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for row in goals:
            self.fields[f"goal_{row['goal'].pk}"] = forms.TypedChoiceField(
                label=row["name"],
                choices=Face.choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["overall"] = forms.TypedChoiceField(
            label=_("All in all, how is it going?"),
            choices=Face.choices,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose a face for this question.")},
        )
        self.fields["comment"] = forms.CharField(
            label=_("Do you want to tell us more? (optional)"),
            max_length=COMMENT_MAX,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.goal_rows = goals

    def goal_fields(self):
        return [self[f"goal_{row['goal'].pk}"] for row in self.goal_rows]

    def ratings(self) -> dict[int, int]:
        return {
            row["goal"].pk: self.cleaned_data[f"goal_{row['goal'].pk}"]
            for row in self.goal_rows
            if self.cleaned_data.get(f"goal_{row['goal'].pk}")
        }


def _error(request, message, status: int, back: str = ""):
    return TemplateResponse(
        request,
        "buddypages/duos/feedback_error.html",
        {"error": message, "back": back},
        status=status,
    )


@never_cache
@csrf_protect
def feedback_view(request, token: str, moment: str):
    """A member's feedback form at one moment, under their private duo link."""
    try:
        duo, role = duo_from_token(token)
    except DuoError as error:
        return _error(request, error.message, 404)
    back = reverse("buddypages:duo-log", kwargs={"token": token})
    if moment not in FeedbackMoment.values:
        return _error(request, _("This feedback form does not exist."), 404, back)
    state = moment_state(duo, moment)
    if state != "open":
        opens, _closes = moment_window(duo, moment)
        return TemplateResponse(
            request,
            "buddypages/duos/feedback_error.html",
            {"state": state, "opens": opens, "back": back},
            status=400,
        )
    goals = plan_rows(duo)
    mine = duo.feedback.filter(role=role, moment=moment).prefetch_related("ratings").first()
    status = 200
    message = None
    if request.method == "POST":
        form = FeedbackForm(request.POST, goals=goals)
        if form.is_valid():
            try:
                feedback_submit(
                    duo=duo,
                    role=role,
                    moment=moment,
                    overall=form.cleaned_data["overall"],
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                    language=translation.get_language() or "",
                )
                return redirect(request.path + "?done=1")
            except DuoError as error:
                message = error.message
        status = 400
    else:
        initial = {}
        if mine is not None:
            initial = {"overall": mine.overall, "comment": mine.comment}
            initial.update({f"goal_{r.goal_id}": r.face for r in mine.ratings.all()})
        form = FeedbackForm(initial=initial, goals=goals)
    return TemplateResponse(
        request,
        "buddypages/duos/feedback.html",
        {
            "duo": duo,
            "role": role,
            "buddy": duo.member(duo.other_role(role)),
            "moment": moment,
            "title": MOMENT_TITLES[moment],
            "form": form,
            "mine": mine,
            "closes": moment_window(duo, moment)[1],
            "done": request.GET.get("done") == "1" and mine is not None,
            "message": message,
            "back": back,
        },
        status=status,
    )


# --- The sections of the duo pages -------------------------------------------------------


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's action-plan section needs (template
    ``buddypages/duos/sections/plan.html``)."""
    match = getattr(request, "resolver_match", None)
    token = (match.kwargs.get("token") if match else None) or duo_link_token(duo, role)
    answered = dict(duo.feedback.filter(role=role).values_list("moment", "submitted_at"))
    moments = [
        {
            "moment": moment,
            "title": MOMENT_TITLES[moment],
            "url": reverse("buddypages:duo-feedback", kwargs={"token": token, "moment": moment}),
            "answered_at": answered.get(moment),
            "closes": moment_window(duo, moment)[1],
        }
        for moment in open_moments(duo)
    ]
    return {"plan_goals": plan_rows(duo), "feedback_moments": moments}


def duo_admin_context(request, duo) -> dict:
    """Both members' answers side by side, per moment and goal, and the plan itself."""
    goals = plan_rows(duo)
    feedback = {
        (item.moment, item.role): item
        for item in duo.feedback.prefetch_related("ratings").order_by("moment")
    }
    moments = []
    for moment, label in FeedbackMoment.choices:
        newcomer, volunteer = (
            feedback.get((moment, "newcomer")),
            feedback.get((moment, "volunteer")),
        )
        opens, closes = moment_window(duo, moment)
        faces = {
            role: {r.goal_id: r.face for r in item.ratings.all()} if item else {}
            for role, item in (("newcomer", newcomer), ("volunteer", volunteer))
        }
        moments.append(
            {
                "moment": moment,
                "label": label,
                "opens": opens,
                "closes": closes,
                "state": moment_state(duo, moment),
                "newcomer": newcomer,
                "volunteer": volunteer,
                "rows": [
                    {
                        "name": row["name"],
                        "own": row["own"],
                        "newcomer": _face_label(faces["newcomer"].get(row["goal"].pk)),
                        "volunteer": _face_label(faces["volunteer"].get(row["goal"].pk)),
                    }
                    for row in goals
                ],
            }
        )
    return {"plan_goals": goals, "plan_max": MAX_GOALS, "feedback_by_moment": moments}


def _face_label(value: int | None):
    return Face(value).label if value else None


# --- Data protection --------------------------------------------------------------------


@receiver(participant_exporting, sender=Participant, dispatch_uid="buddypages-plans-export")
def export_plans(sender, participant: Participant, when, **kwargs) -> dict:
    """The action plans of the person's duos and the feedback they gave themselves (never
    the other member's), for a subject access export."""
    duos = Duo.objects.filter(newcomer=participant) | Duo.objects.filter(volunteer=participant)
    names = goal_names(settings.LANGUAGE_CODE)
    plans = []
    for duo in duos.prefetch_related("goals"):
        role = "newcomer" if duo.newcomer_id == participant.pk else "volunteer"
        plans.append(
            {
                "duo_start": when(duo.start_date),
                "goals": [names.get(g.key, g.key) if g.key else g.text for g in duo.goals.all()],
                "feedback": [
                    {
                        "moment": item.moment,
                        "overall": item.overall,
                        "goals": {
                            (
                                names.get(r.goal.key, r.goal.key) if r.goal.key else r.goal.text
                            ): r.face
                            for r in item.ratings.select_related("goal")
                        },
                        "comment": item.comment,
                        "answered_at": when(item.submitted_at),
                    }
                    for item in duo.feedback.filter(role=role)
                ],
            }
        )
    return {"action_plans": plans}
