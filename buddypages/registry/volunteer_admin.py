"""The volunteers' information note and insurance in the Wagtail admin.

Policies and insurance periods: coordinators only (model permissions). The note is a
translatable snippet that coordinators and editors may edit (no personal data in it).
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from buddypages.core.numbers import as_id
from buddypages.core.permissions import require as _require
from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.pages.access import (
    ALL,
    SealedViewMixin,
    SealedViewSetMixin,
    require_site,
)
from buddypages.pages.models import ProgrammePage
from buddypages.pages.municipality import visible_programme_keys
from buddypages.registry import volunteer_services as services
from buddypages.registry.admin import EXPORT_PERMISSION, AuditedExportMixin, programme_choices
from buddypages.registry.choices import Role
from buddypages.registry.models import Participant
from buddypages.registry.volunteering import InformationNote, InsuranceCover, InsurancePolicy

VIEW = "buddypages.view_insurancecover"
CHANGE_PARTICIPANT = "buddypages.change_participant"


def _programmes():
    """Every programme (the note is content, no personal data: any editor may attach it)."""
    return ProgrammePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)


def of_visible_programmes(queryset, user):
    """``queryset`` (policies, notes: rows with a ``programme_key``) narrowed to the
    programmes of the sites ``user`` may see."""
    keys = visible_programme_keys(user)
    return queryset if keys is ALL else queryset.filter(programme_key__in=keys)


def visible_policies(user):
    """The policies of the programmes of the sites ``user`` may see."""
    return of_visible_programmes(InsurancePolicy.objects.all(), user)


# --- Policies and notes (the programme's settings) --------------------------------------


class PolicySealedViewMixin(SealedViewMixin):
    """A policy or a note belongs to its programme's site: only that site's coordinators see,
    change or delete it (another site's answers 404)."""

    def seal_queryset(self, queryset):
        return of_visible_programmes(queryset, self.request.user)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "programme" in form.fields:
            form.fields["programme"].queryset = programme_choices(self.request.user)
        return form


class ProgrammeSealedViewSetMixin(SealedViewSetMixin):
    """Every view of the viewset sealed by :class:`PolicySealedViewMixin`."""

    sealed_view_mixin = PolicySealedViewMixin


class ChooserSealedViewMixin:
    """The snippet chooser (lists, the chosen one) within the user's sites' programmes."""

    def get_object_list(self):
        return of_visible_programmes(super().get_object_list(), self.request.user)

    def get_object(self, pk):
        row = super().get_object(pk)
        if not of_visible_programmes(
            type(row).objects.filter(pk=row.pk), self.request.user
        ).exists():
            raise type(row).DoesNotExist
        return row

    def get_objects(self, pks):
        return of_visible_programmes(super().get_objects(pks), self.request.user)


class NoteChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        sealed_class = type(
            f"Sealed{view_class.__name__}",
            (ChooserSealedViewMixin, view_class),
            {"__module__": view_class.__module__},
        )
        return super().construct_view(sealed_class, **kwargs)


class InsurancePolicyFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("programme"), queryset=lambda request: programme_choices(request.user)
    )

    class Meta:
        model = InsurancePolicy
        fields = []


class InsurancePolicyViewSet(ProgrammeSealedViewSetMixin, ModelViewSet):
    model = InsurancePolicy
    icon = "lock"
    menu_label = _("Volunteer insurance")
    add_to_admin_menu = False
    list_display = ["insurer", "policy_number", "programme", "valid_from", "valid_until"]
    filterset_class = InsurancePolicyFilterSet
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        # Narrowed to the user's sites in the view (PolicySealedViewMixin.get_form).
        form_class.base_fields["programme"].queryset = _programmes()
        form_class.base_fields["programme"].required = True
        return form_class


