from django.db import models
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from buddypages.blocks import BodyStreamBlock


class LanguageConsistentPageMixin:
    """Serve a page only under its own language's URL prefix.

    Wagtail falls back to the Dutch page when a translation is missing or
    unpublished (``Page.localized``), which would show Dutch content under
    ``/fr/`` with French menus. Redirect to the page's own URL instead, so
    the address, ``lang`` and every string on the page agree.
    """

    def serve(self, request, *args, **kwargs):
        if translation.get_language() != self.locale.language_code:
            url = self.get_url(request)
            if url and url != request.path:
                return redirect(url)
        return super().serve(request, *args, **kwargs)


class HomePage(LanguageConsistentPageMixin, Page):
    """The start page of the site, one per language."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Two or three short sentences: what the programme is and who it is for."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
