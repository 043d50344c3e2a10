"""The registry's page type: the registration form of one programme."""

from django.db import models
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.core.clients import client_address
from buddypages.pages.mixins import LanguageConsistentPageMixin
from buddypages.pages.snippets import Interest
from buddypages.registry import services
from buddypages.registry.choices import SIGNUP_ROLE_CHOICES, Role
from buddypages.registry.forms import RegistrationForm
from buddypages.registry.models import Consent


class RegistrationPage(LanguageConsistentPageMixin, RoutablePageMixin, Page):
    """A sign-up form for one role (newcomer or volunteer) of the programme above it.

    The form is fixed (``buddypages.registry.forms.RegistrationForm``) and its
    answers go to the participant registry, which only coordinators see:
    editors of this page never see who signed up, and deleting the page keeps
    the sign-ups.
    """

    role = models.CharField(
        _("who signs up here"), max_length=12, choices=SIGNUP_ROLE_CHOICES, default=Role.NEWCOMER
    )
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("A few short sentences above the form: who it is for, what happens next."),
    )
    privacy_summary = RichTextField(
        _("privacy in short"),
        features=["bold", "link", "ul"],
        help_text=_("What we keep, why, for how long, and who sees it. Shown above the consent."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("full privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_version = models.CharField(
        _("version of the privacy text"),
        max_length=40,
        default="1",
        help_text=_(
            "Change this (e.g. to today's date) every time the privacy text changes: "
            "each consent records the version the person saw."
        ),
    )
    thank_you = RichTextField(
        _("thank-you text"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown after sending the form."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_summary"),
                FieldPanel("privacy_page"),
                FieldPanel("privacy_version"),
            ],
            heading=_("Privacy"),
        ),
        FieldPanel("thank_you"),
    ]
    override_translatable_fields = [
        SynchronizedField("role"),
        SynchronizedField("privacy_version"),
        SynchronizedField("privacy_page"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("role"), APIField("intro"), APIField("privacy_summary")]
    parent_page_types = ["buddypages.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")

    def registration_form(self, data=None) -> RegistrationForm:
        """This page's form (its role, the interests of its language): the HTML form and
        the API's description and sign-ups all use it."""
        interests = Interest.objects.filter(locale_id=self.locale_id)
        return RegistrationForm(data, role=self.role, interests=interests)

    _form = registration_form

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", self._form())
        return context

    def register(
        self, request, form, *, method: str = Consent.Method.WEB_FORM, origin: str = ""
    ) -> int | None:
        """Sign up the person of a bound ``form`` of this page (the page's own form and its
        widget on other sites). None when registered; else the HTTP status to answer with,
        the reason being on the form (its fields' errors, or a refusal such as a rate limit).
        ``method`` and ``origin`` go into the consent ledger."""
        if not form.is_valid():
            return 400
        try:
            services.participant_register(
                page=self,
                data=form.cleaned_data,
                language=translation.get_language(),
                client=services.client_key(client_address(request)),
                method=method,
                origin=origin,
            )
        except services.RegistrationError as error:
            form.add_error(None, error.message)
            return error.status
        return None

    @path("")
    def form_view(self, request):
        # Error reports must never carry what people typed here.
        request.sensitive_post_parameters = "__ALL__"
        if request.method != "POST":
            return self.render(request)
        form = self._form(request.POST)
        status = self.register(request, form)
        if status is None:
            return redirect(self.url + self.reverse_subpage("thanks_view"))
        response = self.render(request, context_overrides={"form": form})
        response.status_code = status
        return response

    @path("thanks/")
    def thanks_view(self, request):
        return self.render(request, template="buddypages/registration_thanks.html")