class InformationNoteViewSet(ProgrammeSealedViewSetMixin, SnippetViewSet):
    chooser_viewset_class = NoteChooserViewSet
    model = InformationNote
    icon = "doc-full"
    menu_label = _("Information notes")
    add_to_admin_menu = False
    list_display = ["title", "version", "programme", "published_at"]
    list_filter = ["programme", "locale"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if "programme" in form_class.base_fields:
            form_class.base_fields["programme"].queryset = _programmes()
            form_class.base_fields["programme"].required = True
        return form_class


# --- Insurance periods: the list for the insurer -----------------------------------------


class InsuranceCoverFilterSet(WagtailFilterSet):
    policy = django_filters.ModelChoiceFilter(
        label=_("policy"), queryset=lambda request: visible_policies(request.user)
    )
    period = django_filters.DateFromToRangeFilter(
        label=_("insured during"),
        widget=DateRangePickerWidget,
        method="filter_period",
    )

    class Meta:
        model = InsuranceCover
        fields = []

    def filter_period(self, queryset, name, value):
        if not value:
            return queryset
        start = value.start.date() if hasattr(value.start, "date") else value.start
        end = value.stop.date() if hasattr(value.stop, "date") else value.stop
        return queryset.overlapping(start or date.min, end or date.max)


class InsuranceCoverIndexView(AuditedExportMixin, IndexView):
    export_label = "insurance periods"


class InsuranceCoverEditView(EditView):
    def save_instance(self):
        cover = self.form.instance
        services.insurance_cover_change(
            cover=cover,
            starts_on=self.form.cleaned_data["starts_on"],
            ends_on=self.form.cleaned_data["ends_on"],
            user=self.request.user,
        )
        return cover


class InsuranceCoverDeleteView(DeleteView):
    def delete_action(self):
        services.insurance_cover_delete(cover=self.object, user=self.request.user)


class InsuranceCoverForm(forms.ModelForm):
    class Meta:
        model = InsuranceCover
        fields = ["starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class InsuranceCoverViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """Who is insured when: personal data, coordinators only; the export goes to the insurer."""

    sealed_via = "participant__site"
    model = InsuranceCover
    icon = "lock"
    menu_label = _("Insured volunteers")
    add_to_admin_menu = False
    index_view_class = InsuranceCoverIndexView
    edit_view_class = InsuranceCoverEditView
    delete_view_class = InsuranceCoverDeleteView
    filterset_class = InsuranceCoverFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_fields = ["participant__first_name", "participant__last_name"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        Column("participant", label=_("volunteer"), accessor="participant"),
        "policy",
        DateColumn("starts_on", label=_("insured from")),
        DateColumn("ends_on", label=_("insured until")),
    ]
    list_export = [
        "participant_id",
        "participant.first_name",
        "participant.last_name",
        "policy.insurer",
        "policy.policy_number",
        "starts_on",
        "ends_on",
    ]
    export_headings = {
        "participant_id": _("number"),
        "participant.first_name": _("first name"),
        "participant.last_name": _("last name"),
        "policy.insurer": _("insurer"),
        "policy.policy_number": _("policy number"),
        "starts_on": _("insured from"),
        "ends_on": _("insured until"),
    }
    export_filename = "insured-volunteers"

    def get_form_class(self, for_update=False):
        return InsuranceCoverForm

    def get_queryset(self, request):
        return InsuranceCover.objects.select_related("participant", "policy").exclude(
            participant__anonymised_at__isnull=False
        )


# --- The overview and the participant page's buttons -------------------------------------


def volunteering_index(request):
    """Per programme: the note in force, the policy, who acknowledged and who is insured;
    the button that sends the link to everyone who has not acknowledged the new version."""
    _require(request, VIEW)
    if request.method == "POST":
        _require(request, CHANGE_PARTICIPANT)
        programme = get_object_or_404(
            programme_choices(request.user), pk=as_id(request.POST.get("programme"))
        )
        sent = services.volunteer_notes_send(
            programme_key=programme.translation_key, user=request.user
        )
        messages.success(request, _("%(count)s volunteers get the link.") % {"count": sent})
        return redirect("volunteering_index")
    rows = [services.programme_overview(programme=p) for p in programme_choices(request.user)]
    return TemplateResponse(
        request,
        "buddypages/registry/admin/volunteering_index.html",
        {
            "rows": rows,
            "can_send": request.user.has_perm(CHANGE_PARTICIPANT),
            "can_export": request.user.has_perm(EXPORT_PERMISSION),
            "page_title": _("Volunteer note and insurance"),
            "header_icon": "lock",
        },
    )


class OpenCoverForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("policy"), queryset=InsurancePolicy.objects.none())
    starts_on = forms.DateField(label=_("insured from"), initial=timezone.localdate)


class CloseCoverForm(forms.Form):
    cover = forms.ModelChoiceField(queryset=InsuranceCover.objects.none())
    ends_on = forms.DateField(label=_("insured until"), initial=timezone.localdate)


def volunteering_action(request, pk: int):
    """The buttons of the participant page's volunteer section (POST only)."""
    _require(request, CHANGE_PARTICIPANT)
    participant = get_object_or_404(
        Participant.objects.not_anonymised(), pk=pk, role=Role.VOLUNTEER
    )
    require_site(request.user, participant)
    back = reverse("participants:inspect", args=[pk])
    if request.method != "POST":
        return redirect(back)
    action = request.POST.get("action")
    try:
        if action == "send_note":
            if services.volunteer_note_send(participant=participant, user=request.user):
                messages.success(request, _("The link to the information note is on its way."))
            else:
                messages.error(
                    request,
                    _("No link sent: there is no note in force or no email address."),
                )
        elif action == "open_cover":
            form = OpenCoverForm(request.POST)
            form.fields["policy"].queryset = InsurancePolicy.objects.filter(
                programme_key=participant.programme_key
            )
            if not form.is_valid():
                raise services.VolunteeringError(_("Choose a policy and a start date."))
            services.insurance_cover_open(
                participant=participant, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The insurance period is open."))
        elif action == "close_cover":
            form = CloseCoverForm(request.POST)
            form.fields["cover"].queryset = participant.insurance_covers.all()
            if not form.is_valid():
                raise services.VolunteeringError(_("Choose an end date."))
            services.insurance_cover_close(
                cover=form.cleaned_data["cover"],
                ends_on=form.cleaned_data["ends_on"],
                user=request.user,
            )
            messages.success(request, _("The insurance period is closed."))
    except services.VolunteeringError as error:
        messages.error(request, error.message)
    return redirect(back)


def urlpatterns() -> list:
    return [
        path("volunteering/", volunteering_index, name="volunteering_index"),
        path("volunteering/<int:pk>/", volunteering_action, name="volunteering_action"),
    ]
