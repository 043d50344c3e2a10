"""The referral guide: local services a buddy can point their newcomer to.

A buddy is not a social worker. When a question is about housing, work, health,
papers or school, the guide says where to go. Services are translatable snippets:
editors write them once in Dutch and translate them like any snippet.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.core.links import map_search_link


class ReferralService(TranslatableMixin, index.Indexed, models.Model):
    """One local service (an office, an organisation, a help desk)."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        WORK = "work", _("Work")
        HEALTH = "health", _("Health")
        PAPERS = "papers", _("Papers and residence")
        SCHOOL = "school", _("School and childcare")
        MONEY = "money", _("Money")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        LEGAL_AID = "legal_aid", _("Legal aid")
        OTHER = "other", _("Other")

    category = models.CharField(_("theme"), max_length=20, choices=Category.choices)
    name = models.CharField(_("name"), max_length=160)
    description = models.CharField(
        _("what they help with"),
        max_length=300,
        blank=True,
        help_text=_("One or two short sentences."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, blank=True, help_text=_("E.g. 'Mon-Fri 9:00-12:00'.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    languages = models.CharField(
        _("languages spoken"),
        max_length=120,
        blank=True,
        help_text=_("Language codes, separated by commas, e.g. 'nl, fr, en, ar'."),
    )
    map_url = models.URLField(
        _("map link"),
        blank=True,
        help_text=_("Leave empty to link to the address on OpenStreetMap."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("opening_hours"),
                FieldPanel("phone"),
                FieldPanel("website"),
                FieldPanel("email"),
                FieldPanel("map_url"),
            ],
            heading=_("How to reach them"),
        ),
        FieldPanel("languages"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("category"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "category",
            "name",
            "description",
            "address",
            "opening_hours",
            "phone",
            "website",
            "email",
            "language_codes",
            "map_link",
        )
    ]
    override_translatable_fields = [
        SynchronizedField("category"),
        SynchronizedField("phone"),
        SynchronizedField("website"),
        SynchronizedField("email"),
        SynchronizedField("languages"),
        SynchronizedField("map_url"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("referral service")
        verbose_name_plural = _("referral guide")
        ordering = ["category", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [code.strip().lower() for code in self.languages.split(",") if code.strip()]

    @property
    def map_link(self) -> str:
        return self.map_url or map_search_link(self.address)
