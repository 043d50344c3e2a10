"""What every public write of ``/api/v3/`` shares: the origin check, the form's errors as
problem details, the rate limit's answer, and the shapes of their answers.

A write is parsed by its Ninja schema (types, sizes, no extra fields), validated by the same
Django form as the site's HTML form (its own translated messages), and done by the same
service. Nothing here writes anything.
"""

import re

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from buddypages.api.v3.errors import field_error, invalid, problem
from buddypages.core.clients import client_address
from buddypages.registry.conf import registry_setting
from buddypages.registry.services import client_key

# Texts longer than this are refused before any form sees them; the forms' own limits are
# far lower and answer with their own (translated) messages.
LONG_TEXT = 5000
SHORT_TEXT = 300
TOKEN_LENGTH = 200


class WriteIn(Schema):
    """A write's body: unknown fields are refused (``extra_forbidden``)."""

    model_config = ConfigDict(extra="forbid")


class FormTokenIn(WriteIn):
    token: str = Field(
        max_length=TOKEN_LENGTH,
        description="The token of `GET /api/v3/forms/token/`, fetched when the form was shown.",
    )
    website: str = Field(
        "",
        max_length=SHORT_TEXT,
        description="The honeypot: a field people never see. Leave it empty.",
    )


class Received(Schema):
    status: str = Field(examples=["received"])
    message: str = Field(description="A thank-you text to show, in the language asked for.")


# Names of the body that differ from the HTML form's field names.
BODY_NAMES = {"started": "token"}


def origin_of(request) -> str:
    """The ``Origin`` header as sent (a browser always sends one on a cross-origin write)."""
    return request.headers.get("Origin", "").strip()[:255]


def _allowed(request, origin: str) -> bool:
    if origin == request.build_absolute_uri("/").rstrip("/"):
        return True
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False):
        return True
    if origin in getattr(settings, "CORS_ALLOWED_ORIGINS", ()):
        return True
    return any(
        re.match(pattern, origin)
        for pattern in getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", ())
    )


def refused_origin(request) -> HttpResponse | None:
    """A 403 for a write sent by a web page of an origin the site does not list.

    django-cors-headers keeps a browser from reading the answer of such a write, not from
    sending one that needs no preflight; this keeps it from being done. Clients that are not
    browsers send no ``Origin`` and are judged by the rest of the checks.
    """
    origin = origin_of(request)
    if not origin or _allowed(request, origin):
        return None
    return problem(403, _("This website may not send forms to this site."))


def client(request) -> str:
    return client_key(client_address(request))


def form_errors(form: forms.Form) -> HttpResponse:
    """A 422 with one entry per invalid field, in the form's own (translated) words."""
    entries = []
    for name, errors in form.errors.as_data().items():
        loc = (
            ["body"]
            if name == forms.forms.NON_FIELD_ERRORS
            else ["body", BODY_NAMES.get(name, name)]
        )
        for error in errors:
            for message in error.messages:
                entries.append(field_error(loc, message, error.code or "invalid"))
    return invalid(entries)


def token_error(message) -> dict:
    return field_error(["body", "token"], message)


def unexpected_fields(names) -> HttpResponse:
    return invalid(
        [
            field_error(["body", name], _("This field is not expected here."), "extra_forbidden")
            for name in sorted(names)
        ]
    )


def too_many(message) -> HttpResponse:
    """429 with ``Retry-After``: the whole window, the longest anyone has to wait."""
    response = problem(429, message)
    response["Retry-After"] = str(registry_setting("RATE_LIMIT_WINDOW_SECONDS"))
    return response


def refused(error) -> HttpResponse:
    """The registry's refusal (a ``RegistrationError``) as a problem; 429 with its wait."""
    if error.status == 429:
        return too_many(error.message)
    return problem(error.status, error.message)


def form_data(body: WriteIn, *, exclude=()) -> dict:
    """The body as a Django form's data: what the client sent, ``token`` as ``started``."""
    data = body.model_dump(exclude_unset=True, exclude=set(exclude))
    data = {name: value for name, value in data.items() if value is not None}
    if "token" in data:
        data["started"] = data.pop("token")
    return data
