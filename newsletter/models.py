"""Newsletter issues are pages.

Why a page and not a snippet: an issue is translated with wagtail-localize
exactly like the other pages (one translation per locale, synced from the
Dutch source), it gets Wagtail's drafts, revisions, workflow and preview for
free, and once sent its page *is* the public web version and the archive
entry. A snippet would need its own translation, preview and public URL.

An issue page answers only once it has been sent (``sent_at``); before that
only editors see it, in the preview.
"""

from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.models import LanguageConsistentPageMixin
from newsletter.blocks import NewsletterStreamBlock


class NewsletterIndexPage(LanguageConsistentPageMixin, Page):
    """The archive: every sent issue in this language, newest first."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["buddypages.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("newsletter archive")
        verbose_name_plural = _("newsletter archives")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .filter(sent_at__isnull=False)
            .order_by("-sent_at")
        )
        return context


class NewsletterIssuePage(LanguageConsistentPageMixin, Page):
    """One newsletter: subject, preheader and blocks, rendered per recipient at send time."""

    subject = models.CharField(_("subject"), max_length=150)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The short line mail programs show after the subject."),
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("content"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("subject")]
    override_translatable_fields = [SynchronizedField("sent_at")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    PREVIEW_KINDS = ("duo_newcomer", "volunteer", "subscriber")

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    @property
    def preview_modes(self):
        return [
            ("", _("Web version")),
            ("email:duo_newcomer", _("Email to a newcomer in a duo")),
            ("email:volunteer", _("Email to a volunteer")),
            ("email:subscriber", _("Email to a subscriber")),
        ]

    def serve(self, request, *args, **kwargs):
        if self.sent_at is None and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        if mode_name.startswith("email:"):
            from newsletter.rendering import preview_html

            return HttpResponse(preview_html(self, kind=mode_name.split(":", 1)[1]))
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from newsletter.rendering import web_version_html

        context = super().get_context(request, *args, **kwargs)
        context["newsletter_body"] = web_version_html(self)
        return context
