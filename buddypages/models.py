from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from buddypages.blocks import BodyStreamBlock


class HomePage(Page):
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
