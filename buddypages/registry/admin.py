"""The registry in the Wagtail admin: coordinators only, every access logged."""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.pages.access import ALL, SealedViewSetMixin, require_site
from buddypages.pages.models import ProgrammePage
from buddypages.pages.municipality import visible_programme_keys
from buddypages.pages.snippets import Interest
from buddypages.registry import data_protection, services, training, volunteer_services
from buddypages.registry.choices import (
    AVAILABILITY_SLOTS,
    SPOKEN_LANGUAGES,
    Status,
    availability_mask,
    availability_slots,
)
from buddypages.registry.models import Participant, RegistryAuditEvent

EXPORT_PERMISSION = "buddypages.export_participant"
# The Wagtail hook through which matching (buddypages.duos) suggests buddies on a
# participant's page: see ParticipantInspectView.suggestions.
SUGGESTIONS_HOOK = "buddypages_participant_suggestions"


def programme_choices(user):
    """The programmes a coordinator may choose from: those of the sites they may see (each
    programme's site read as on every screen: ``visible_programme_keys``)."""
    programmes = ProgrammePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    keys = visible_programme_keys(user)
    return programmes if keys is ALL else programmes.filter(translation_key__in=keys)


class ParticipantFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=Participant._meta.get_field("role").choices
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("programme"), queryset=lambda request: programme_choices(request.user)
    )
    language = django_filters.ChoiceFilter(
        label=_("speaks"),
        choices=SPOKEN_LANGUAGES,
        field_name="spoken_languages__code",
        distinct=True,
    )
    neighbourhood = django_filters.CharFilter(label=_("neighbourhood"), lookup_expr="icontains")
    waiting_since = django_filters.DateFromToRangeFilter(
        label=_("waiting since"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Participant
        fields = []


class AuditedExportMixin:
    """For index views of personal data: CSV/XLSX only with the export permission, and every
    export in the registry audit log with its filters. ``export_label`` names the list."""

    export_label = ""

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self):
        return bool(self.list_export) and self.request.user.has_perm(EXPORT_PERMISSION)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        filters = self.request.GET.copy()
        filters.pop("export", None)
        via = getattr(self, "sealed_via", "site")
        rows = queryset.order_by().values_list(via).annotate(count=Count("pk"))
        services.participants_exported(
            user=self.request.user,
            counts=dict(rows),
            file_format=spreadsheet_format,
            filters=" ".join(part for part in (self.export_label, filters.urlencode()) if part),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class ParticipantIndexView(AuditedExportMixin, IndexView):
    pass


class ParticipantInspectView(InspectView):
    template_name = "buddypages/registry/admin/inspect.html"

    def get(self, request, *args, **kwargs):
        services.participant_viewed(participant=self.object, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(
            Participant.objects.select_related("programme").prefetch_related(
                "spoken_languages", "interests"
            ),
            pk=self.pk,
        )

    # A newsletter-only reader has no sign-up answers: show what there is.
    READER_FIELDS = [
        "programme",
        "role",
        "first_name",
        "last_name",
        "email",
        "preferred_language",
        "newsletter_status",
        "created_at",
        "last_signup_at",
        "updated_at",
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_reader:
            self.fields = [name for name in self.READER_FIELDS if name not in self.fields_exclude]
            if self.object.anonymised_at:
                self.fields.append("anonymised_at")

    def get_spoken_languages_display_value(self):
        return self.object.spoken_languages_display() or "-"

    def get_availability_display_value(self):
        return self.object.availability_display() or "-"

    def get_interests_display_value(self):
        return ", ".join(interest.name for interest in self.object.interests.all()) or "-"

    def get_form_language_display_value(self):
        code = self.object.form_language
        return str(dict(settings.LANGUAGES).get(code, code)) or "-"

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        pk = self.object.pk
        in_pipeline = not self.object.anonymised_at and not self.object.is_reader
        if self.user_has_permission("change") and in_pipeline:
            buttons.append(
                Button(
                    _("Record the intake"),
                    url=reverse("participants:intake", args=[pk]),
                    icon_name="clipboard-list",
                    priority=15,
                )
            )
        if self.request.user.has_perm(EXPORT_PERMISSION):
            buttons.append(
                Button(
                    _("Download all data (JSON)"),
                    url=reverse("participants:export_person", args=[pk]),
                    icon_name="download",
                    priority=30,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.object
        context["status_changes"] = participant.status_changes.select_related("changed_by")
        context["intakes"] = participant.intakes.select_related("recorded_by")
        context["consents"] = participant.consents.all()
        context["audit_events"] = RegistryAuditEvent.objects.filter(participant_ref=participant.pk)[
            :50
        ]
        context["suggestions"] = self.suggestions(participant)
        for section in (volunteer_services, training):
            context.update(section.participant_admin_context(self.request, participant))
        return context

    def suggestions(self, participant):
        """The best buddies for someone waiting, with their reasons.

        Matching lives above the registry: it registers a function with the
        ``SUGGESTIONS_HOOK`` Wagtail hook that takes the participant and returns
        ``[{"person", "score", "reasons"}, ...]``. Without one, there are no suggestions.
        """
        if participant.anonymised_at or participant.status not in (
            Status.WAITING,
            Status.MATCHED,
            Status.ACTIVE,
        ):
            return []
        for suggest in hooks.get_hooks(SUGGESTIONS_HOOK):
            return suggest(participant)
        return []


class ParticipantForm(WagtailAdminModelForm):
    """The coordinator's edit form: the sign-up answers plus a status move."""

    spoken = forms.MultipleChoiceField(
        label=_("languages"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_moments = forms.MultipleChoiceField(
        label=_("free moments"),
        choices=[(slot, slot.replace("_", " ")) for slot in AVAILABILITY_SLOTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    status_note = forms.CharField(
        label=_("note with the status change"), max_length=200, required=False
    )

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "preferred_language",
            "dutch_level",
            "postcode",
            "neighbourhood",
            "age_band",
            "household",
            "gender",
            "buddy_gender",
            "interests",
            "hopes",
            "experience",
            "max_duos",
        ]
        widgets = {"interests": forms.CheckboxSelectMultiple}

    # What a newsletter-only reader has: an address and a language (a name if they gave one).
    READER_FIELDS = ("first_name", "last_name", "email", "preferred_language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = Interest.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        )
        if self.instance.pk and self.instance.is_reader:
            for name in list(self.fields):
                if name not in self.READER_FIELDS:
                    del self.fields[name]
            self.fields["first_name"].required = self.fields["last_name"].required = False
        elif self.instance.pk:
            self.fields["spoken"].initial = self.instance.spoken_language_codes()
            self.fields["free_moments"].initial = availability_slots(self.instance.availability)
            self.fields["new_status"].initial = self.instance.status


class ParticipantEditView(EditView):
    def get_object(self, queryset=None):
        participant = super().get_object(queryset)
        if participant.anonymised_at:
            raise PermissionDenied
        return participant

    def save_instance(self):
        form = self.form
        participant = form.save(commit=False)
        if participant.is_reader:  # no pipeline, no answers: the reader's form has none
            return services.participant_update(
                participant=participant,
                user=self.request.user,
                changed_fields=list(form.changed_data),
            )
        participant.availability = availability_mask(form.cleaned_data["free_moments"])
        return services.participant_update(
            participant=participant,
            user=self.request.user,
            changed_fields=list(form.changed_data),
            status=form.cleaned_data["new_status"],
            note=form.cleaned_data["status_note"],
            languages=form.cleaned_data["spoken"],
            interests=form.cleaned_data["interests"],
        )


class ParticipantEraseView(DeleteView):
    """Erasure: removes the person and everything linked to them, and logs it."""

    page_title = _("Erase")

    @property
    def confirmation_message(self):
        return _(
            "Erase everything about this person: the record, intakes, consents, history "
            "and their activity sign-ups? This cannot be undone. Download their data "
            "first if they asked for it."
        )

    def get_success_message(self):
        return _("Participant %(number)s is erased.") % {"number": self.kwargs["pk"]}

    def delete_action(self):
        data_protection.participant_erase(participant=self.object, user=self.request.user)


class IntakeForm(forms.Form):
    held_on = forms.DateField(label=_("date of the conversation"), initial=timezone.localdate)
    notes = forms.CharField(
        label=_("notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only what you need to find a good buddy. No health or religion."),
    )
    expectations_confirmed = forms.BooleanField(
        label=_("expectations discussed and clear"), required=False
    )
    commitment_confirmed = forms.BooleanField(
        label=_("commitment confirmed (about six months, twice a month)"), required=False
    )
    next_status = forms.ChoiceField(
        label=_("next step"),
        choices=[
            (Status.WAITING, Status.WAITING.label),
            (Status.INTAKE_DONE, Status.INTAKE_DONE.label),
            (Status.STOPPED, Status.STOPPED.label),
        ],
        initial=Status.WAITING,
    )


def intake_view(request, pk):
    """Record the intake conversation and correct the answers in one go."""
    if not request.user.has_perm("buddypages.change_participant"):
        raise PermissionDenied
    participant = get_object_or_404(Participant.objects.not_anonymised().in_pipeline(), pk=pk)
    require_site(request.user, participant)
    intake_form = IntakeForm(request.POST or None, prefix="intake")
    answers = ParticipantForm(request.POST or None, instance=participant, prefix="answers")
    # The intake sets the status itself (its "next step").
    del answers.fields["new_status"], answers.fields["status_note"]
    if request.method == "POST" and intake_form.is_valid() and answers.is_valid():
        corrected = answers.save(commit=False)
        corrected.availability = availability_mask(answers.cleaned_data["free_moments"])
        services.intake_record(
            participant=corrected,
            user=request.user,
            corrected_fields=answers.changed_data,
            languages=answers.cleaned_data["spoken"],
            interests=answers.cleaned_data["interests"],
            **intake_form.cleaned_data,
        )
        messages.success(request, _("The intake is saved."))
        return redirect("participants:inspect", pk)
    return TemplateResponse(
        request,
        "buddypages/registry/admin/intake.html",
        {
            "participant": participant,
            "intake_form": intake_form,
            "answers": answers,
            "page_title": _("Intake"),
            "header_icon": "clipboard-list",
        },
        status=400 if request.method == "POST" else 200,
    )


def export_person_view(request, pk):
    """All data held about one person, as a JSON download (subject access request)."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    participant = require_site(request.user, get_object_or_404(Participant, pk=pk))
    data = data_protection.participant_export(participant=participant, user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="participant-{pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


class ParticipantViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """The participant registry. Personal data: coordinators only (model permissions)."""

    sealed_via = "site"
    model = Participant
    icon = "user"
    menu_label = _("Participants")
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = ParticipantIndexView
    inspect_view_class = ParticipantInspectView
    edit_view_class = ParticipantEditView
    delete_view_class = ParticipantEraseView
    filterset_class = ParticipantFilterSet
    inspect_view_enabled = True
    # The programme's translation key is an internal identifier; the programme is shown.
    inspect_view_fields_exclude = ["programme_key"]
    copy_view_enabled = False
    add_to_reference_index = False
    search_fields = ["first_name", "last_name", "email", "phone", "postcode", "neighbourhood"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "__str__",
        "role",
        Column("status", label=_("status"), accessor="get_status_display"),
        "programme",
        Column("languages", label=_("languages"), accessor="spoken_languages_display"),
        "neighbourhood",
        DateColumn("waiting_since", label=_("waiting since")),
        "signup_count",
        DateColumn("created_at", label=_("signed up at")),
    ]
    ordering = ["-created_at"]
    list_export = [
        "pk",
        "get_role_display",
        "get_status_display",
        "first_name",
        "last_name",
        "email",
        "phone",
        "preferred_language",
        "spoken_languages_display",
        "get_dutch_level_display",
        "postcode",
        "neighbourhood",
        "get_age_band_display",
        "get_household_display",
        "get_gender_display",
        "get_buddy_gender_display",
        "availability_display",
        "max_duos",
        "get_newsletter_status_display",
        "waiting_since",
        "signup_count",
        "created_at",
    ]
    export_headings = {
        "pk": _("number"),
        "get_role_display": _("role"),
        "get_status_display": _("status"),
        "get_dutch_level_display": _("Dutch level"),
        "get_age_band_display": _("age"),
        "get_household_display": _("household"),
        "get_gender_display": _("gender"),
        "get_buddy_gender_display": _("buddy's gender wished"),
        "get_newsletter_status_display": _("newsletter"),
        "spoken_languages_display": _("languages"),
        "availability_display": _("free moments"),
    }
    export_filename = "participants"

    def get_form_class(self, for_update=False):
        return ParticipantForm

    def get_queryset(self, request):
        return Participant.objects.for_listing()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("intake/<int:pk>/", intake_view, name="intake"),
            path("export/<int:pk>/", export_person_view, name="export_person"),
        ]


class AuditEventViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """The registry's audit log, read-only, for whoever holds its view permission
    (the data protection officer or a superuser)."""

    sealed_via = "site"
    model = RegistryAuditEvent
    icon = "history"
    menu_label = _("Registry audit log")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["at", "action", "username", "participant_ref", "count", "detail"]
    list_filter = ["action"]
    form_fields = []
    search_fields = ["username", "detail"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 100
