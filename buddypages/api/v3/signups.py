"""Public writes: a sign-up for a programme, an activity sign-up and its cancellation.

Each parses its body (types, sizes, no extra fields), validates it with the site's own Django
form (the same messages, in the language asked for), and calls the same service as the HTML
form: consent rows (here recording the API and the sending website's origin), emails in the
person's language, duplicate merging, honeypot, minimum fill time, rate limit, capacity.
Answers carry no personal data; on any error nothing is written.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints
from wagtail.rich_text import expand_db_html

from buddypages.api.v3 import writes
from buddypages.api.v3.errors import APIInputError, problem
from buddypages.api.v3.forms import activity_form, signup_activities
from buddypages.api.v3.schemas import request_site, site_pages
from buddypages.calendar.occurrences import TIMEZONE
from buddypages.calendar.services import SignupError, activity_signup_cancel, activity_signup_create
from buddypages.models import ActivitySignup, RegistrationPage
from buddypages.registry.models import Consent
from buddypages.registry.services import (
    RegistrationError,
    client_rate_limited,
    participant_register,
)

router = Router(tags=["sign-ups"])

Code = Annotated[str, StringConstraints(max_length=40)]
Text = Annotated[str, Field(max_length=writes.LONG_TEXT)]
Short = Annotated[str, Field(max_length=writes.SHORT_TEXT)]
MAX_ID = 2**31 - 1


class SignupIn(writes.FormTokenIn):
    """The answers of a sign-up form (see `GET /api/v3/forms/{id}/` for its fields, labels and
    choices in every language)."""

    page: int = Field(ge=1, le=MAX_ID, description="The sign-up form's id (`GET /api/v3/forms/`).")
    first_name: Short
    last_name: Short
    email: Short
    phone: Short = ""
    languages: list[Code] = Field(max_length=60)
    preferred_language: Code
    dutch_level: Code | None = Field(None, description="Newcomers only (and required for them).")
    postcode: Short
    neighbourhood: Short = ""
    age_band: Code
    household: Code
    gender: Code = ""
    buddy_gender: Code = ""
    interests: list[Code] = Field([], max_length=100)
    availability: list[Code] = Field(max_length=21)
    hopes: Text = ""
    experience: Text | None = Field(None, description="Volunteers only.")
    max_duos: int | None = Field(None, ge=0, le=100, description="Volunteers only (required).")
    consent_programme: bool = Field(description="Must be true: the consent to the programme.")
    consent_newsletter: bool = False


class SignupOut(writes.Received):
    thank_you: str = Field(description="The form page's own thank-you text (HTML).")


@router.post(
    "/signups/",
    response={201: SignupOut},
    operation_id="create_signup",
    url_name="create_signup",
    summary="Sign up for a programme",
)
def create_signup(request, body: SignupIn):
    """A newcomer's or a volunteer's sign-up, as the site's own form takes it: the record
    goes to the registry with its consent, and a confirmation email goes out in the language
    the person chose. Sending it again with the same address updates the same record."""
    if refused := writes.refused_origin(request):
        return refused
    site = request_site(request)
    page = site_pages(RegistrationPage.objects.all(), site).filter(pk=body.page).first()
    if page is None:
        raise APIInputError(["body", "page"], _("There is no sign-up form with this number here."))
    data = writes.form_data(body, exclude={"page"})
    form = page.registration_form(data)
    if extra := set(data) - set(form.fields):
        return writes.unexpected_fields(extra)
    if not form.is_valid():
        return writes.form_errors(form)
    try:
        participant_register(
            page=page,
            data=form.cleaned_data,
            language=page.locale.language_code,
            client=writes.client(request),
            method=Consent.Method.API,
            origin=writes.origin_of(request),
        )
    except RegistrationError as error:
        return writes.refused(error)
    return Status(
        201,
        {
            "status": "received",
            "message": _("Thank you. We received your sign-up and sent you an email."),
            "thank_you": expand_db_html(page.thank_you),
        },
    )


class ActivitySignupIn(writes.FormTokenIn):
    """An activity sign-up (see `GET /api/v3/forms/activities/{id}/` for its dates)."""

    activity: int = Field(ge=1, le=MAX_ID, description="The activity's page id.")
    occurrence: str = Field(
        max_length=64,
        examples=["2027-03-06T14:00:00+01:00"],
        description="The start of the chosen date: a value the form offers.",
    )
    name: Short
    email: Short
    places: int = Field(1, ge=0, le=100, description="1, or 2 for you and your buddy.")


def _as_offered(value: str) -> str:
    """The same moment in the calendar's time zone, as the form writes its dates."""
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return value
        return moment.astimezone(TIMEZONE).isoformat()
    except (ValueError, OverflowError):
        return value  # the form says what is wrong with it


class ActivitySignupOut(writes.Received):
    status: str = Field(
        examples=["confirmed"], description="confirmed, or waiting (on the waiting list)."
    )


@router.post(
    "/activity-signups/",
    response={201: ActivitySignupOut},
    operation_id="create_activity_signup",
    url_name="create_activity_signup",
    summary="Sign up for an activity",
)
def create_activity_signup(request, body: ActivitySignupIn):
    """One or two places at one date of an activity. When it is full, the person goes on the
    waiting list (`status: waiting`) and gets an email when a place comes free. The email
    carries the link to cancel."""
    if refused := writes.refused_origin(request):
        return refused
    site = request_site(request)
    activity = signup_activities(site).filter(pk=body.activity).first()
    if activity is None:
        raise APIInputError(
            ["body", "activity"], _("There is no activity with this number that takes sign-ups.")
        )
    data = writes.form_data(body, exclude={"activity"})
    data["occurrence"] = _as_offered(body.occurrence)
    form = activity_form(activity, data)
    if not form.is_valid():
        return writes.form_errors(form)
    if client_rate_limited(writes.client(request)):
        return writes.too_many(
            _("We received many sign-ups from your connection. Please try again in an hour.")
        )
    try:
        signup = activity_signup_create(
            activity=activity,
            occurrence_start=form.cleaned_data["occurrence"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            places=form.cleaned_data["places"],
            language=activity.locale.language_code,
        )
    except SignupError as error:
        return problem(409, error.message)
    if signup.status == ActivitySignup.WAITING:
        message = _("The activity is full: you are on the waiting list. We sent you an email.")
    else:
        message = _("You are signed up. We sent you an email with the details.")
    return Status(201, {"status": signup.status, "message": message})


class CancelIn(writes.WriteIn):
    token: UUID = Field(description="The token of the cancel link in the sign-up's email.")


class CancelOut(Schema):
    status: str = Field(examples=["cancelled"])
    message: str


@router.post(
    "/activity-signups/cancel/",
    response={200: CancelOut},
    operation_id="cancel_activity_signup",
    url_name="cancel_activity_signup",
    summary="Cancel an activity sign-up",
)
def cancel_activity_signup(request, body: CancelIn):
    """Cancel with the token of the link in the email; the first person on the waiting list
    gets the place."""
    if refused := writes.refused_origin(request):
        return refused
    try:
        activity_signup_cancel(token=body.token)
    except SignupError as error:
        return problem(409, error.message)
    return Status(
        200, {"status": "cancelled", "message": _("Your sign-up is cancelled. Thank you.")}
    )
