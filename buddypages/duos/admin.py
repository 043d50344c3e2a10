"""Matching and duos in the Wagtail admin: coordinators only."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from buddypages.core.admin_dates import CalendarDateColumn
from buddypages.core.permissions import require as _require
from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.duos import closing, eligibility, plans, referrals, services, vouchers
from buddypages.duos.models import (
    PROOF_HOURS,
    Duo,
    MatchExclusion,
    MatchProposal,
    MatchWeights,
    Meeting,
    SpeedDatePick,
)
from buddypages.duos.reasons import reason_texts
from buddypages.duos.views import as_id
from buddypages.pages.access import SealedViewSetMixin, seal
from buddypages.pages.municipality import visible_programmes
from buddypages.registry.choices import SPOKEN_LANGUAGE_NAMES, Role, Status
from buddypages.registry.models import Participant, ParticipantLanguage

MANAGE = "buddypages.change_duo"
VIEW = "buddypages.view_duo"


def _programme(request, pk: int):
    """The programme page ``pk`` of a site the user may see (``site_pk`` set), else 404."""
    for programme in visible_programmes(request.user):
        if programme.pk == pk:
            return programme
    raise Http404


def _name(participant: Participant) -> str:
    return participant.full_name


def participant_suggestions(participant: Participant) -> list[dict]:
    """The best buddies for someone waiting, with their reasons, for the participant's page
    in the registry (registered with its ``buddypages_participant_suggestions`` hook)."""
    cohort = services.cohort_for(participant.programme_key, site_id=participant.site_id)
    return [
        {"person": person, "score": round(score, 1), "reasons": reason_texts(reasons)}
        for person, score, reasons in cohort.suggestions(participant)
    ]


# --- Matching ----------------------------------------------------------------------


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchWeights
        fields = [*MatchWeights.WEIGHT_FIELDS, "requires_basic_training"]


class AcceptForm(forms.Form):
    introduction = forms.CharField(
        label=_("How you introduce them to each other"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to both. Only what helps them start, e.g. what they have in common."),
    )
    start = forms.DateField(label=_("start"), initial=timezone.localdate)


def matching_index(request):
    _require(request, VIEW)
    rows = []
    for programme in visible_programmes(request.user):
        key = programme.translation_key
        waiting = Participant.objects.awaiting_match().filter(
            programme_key=key, site_id=programme.site_pk
        )
        rows.append(
            {
                "programme": programme,
                "newcomers": waiting.filter(role=Role.NEWCOMER).count(),
                "volunteers": waiting.filter(role=Role.VOLUNTEER).count(),
                "drafts": _drafts(programme).count(),
            }
        )
    return TemplateResponse(
        request,
        "buddypages/duos/admin/matching_index.html",
        {"rows": rows, "page_title": _("Matching"), "header_icon": "link"},
    )


def _drafts(programme):
    """The programme's draft proposals, both members of the programme's site."""
    return MatchProposal.objects.filter(
        programme_key=programme.translation_key,
        newcomer__site_id=programme.site_pk,
        volunteer__site_id=programme.site_pk,
        status=MatchProposal.Status.DRAFT,
    )


def matching_programme(request, pk: int):
    _require(request, VIEW)
    programme = _programme(request, pk)
    key = programme.translation_key
    site_id = programme.site_pk
    weights = services.weights_for(key)
    weights_form = WeightsForm(instance=weights)
    if request.method == "POST":
        _require(request, MANAGE)
        action = request.POST.get("action")
        try:
            if action == "propose":
                made = services.proposals_create(programme=programme, user=request.user)
                messages.success(request, _("%(count)s proposals made.") % {"count": len(made)})
                return redirect(request.path)
            if action == "weights":
                weights_form = WeightsForm(request.POST, instance=weights)
                if weights_form.is_valid():
                    weights_form.save()
                    messages.success(request, _("The weights are saved."))
                    return redirect(request.path)
            if action in ("accept", "reject", "change"):
                proposal = get_object_or_404(
                    _drafts(programme), pk=as_id(request.POST.get("proposal"))
                )
                if action == "reject":
                    services.proposal_reject(proposal=proposal, user=request.user)
                    messages.success(request, _("The proposal is rejected."))
                elif action == "change":
                    volunteer = Participant.objects.filter(
                        pk=as_id(request.POST.get("volunteer")),
                        role=Role.VOLUNTEER,
                        programme_key=key,
                        site_id=site_id,
                    ).first()
                    if volunteer is None:
                        raise services.DuoError(_("This volunteer cannot be matched now."))
                    services.proposal_change(
                        proposal=proposal, volunteer=volunteer, user=request.user
                    )
                    messages.success(request, _("The proposal is changed."))
                else:
                    form = AcceptForm(request.POST)
                    if not form.is_valid():
                        raise services.DuoError(_("Check the start date."))
                    duo = services.proposal_accept(
                        proposal=proposal,
                        user=request.user,
                        introduction=form.cleaned_data["introduction"],
                        start=form.cleaned_data["start"],
                    )
                    messages.success(
                        request,
                        _("Duo made: %(duo)s. Both get an introduction email.") % {"duo": duo},
                    )
                return redirect(request.path)
        except services.DuoError as error:
            messages.error(request, error.message)
            return redirect(request.path)
    drafts = list(_drafts(programme).select_related("newcomer", "volunteer"))
    cohort = services.cohort_for(key, site_id=site_id) if drafts else None
    items = []
    for proposal in drafts:
        alternatives = cohort.suggestions(proposal.newcomer, limit=6) if cohort else []
        items.append(
            {
                "proposal": proposal,
                "reasons": proposal.reason_texts(),
                "alternatives": [
                    (volunteer, round(score, 1))
                    for volunteer, score, _reasons in alternatives
                    if volunteer.pk != proposal.volunteer_id
                ][:5],
                "accept_form": AcceptForm(prefix=f"p{proposal.pk}"),
            }
        )
    waiting = Participant.objects.awaiting_match().filter(programme_key=key, site_id=site_id)
    not_proposed = [
        {"volunteer": volunteer, "reasons": eligibility.blocked_texts(codes)}
        for volunteer, codes in services.volunteers_not_proposed(key, site_id=site_id)
    ]
    return TemplateResponse(
        request,
        "buddypages/duos/admin/matching_programme.html",
        {
            "programme": programme,
            "items": items,
            "not_proposed": not_proposed,
            "weights_form": weights_form,
            "newcomers_waiting": waiting.filter(role=Role.NEWCOMER).count(),
            "volunteers_waiting": waiting.filter(role=Role.VOLUNTEER).count(),
            "can_manage": request.user.has_perm(MANAGE),
            "page_title": _("Matching"),
            "page_subtitle": programme.title,
            "header_icon": "link",
        },
    )


class PickForm(forms.Form):
    chooser = forms.ModelChoiceField(label=_("who chose"), queryset=Participant.objects.none())
    chosen = forms.ModelMultipleChoiceField(
        label=_("would like to meet again"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ExclusionForm(forms.Form):
    newcomer = forms.ModelChoiceField(label=_("newcomer"), queryset=Participant.objects.none())
    volunteer = forms.ModelChoiceField(label=_("volunteer"), queryset=Participant.objects.none())


def matching_pairs(request, pk: int):
    """Speed-date choices and exclusions for one programme."""
    _require(request, MANAGE)
    programme = _programme(request, pk)
    people = Participant.objects.not_anonymised().filter(
        programme_key=programme.translation_key,
        site_id=programme.site_pk,
        status__in=[Status.WAITING, Status.MATCHED, Status.ACTIVE, Status.INTAKE_DONE],
    )
    pick_form = PickForm(request.POST if request.POST.get("action") == "picks" else None)
    pick_form.fields["chooser"].queryset = people
    pick_form.fields["chosen"].queryset = people
    exclusion_form = ExclusionForm(
        request.POST if request.POST.get("action") == "exclude" else None
    )
    exclusion_form.fields["newcomer"].queryset = people.filter(role=Role.NEWCOMER)
    exclusion_form.fields["volunteer"].queryset = people.filter(role=Role.VOLUNTEER)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "picks" and pick_form.is_valid():
            chooser = pick_form.cleaned_data["chooser"]
            chosen = [p for p in pick_form.cleaned_data["chosen"] if p.role != chooser.role]
            SpeedDatePick.objects.filter(chooser=chooser).delete()
            SpeedDatePick.objects.bulk_create(
                SpeedDatePick(chooser=chooser, chosen=person) for person in chosen
            )
            messages.success(request, _("The speed-date choices are saved."))
            return redirect(request.path)
        if action == "exclude" and exclusion_form.is_valid():
            MatchExclusion.objects.get_or_create(
                newcomer=exclusion_form.cleaned_data["newcomer"],
                volunteer=exclusion_form.cleaned_data["volunteer"],
                defaults={"created_by": request.user},
            )
            messages.success(request, _("This pair will not be proposed."))
            return redirect(request.path)
        if action == "unexclude":
            MatchExclusion.objects.filter(
                pk=as_id(request.POST.get("exclusion")), newcomer__in=people, volunteer__in=people
            ).delete()
            return redirect(request.path)
    return TemplateResponse(
        request,
        "buddypages/duos/admin/matching_pairs.html",
        {
            "programme": programme,
            "pick_form": pick_form,
            "exclusion_form": exclusion_form,
            "picks": SpeedDatePick.objects.filter(
                chooser__in=people, chosen__in=people
            ).select_related("chooser", "chosen"),
            "exclusions": MatchExclusion.objects.filter(
                newcomer__in=people, volunteer__in=people
            ).select_related("newcomer", "volunteer"),
            "page_title": _("Speed date and exclusions"),
            "page_subtitle": programme.title,
            "header_icon": "link",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Duos ----------------------------------------------------------------------------


class EndForm(forms.Form):
    completed = forms.TypedChoiceField(
        label=_("how it ended"),
        choices=[("1", _("Completed")), ("0", _("Stopped early"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason (when stopped early)"), max_length=300, required=False)
    back_to_waiting = forms.MultipleChoiceField(
        label=_("back to the waiting list"),
        choices=[("newcomer", _("the newcomer")), ("volunteer", _("the volunteer"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CoordinatorMeetingForm(forms.Form):
    date = forms.DateField(label=_("date"), initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("duration in minutes"), min_value=15, max_value=720)
    activity = forms.CharField(label=_("what they did"), max_length=300, required=False)


class DuoInspectView(InspectView):
    template_name = "buddypages/duos/admin/duo_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Duo.objects.select_related("newcomer", "volunteer", "programme"), pk=self.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        duo = self.object
        context.update(
            meetings=duo.meetings.all(),
            end_form=EndForm(),
            meeting_form=CoordinatorMeetingForm(),
            can_manage=self.request.user.has_perm(MANAGE),
            running=duo.status in (Duo.Status.ACTIVE, Duo.Status.PAUSED),
            goal=PROOF_HOURS,
        )
        for section in (plans, vouchers, referrals, closing):
            context.update(section.duo_admin_context(self.request, duo))
        return context


def duo_action(request, pk: int):
    """Every change to a duo from its page: one POST endpoint, one service call each."""
    _require(request, MANAGE)
    if request.method != "POST":
        return redirect("duos:inspect", pk)
    duo = get_object_or_404(
        seal(Duo.objects.select_related("newcomer", "volunteer"), request.user), pk=pk
    )
    action = request.POST.get("action")
    try:
        if action == "end":
            form = EndForm(request.POST)
            if not form.is_valid():
                raise services.DuoError(_("Choose how the duo ended."))
            services.duo_end(duo=duo, user=request.user, **form.cleaned_data)
        elif action in ("pause", "resume"):
            services.duo_pause(duo=duo, user=request.user, paused=action == "pause")
        elif action == "feedback":
            services.duo_feedback_done(duo=duo, user=request.user)
        elif action == "meeting":
            form = CoordinatorMeetingForm(request.POST)
            if not form.is_valid():
                raise services.DuoError(_("Check the date and the duration."))
            services.meeting_log(
                duo=duo,
                by=Meeting.By.COORDINATOR,
                on=form.cleaned_data["date"],
                minutes=form.cleaned_data["minutes"],
                activity=form.cleaned_data["activity"],
            )
        elif action == "confirm":
            meeting = get_object_or_404(duo.meetings, pk=as_id(request.POST.get("meeting")))
            services.meeting_confirm(meeting=meeting, by=Meeting.By.COORDINATOR)
        elif action == "send_links":
            services.duo_links_send(duo=duo, user=request.user)
        elif action in ("revoke_newcomer", "revoke_volunteer"):
            services.duo_link_revoke(duo=duo, role=action.split("_")[1], user=request.user)
        else:
            raise services.DuoError(_("Unknown action."))
        messages.success(request, _("Saved."))
    except services.DuoError as error:
        messages.error(request, error.message)
    return redirect("duos:inspect", pk)


def duo_proof(request, pk: int):
    """A printable proof of participation, in Dutch, once 40 hours are confirmed."""
    _require(request, VIEW)
    duo = get_object_or_404(
        seal(Duo.objects.select_related("newcomer", "volunteer", "programme"), request.user),
        pk=pk,
    )
    if not duo.has_proof():
        raise PermissionDenied
    services.duo_audit(request.user, f"duo {duo.pk} proof printed", participant=duo.newcomer)
    with translation.override(settings.LANGUAGE_CODE):
        response = TemplateResponse(
            request,
            "buddypages/duos/proof.html",
            {
                "duo": duo,
                "hours": duo.confirmed_hours(),
                "meetings": duo.meetings.confirmed().order_by("date"),
                "goal": PROOF_HOURS,
                "today": timezone.localdate(),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
        response.render()
    return response


class DuoViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    sealed_via = "site"
    model = Duo
    icon = "group"
    menu_label = _("Duos")
    menu_order = 205
    add_to_admin_menu = True
    inspect_view_class = DuoInspectView
    inspect_view_enabled = True
    # Internal identifiers; the programme and both members are shown.
    inspect_view_fields_exclude = [
        "programme_key",
        "newcomer_link_version",
        "volunteer_link_version",
        "closing_sent_at",  # the closing section says when, in words
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["introduction", "start_date", "planned_end", "feedback_due"]
    list_display = [
        "__str__",
        Column("status", label=_("status"), accessor="get_status_display"),
        CalendarDateColumn("start_date", label=_("start")),
        CalendarDateColumn("planned_end", label=_("planned end")),
        CalendarDateColumn("feedback_due", label=_("midway feedback")),
        Column("hours", label=_("confirmed hours"), accessor="confirmed_hours"),
    ]
    list_filter = ["status"]
    search_fields = ["newcomer__first_name", "volunteer__first_name"]
    search_backend_name = None

    def get_queryset(self, request):
        return Duo.objects.select_related("newcomer", "volunteer").with_hours()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("action/<int:pk>/", duo_action, name="action"),
            path("proof/<int:pk>/", duo_proof, name="proof"),
        ]


# --- Dashboard --------------------------------------------------------------------------


class DuoDashboardPanel(Component):
    """Supply against demand, duos, hours and feedback moments due, for coordinators."""

    name = "duo_dashboard"
    order = 50
    template_name = "buddypages/duos/admin/dashboard_panel.html"

    def __init__(self, user=None):
        self.user = user

    def get_context_data(self, parent_context=None):
        user = viewer(self.user, parent_context)
        waiting = seal(Participant.objects.awaiting_match(), user)
        by_role = dict(waiting.values_list("role").annotate(n=Count("pk")).values_list("role", "n"))
        languages = {}
        # Count language rows, not participants: excluding everyone who speaks Dutch
        # would drop every volunteer (they all do) and show no supply at all.
        for code, role, count in (
            ParticipantLanguage.objects.filter(participant__in=waiting)
            .exclude(code=settings.LANGUAGE_CODE)
            .values_list("code", "participant__role")
            .annotate(n=Count("participant", distinct=True))
            .order_by()
        ):
            languages.setdefault(code, {"newcomer": 0, "volunteer": 0})[role] = count
        places = {}
        for place, role, count in (
            waiting.exclude(neighbourhood="")
            .values_list("neighbourhood", "role")
            .annotate(n=Count("pk"))
        ):
            places.setdefault(place, {"newcomer": 0, "volunteer": 0})[role] = count
        today = timezone.localdate()
        hours = (
            seal(Meeting.objects.confirmed(), user, via="duo__site")
            .filter(date__year=today.year, date__month=today.month)
            .aggregate(total=Sum("minutes"))["total"]
            or 0
        )
        return {
            "newcomers_waiting": by_role.get(Role.NEWCOMER, 0),
            "volunteers_waiting": by_role.get(Role.VOLUNTEER, 0),
            "languages": _bars(languages, SPOKEN_LANGUAGE_NAMES),
            "places": _bars(places, {}),
            "active_duos": seal(Duo.objects.running(), user).count(),
            "hours_this_month": round(hours / 60, 1),
            # Due this week or overdue, so the coordinator can plan the conversations.
            "feedback_due": seal(Duo.objects.feedback_due(on=today + timedelta(days=7)), user)
            .select_related("newcomer", "volunteer")
            .order_by("feedback_due")[:20],
        }


def viewer(user, parent_context):
    """Whose figures a dashboard panel shows: ``user`` given, else the request's."""
    if user is not None:
        return user
    request = parent_context.get("request") if parent_context is not None else None
    return getattr(request, "user", None)


def _bars(counts: dict, names: dict, limit: int = 8) -> list[dict]:
    """Rows for the small supply-and-demand chart, the biggest demand first."""
    rows = sorted(counts.items(), key=lambda item: (-item[1]["newcomer"], str(item[0])))[:limit]
    top = max([max(c["newcomer"], c["volunteer"]) for _k, c in rows] or [1]) or 1
    return [
        {
            "key": key,
            "label": str(names.get(key, key)),
            "newcomers": c["newcomer"],
            "volunteers": c["volunteer"],
            "newcomer_width": round(100 * c["newcomer"] / top),
            "volunteer_width": round(100 * c["volunteer"] / top),
        }
        for key, c in rows
    ]
