"""The newsletter in ``/api/v3/``: the archive, the subscription form, subscribe (double
opt-in) and unsubscribe. Added to the plugin's API by the ``register_buddypages_api_v3`` hook.

Subscribing and unsubscribing go through the registry's services, like the site's own links:
anyone may subscribe (an unknown address becomes a newsletter-only reader in the registry),
the newsletter starts only when the person follows the link in the email, and an answer never
says whether an address is known.
"""

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja import Schema as NinjaSchema

from buddypages.api.v3 import writes
from buddypages.api.v3.errors import problem
from buddypages.api.v3.forms import FormParts, form_parts
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
from buddypages.registry.forms import NewsletterSubscribeForm
from buddypages.registry.models import Consent
from buddypages.registry.services import RegistrationError, newsletter_subscribe
from newsletter import services
from newsletter.models import NewsletterIssuePage

router = Router(tags=["newsletter"])


# --- The archive ------------------------------------------------------------------------


class IssueOut(PageItem):
    subject: str
    preheader: str
    sent_at: datetime


class IssueList(Page_):
    items: list[IssueOut]


class IssuesQuery(ListQuery):
    locale: str | None = Field(None, max_length=20, examples=["ar"])
    site: str | None = Field(
        None, max_length=255, description="A site's host name; default: this address's site."
    )


@router.get(
    "/newsletter/issues/",
    response=IssueList,
    operation_id="list_newsletter_issues",
    url_name="list_newsletter_issues",
    summary="The newsletter archive",
)
def list_newsletter_issues(request, query: Query[IssuesQuery]):
    """Issues that were sent, newest first, each with its web version's address."""
    site = request_site(request, query.site)
    issues = (
        site_pages(NewsletterIssuePage.objects.all(), site)
        .filter(sent_at__isnull=False)
        .select_related("locale")
        .order_by("-sent_at", "-pk")
    )
    locale = request_locale(query.locale)
    if locale is not None:
        issues = issues.filter(locale=locale)

    def serialize(batch):
        serializer = PageSerializer(request, site, batch)
        return [
            {
                **serializer.item(issue),
                "subject": issue.subject,
                "preheader": issue.preheader,
                "sent_at": issue.sent_at,
            }
            for issue in batch
        ]

    return paginate(request, issues, query, serialize)


# --- The subscription form --------------------------------------------------------------


class NewsletterFormQuery(NinjaSchema):
    locale: str | None = Field(None, max_length=20, examples=["ti"])


class NewsletterFormOut(FormParts):
    locale: str


@router.get(
    "/newsletter/form/",
    response=NewsletterFormOut,
    operation_id="get_newsletter_form",
    url_name="get_newsletter_form",
    summary="The newsletter subscription form",
)
def get_newsletter_form(request, query: Query[NewsletterFormQuery]):
    """The fields of the subscription form in the language asked for (`?locale=`). Send the
    answers to `POST /api/v3/newsletter/subscriptions/`."""
    return {
        "locale": translation.get_language(),
        **form_parts(
            request,
            kind="newsletter",
            action="subscribe_newsletter",
            form=NewsletterSubscribeForm(),
        ),
    }


# --- Subscribe and unsubscribe ------------------------------------------------------------


class SubscribeIn(writes.FormTokenIn):
    email: str = Field(max_length=writes.SHORT_TEXT)
    preferred_language: str = Field(
        max_length=20, description="The language of the emails, a language of the site."
    )
    consent_newsletter: bool = Field(description="Must be true: the consent to the newsletter.")


@router.post(
    "/newsletter/subscriptions/",
    response={202: writes.Received},
    operation_id="subscribe_newsletter",
    url_name="subscribe_newsletter",
    summary="Ask for the newsletter",
)
def subscribe_newsletter(request, body: SubscribeIn):
    """Ask for the newsletter, for anyone: someone who signed up for the programme or anyone
    else (a neighbour, a partner, a future volunteer). They get an email in
    `preferred_language` with a link to confirm (double opt-in); the newsletter starts only
    then, and an address never confirmed is forgotten after 30 days. The answer is the same
    whether or not the address is known, so it tells nobody who is in the registry."""
    if refused := writes.refused_origin(request):
        return refused
    form = NewsletterSubscribeForm(writes.form_data(body))
    if not form.is_valid():
        return writes.form_errors(form)
    try:
        newsletter_subscribe(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["preferred_language"],
            client=writes.client(request),
            site=request_site(request),
            method=Consent.Method.API,
            origin=writes.origin_of(request),
        )
    except RegistrationError as error:
        return writes.refused(error)
    return Status(
        202,
        {
            "status": "received",
            "message": _(
                "Thank you. If this address can get the newsletter, we sent it a link to confirm."
            ),
        },
    )


class UnsubscribeIn(writes.WriteIn):
    token: str = Field(
        max_length=writes.TOKEN_LENGTH,
        description="The token of the unsubscribe link in every issue "
        "(`.../newsletter/unsubscribe/{token}/`).",
    )


@router.post(
    "/newsletter/unsubscribe/",
    response={200: writes.Received},
    operation_id="unsubscribe_newsletter",
    url_name="unsubscribe_newsletter",
    summary="Stop the newsletter",
)
def unsubscribe_newsletter(request, body: UnsubscribeIn):
    """Stop the newsletter with the token of the link in an issue. Nothing else changes."""
    if refused := writes.refused_origin(request):
        return refused
    try:
        participant = services.participant_for_token(body.token)
    except services.UnsubscribeError as error:
        return problem(422, error.message, errors=[writes.token_error(error.message)])
    if participant is not None:  # None: the link of a test copy, which stops nothing
        services.newsletter_unsubscribe(
            participant=participant,
            method=Consent.Method.API,
            origin=writes.origin_of(request),
        )
    return Status(
        200,
        {
            "status": "unsubscribed",
            "message": _("You will not get the newsletter any more."),
        },
    )
