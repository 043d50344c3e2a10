"""Descriptions of the public forms, so another front end renders them in any language, and
the form token that times them.

Each description is read from the Django form the site's own HTML form uses
(``RegistrationForm``, ``ActivitySignupForm``, ``NewsletterSubscribeForm``), built in the
language of the page (or of ``?locale=``), so a label, a choice or a limit can never differ
between the two. The honeypot (``website``) and the timer (``token``) are not listed as fields:
every form carries both, see ``honeypot`` and ``token_url``.
"""

from datetime import datetime
from typing import Annotated

from django import forms
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import formats, translation
from ninja import Field, Path, Query, Router, Schema
from wagtail.rich_text import expand_db_html

from buddypages.api.v3.schemas import (
    ListQuery,
    Page_,
    PageItem,
    PageSerializer,
    paginate,
    request_locale,
    request_site,
    site_pages,
)
from buddypages.calendar.forms import ActivitySignupForm
from buddypages.calendar.occurrences import TIMEZONE
from buddypages.models import ActivityPage, RegistrationPage
from buddypages.registry.forms import AvailabilityWidget, started_check, started_token

router = Router(tags=["forms"])

MAX_ID = 2**31 - 1
PageId = Annotated[int, Path(ge=1, le=MAX_ID)]

API_NAMESPACE = "wagtailapi_v3"
HONEYPOT = "website"
NOT_FIELDS = ("website", "started")
CONSENT_FIELDS = ("consent_programme", "consent_newsletter")


class ChoiceOut(Schema):
    value: str | int = Field(description="What to send.")
    label: str = Field(description="What to show, in the form's language.")


class FieldOut(Schema):
    name: str = Field(description="The name of the field in the body to send.")
    type: str = Field(
        description=(
            "How to show it: text, email, tel, textarea, select, radio, "
            "multiple_choice (checkboxes; send a list) or boolean (one checkbox)."
        ),
        examples=["text"],
    )
    required: bool
    label: str
    help_text: str
    choices: list[ChoiceOut] | None = Field(description="For select, radio and multiple_choice.")
    max_length: int | None
    initial: str | int | bool | None = Field(description="The value to start with.")
    autocomplete: str | None = Field(description="The HTML autocomplete token, if any.")
    consent: bool = Field(description="A consent: show its label in full, never pre-ticked.")


class FormParts(Schema):
    kind: str = Field(examples=["registration"], description="registration, activity or newsletter")
    action: str = Field(description="Where to POST the answers (JSON), absolute.")
    method: str = Field(examples=["POST"])
    token_url: str = Field(description="GET it when the form is shown; send `token` back.")
    honeypot: str = Field(
        examples=[HONEYPOT],
        description="A field to add hidden (not shown to people, not announced) and send empty.",
    )
    fields: list[FieldOut]


class RegistrationFormOut(PageItem, FormParts):
    role: str = Field(examples=["newcomer"], description="newcomer or volunteer")
    intro: str = Field(description="HTML above the form.")
    privacy_summary: str = Field(description="HTML to show above the consents: what we keep, why.")
    privacy_url: str | None = Field(description="The full privacy notice, absolute.")
    privacy_version: str
    thank_you: str = Field(description="HTML to show after sending.")


class RegistrationFormList(Page_):
    items: list[RegistrationFormOut]


class ActivityFormOut(PageItem, FormParts):
    capacity: int


class TokenOut(Schema):
    token: str = Field(description="Send it back as `token` with the form's answers.")
    min_seconds: int = Field(description="A form sent back sooner than this is refused.")
    max_age_seconds: int = Field(description="A token older than this is refused.")


# --- The description, read from a Django form ---------------------------------------------


def _type(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.MultipleChoiceField):
        return "multiple_choice"
    if isinstance(field, forms.ChoiceField):
        return "radio" if isinstance(widget, forms.RadioSelect) else "select"
    if isinstance(field, forms.EmailField):
        return "email"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if widget.attrs.get("inputmode") == "tel":
        return "tel"
    return "text"


def _label(label) -> str:
    if isinstance(label, datetime):
        return formats.date_format(label.astimezone(TIMEZONE), "l j F Y, H:i")
    return str(label)


def _choices(name: str, field: forms.Field) -> list[dict] | None:
    if not isinstance(field, forms.ChoiceField):
        return None
    if isinstance(field.widget, AvailabilityWidget):
        # The week table: its cells carry the labels ("Monday morning"), the choices only keys.
        rows = field.widget.get_context(name, [], {})["rows"]
        return [
            {"value": cell["value"], "label": cell["label"]}
            for row in rows
            for cell in row["cells"]
        ]
    return [{"value": value, "label": _label(label)} for value, label in field.choices]


def describe_fields(form: forms.Form) -> list[dict]:
    """The visible fields of ``form``, in order, in the active language."""
    described = []
    for name, field in form.fields.items():
        if name in NOT_FIELDS:
            continue
        initial = form.get_initial_for_field(field, name)
        described.append(
            {
                "name": name,
                "type": _type(field),
                "required": field.required,
                "label": str(field.label or ""),
                "help_text": str(field.help_text or ""),
                "choices": _choices(name, field),
                "max_length": getattr(field, "max_length", None),
                "initial": initial if isinstance(initial, str | int | bool) else None,
                "autocomplete": field.widget.attrs.get("autocomplete"),
                "consent": name in CONSENT_FIELDS,
            }
        )
    return described


