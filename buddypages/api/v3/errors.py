"""Every error under ``/api/v3/`` as RFC 9457 problem details, in the language asked for.

Wagtail's v3 API answers ``application/problem+json`` already; this module replaces its
handlers with ones whose ``title``, ``detail`` and per-field messages are translated (the
language comes from ``?locale=`` or ``Accept-Language``, see :mod:`buddypages.api.v3.http`),
and adds the failures Django raises before a view runs: bodies too large, bytes that are not
UTF-8, form errors from the services. Nothing here ever names a person: messages come from
our catalogues, never from the input.
"""

import logging
import traceback
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}

# Pydantic's error types, in words a person filling in a form understands.
FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not expected here."),
    "string_too_long": gettext_lazy("This text is too long."),
    "string_too_short": gettext_lazy("This text is too short."),
    "too_long": gettext_lazy("This list has too many items."),
    "too_short": gettext_lazy("This list has too few items."),
    "literal_error": gettext_lazy("Choose one of the values offered."),
    "enum": gettext_lazy("Choose one of the values offered."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "date_from_datetime_parsing": gettext_lazy("Give a date like 2027-01-31."),
    "date_parsing": gettext_lazy("Give a date like 2027-01-31."),
    "date_type": gettext_lazy("Give a date like 2027-01-31."),
    "datetime_parsing": gettext_lazy("Give a date and time like 2027-01-31T18:00:00+01:00."),
    "datetime_type": gettext_lazy("Give a date and time like 2027-01-31T18:00:00+01:00."),
    "uuid_parsing": gettext_lazy("This link is not valid."),
    "uuid_type": gettext_lazy("This link is not valid."),
    "string_type": gettext_lazy("Give text."),
    "list_type": gettext_lazy("Give a list."),
    "model_type": gettext_lazy("Give an object."),
    "dict_type": gettext_lazy("Give an object."),
    "value_error": gettext_lazy("This value is not valid."),
}
GENERIC_FIELD_MESSAGE = gettext_lazy("This value is not valid.")


def problem(status: int, detail: str = "", *, errors: list | None = None) -> HttpResponse:
    """A problem details answer (RFC 9457) with a translated title."""
    title = TITLES.get(status)
    body = {
        "type": "about:blank",
        "title": str(title) if title else HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_JSON,
        json_dumps_params={"ensure_ascii": False},
    )


def field_error(loc, message, code: str = "invalid") -> dict:
    return {"loc": [str(part) for part in loc], "msg": str(message), "type": code}


def _pydantic_entries(errors) -> list[dict]:
    entries = []
    for error in errors:
        code = error.get("type", "value_error")
        message = FIELD_MESSAGES.get(code, GENERIC_FIELD_MESSAGE)
        loc = tuple(error.get("loc", ()))
        if loc[:2] == ("body", "body"):
            # Ninja names the view's body parameter (``body``) too: a field of the JSON
            # body is ["body", field], as the forms' own errors name it.
            loc = loc[1:]
        entries.append(field_error(loc, message, code))
    return entries


class APIInputError(Exception):
    """A query the API understands but cannot answer: a 422 naming the parameter."""

    def __init__(self, loc, message):
        super().__init__(str(message))
        self.entry = field_error(loc, message)


def invalid(errors: list[dict]) -> HttpResponse:
    return problem(422, _("Some fields are not filled in correctly."), errors=errors)


def _raised_while_answering(exc: Exception) -> bool:
    """True when Django Ninja raised it validating a view's answer against the answer's
    schema (both that and invalid input are pydantic errors; only the frames tell)."""
    return any(
        frame.name == "_result_to_response" for frame in traceback.extract_tb(exc.__traceback__)
    )


def install(api) -> None:
    """Replace the API's exception handlers with translated problem details."""

    @api.exception_handler(APIInputError)
    def input_error(request, exc):
        return invalid([exc.entry])

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request, exc):
        return invalid(_pydantic_entries(exc.errors))

    @api.exception_handler(PydanticValidationError)
    def pydantic_validation(request, exc):
        if _raised_while_answering(exc):
            # An answer that breaks its own schema is our bug, not the client's input.
            logger.error("An API answer does not match its schema", exc_info=exc)
            return problem(500, _("Something went wrong on our side. Please try again later."))
        return invalid(_pydantic_entries(exc.errors()))

    @api.exception_handler(DjangoValidationError)
    def django_validation(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [
                field_error(["body", name], message, error.code or "invalid")
                for name, field_errors in exc.error_dict.items()
                for error in field_errors
                for message in error.messages
            ]
        else:
            errors = [field_error(["body"], message) for message in exc.messages]
        return invalid(errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem(401, _("This needs an API token."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        if not request.user.is_authenticated:
            return problem(401, _("This needs an API token."))
        return problem(403, _("Your token does not allow this."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, _("Nothing was found at this address."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400 and isinstance(exc.__cause__, RequestDataTooBig):
            return problem(413, _("The request is too large."))
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return problem(400, _("The request body is not valid JSON in UTF-8."))
        return problem(exc.status_code, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return problem(413, _("The request is too large."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return problem(400, _("The request could not be read."))

    @api.exception_handler(UnicodeDecodeError)
    def not_utf8(request, exc):
        return problem(400, _("The request is not valid UTF-8."))
