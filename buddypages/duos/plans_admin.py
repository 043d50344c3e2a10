"""Action plans in the Wagtail admin: the coordinator writes a duo's plan, and the dashboard
shows the programme's feedback as anonymised counts. Owner: the action-plan feature."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from buddypages.core.permissions import require as _require
from buddypages.duos.admin import viewer
from buddypages.duos.models import MAX_GOALS, Duo, DuoFeedback, Face, FeedbackMoment, GoalRating
from buddypages.duos.plans import GoalRow, goal_names, goal_options, plan_rows, plan_set
from buddypages.duos.services import DuoError
from buddypages.pages.access import seal
from buddypages.pages.municipality import visible_programmes

MANAGE = "buddypages.change_duo"
VIEW = "buddypages.view_duo"

# The smallest count the anonymised results show: fewer people could be recognised.
MIN_COUNT = 5


def _as_int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _posted_rows(data) -> list[dict]:
    """The rows of the plan form as sent, kept whole so a refused form loses nothing."""
    rows = []
    for index in range(_as_int(data.get("rows"), 0) or 0):
        if index > 20:
            break
        rows.append(
            {
                "id": _as_int(data.get(f"goal-{index}-id")),
                "key": (data.get(f"goal-{index}-key") or "").strip(),
                "text": data.get(f"goal-{index}-text") or "",
                "position": _as_int(data.get(f"goal-{index}-position"), index + 1),
                "remove": data.get(f"goal-{index}-remove") == "1",
            }
        )
    return rows


def plan_edit(request, pk: int):
    """The coordinator writes the action plan with the duo: up to five goals, from the list
    or in their own words, in their order."""
    _require(request, MANAGE)
    duo = get_object_or_404(
        seal(Duo.objects.select_related("newcomer", "volunteer"), request.user), pk=pk
    )
    status = 200
    if request.method == "POST":
        rows = _posted_rows(request.POST)
        try:
            plan_set(
                duo=duo,
                goals=[
                    GoalRow(row["id"], row["key"], row["text"], row["position"])
                    for row in rows
                    if not row["remove"]
                ],
                user=request.user,
            )
            messages.success(request, _("The action plan is saved."))
            return redirect("duos:inspect", duo.pk)
        except DuoError as error:
            messages.error(request, error.message)
            status = 400
    else:
        rows = [
            {
                "id": row["goal"].pk,
                "key": row["goal"].key,
                "text": row["goal"].text,
                "position": position,
                "remove": False,
            }
            for position, row in enumerate(plan_rows(duo), start=1)
        ]
    # One empty row more than there are goals (and at least five rows): a sixth goal is
    # refused with a message, never silently dropped.
    filled = sum(1 for row in rows if row["key"] or row["text"].strip())
    while len(rows) < max(MAX_GOALS, min(filled + 1, MAX_GOALS + 1)):
        rows.append({"id": None, "key": "", "text": "", "position": len(rows) + 1, "remove": False})
    return TemplateResponse(
        request,
        "buddypages/duos/admin/plan_edit.html",
        {
            "duo": duo,
            "rows": rows,
            "options": goal_options(),
            "max_goals": MAX_GOALS,
            "page_title": _("Action plan"),
            "page_subtitle": str(duo),
            "header_icon": "list-ol",
        },
        status=status,
    )


# --- Anonymised results -------------------------------------------------------------------


def face_bands(counts: dict[int, int], minimum: int = MIN_COUNT) -> list[dict]:
    """Answers per face, neighbouring faces put together so that every figure shown is
    0 or at least ``minimum``; nothing at all when there are fewer than ``minimum`` answers.

    Of all the ways to group the faces, the one with the most groups wins. The groups add
    up to the total, and a group is never split elsewhere, so no hidden count can be worked
    out from the figures shown.
    """
    faces = list(Face)
    values = [counts.get(face.value, 0) for face in faces]
    if sum(values) < minimum:
        return []
    best: list[tuple[int, int]] | None = None
    # Each of the four gaps between five faces is a cut or not: 16 ways to group them.
    for cuts in range(2 ** (len(faces) - 1)):
        groups, start = [], 0
        for gap in range(len(faces) - 1):
            if cuts >> gap & 1:
                groups.append((start, gap + 1))
                start = gap + 1
        groups.append((start, len(faces)))
        shown = [sum(values[a:b]) for a, b in groups]
        if all(count == 0 or count >= minimum for count in shown) and (
            best is None or len(groups) > len(best)
        ):
            best = groups
    return [
        {
            "faces": [face.value for face in faces[a:b]],
            "label": faces[a].label
            if b - a == 1
            else _("%(first)s to %(last)s") % {"first": faces[a].label, "last": faces[b - 1].label},
            "count": sum(values[a:b]),
        }
        for a, b in best
    ]


def feedback_results(programme_key, *, user) -> list[dict]:
    """Per moment: the overall answers and the answers per goal option, as face bands, of
    the programme's duos in the sites ``user`` may see. Counts only; own goals (the duo's
    own words) are left out."""
    results = []
    names = goal_names()
    for moment, label in FeedbackMoment.choices:
        answers = seal(
            DuoFeedback.objects.filter(duo__programme_key=programme_key, moment=moment),
            user,
            via="duo__site",
        )
        overall = dict(
            answers.values_list("overall").annotate(n=Count("pk")).values_list("overall", "n")
        )
        per_goal: dict[str, dict[int, int]] = {}
        for key, face, count in (
            GoalRating.objects.filter(feedback__in=answers)
            .exclude(goal__key="")
            .values_list("goal__key", "face")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            per_goal.setdefault(key, {})[face] = count
        goals = [
            {"name": names.get(key, key), "bands": face_bands(counts)}
            for key, counts in sorted(
                per_goal.items(), key=lambda item: names.get(item[0], item[0])
            )
        ]
        results.append(
            {
                "moment": moment,
                "label": label,
                "bands": face_bands(overall),
                "goals": goals,
            }
        )
    return results


class FeedbackResultsPanel(Component):
    """The programme's feedback on the dashboard: how many answers per face, never fewer
    than five in one figure, nothing per person."""

    name = "feedback_results"
    order = 60
    template_name = "buddypages/duos/admin/feedback_results_panel.html"

    def __init__(self, user=None):
        self.user = user

    def get_context_data(self, parent_context=None):
        user = viewer(self.user, parent_context)
        return {
            "programmes": [
                {
                    "programme": programme,
                    "moments": feedback_results(programme.translation_key, user=user),
                }
                for programme in visible_programmes(user)
            ],
            "minimum": MIN_COUNT,
        }