def form_parts(request, *, kind: str, action: str, form: forms.Form) -> dict:
    """The parts every form description has; ``action`` names the operation to POST to."""
    return {
        "kind": kind,
        "action": request.build_absolute_uri(reverse(f"{API_NAMESPACE}:{action}")),
        "method": "POST",
        "token_url": request.build_absolute_uri(reverse(f"{API_NAMESPACE}:get_form_token")),
        "honeypot": HONEYPOT,
        "fields": describe_fields(form),
    }


# --- Registration forms -----------------------------------------------------------------


class FormsQuery(ListQuery):
    locale: str | None = Field(None, max_length=20, examples=["ti"])
    site: str | None = Field(
        None, max_length=255, description="A site's host name; default: this address's site."
    )


class FormSiteQuery(Schema):
    site: str | None = Field(
        None, max_length=255, description="A site's host name; default: this address's site."
    )


def _registration_pages(site, locale=None):
    pages = site_pages(RegistrationPage.objects.all(), site).select_related("locale")
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages.order_by("locale__language_code", "path")


class RegistrationFormSerializer(PageSerializer):
    def form(self, page: RegistrationPage) -> dict:
        with translation.override(page.locale.language_code):
            privacy = page.privacy_page.specific if page.privacy_page_id else None
            return {
                **self.item(page),
                **form_parts(
                    self.request,
                    kind="registration",
                    action="create_signup",
                    form=page.registration_form(),
                ),
                "role": page.role,
                "intro": expand_db_html(page.intro),
                "privacy_summary": expand_db_html(page.privacy_summary),
                "privacy_url": privacy.get_full_url(self.request) if privacy else None,
                "privacy_version": page.privacy_version,
                "thank_you": expand_db_html(page.thank_you),
            }


@router.get(
    "/forms/token/",
    response=TokenOut,
    operation_id="get_form_token",
    url_name="get_form_token",
    summary="A form token",
)
def get_form_token(request, response: HttpResponse):
    """A signed token of when the form was shown. Fetch one when you show a form and send it
    back as `token`: a form sent back within seconds (a robot) or after a day is refused.
    Never cached."""
    from buddypages.registry.conf import registry_setting

    response["Cache-Control"] = "no-store"
    return {
        "token": started_token(),
        "min_seconds": registry_setting("MIN_FILL_SECONDS"),
        "max_age_seconds": 24 * 3600,
    }


@router.get(
    "/forms/",
    response=RegistrationFormList,
    operation_id="list_forms",
    url_name="list_forms",
    summary="Sign-up forms",
)
def list_forms(request, query: Query[FormsQuery]):
    """The sign-up forms (newcomers, volunteers) of the site's programmes, each in its own
    language, with every field, label, help text and choice to render it. Send the answers to
    `POST /api/v3/signups/`. The activity and newsletter forms: `GET
    /api/v3/forms/activities/{id}/` and `GET /api/v3/newsletter/form/`."""
    site = request_site(request, query.site)
    pages = _registration_pages(site, request_locale(query.locale))

    def serialize(batch):
        serializer = RegistrationFormSerializer(request, site, batch)
        return [serializer.form(page) for page in batch]

    return paginate(request, pages.select_related("privacy_page"), query, serialize)


@router.get(
    "/forms/{int:id}/",
    response=RegistrationFormOut,
    operation_id="get_form",
    url_name="get_form",
    summary="One sign-up form",
)
def get_form(request, id: PageId, query: Query[FormSiteQuery]):
    """One sign-up form (a registration page's id), in its page's language."""
    site = request_site(request, query.site)
    page = _registration_pages(site).filter(pk=id).first()
    if page is None:
        raise Http404
    return RegistrationFormSerializer(request, site, [page]).form(page)


# --- Activity sign-up forms -----------------------------------------------------------------


def signup_activities(site):
    """Activities of the site that take sign-ups (they have a capacity)."""
    return site_pages(ActivityPage.objects.all(), site).filter(capacity__isnull=False)


class TimedActivitySignupForm(ActivitySignupForm):
    """The activity page's form with the form timer every public write carries."""

    started = forms.CharField(widget=forms.HiddenInput)

    def clean_started(self):
        return started_check(self.cleaned_data["started"])


def activity_form(activity: ActivityPage, data=None) -> TimedActivitySignupForm:
    """The form of the activity's page, with the dates its HTML form offers."""
    return TimedActivitySignupForm(data, occurrences=activity.upcoming_occurrences(limit=60))


@router.get(
    "/forms/activities/{int:id}/",
    response=ActivityFormOut,
    operation_id="get_activity_signup_form",
    url_name="get_activity_signup_form",
    summary="An activity's sign-up form",
)
def get_activity_signup_form(request, id: PageId, query: Query[FormSiteQuery]):
    """The sign-up form of an activity with a limited number of places (an activity's page
    id), in the page's language: its dates to choose from and the places one may take. Send
    the answers to `POST /api/v3/activity-signups/`. Activities without a capacity need no
    sign-up (404 here)."""
    site = request_site(request, query.site)
    activity = signup_activities(site).select_related("locale").filter(pk=id).first()
    if activity is None:
        raise Http404
    with translation.override(activity.locale.language_code):
        return {
            **PageSerializer(request, site, [activity]).item(activity),
            **form_parts(
                request,
                kind="activity",
                action="create_activity_signup",
                form=activity_form(activity),
            ),
            "capacity": activity.capacity,
        }
