"""The referral guide: local services a buddy can point their newcomer to.

A buddy is not a social worker. When a question is about housing, work, health,
papers or school, the guide says where to go. Services are translatable snippets:
editors write them once in Dutch and translate them like any snippet.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from buddypages.core.languages import register_extra_languages
from buddypages.core.links import map_search_link

# Languages often spoken in newcomers' communities that Django has no entry for (ISO 639).
EXTRA_LANGUAGE_NAMES = {
    "prs": gettext_noop("Dari"),
    "am": gettext_noop("Amharic"),
    "ku": gettext_noop("Kurdish"),
    "ber": gettext_noop("Berber (Tamazight)"),
    "ti": gettext_noop("Tigrinya"),
    "so": gettext_noop("Somali"),
    "ps": gettext_noop("Pashto"),
}


def is_known_language(code: str) -> bool:
    register_extra_languages()
    return code in EXTRA_LANGUAGE_NAMES or code in LANG_INFO


def language_name(code: str) -> str:
    """The language's name in the active language ("Arabisch" when reading Dutch)."""
    if code in EXTRA_LANGUAGE_NAMES:
        return gettext(EXTRA_LANGUAGE_NAMES[code])
    info = LANG_INFO.get(code)
    if info is None:
        return code
    return gettext(info["name"])


def parse_language_codes(value: str) -> list[str]:
    """``"NL, fr ,ar"`` -> ``["nl", "fr", "ar"]`` (each once, in the order given)."""
    codes = [code.strip().lower().replace("_", "-") for code in value.replace(";", ",").split(",")]
    return list(dict.fromkeys(code for code in codes if code))


class ReferralServiceQuerySet(models.QuerySet):
    def guide(self, language_code: str) -> list[ReferralService]:
        """Every service once, in ``language_code`` where it is translated, else in the
        language it was written in (the default locale first). Each object's
        ``shown_language`` says which, for the page's ``lang`` attribute. Two queries."""
        from wagtail.models import Locale

        default = Locale.get_default()
        chosen: dict = {}
        for service in self.select_related("locale"):
            code = service.locale.language_code
            current = chosen.get(service.translation_key)
            rank = 0 if code == language_code else 1 if service.locale_id == default.pk else 2
            if current is None or rank < current[0]:
                chosen[service.translation_key] = (rank, service)
        services = [service for _rank, service in chosen.values()]
        for service in services:
            service.shown_language = service.locale.language_code
        order = {value: index for index, (value, _label) in enumerate(self.model.Category.choices)}
        services.sort(key=lambda s: (order.get(s.category, 99), s.sort_order, s.name.lower()))
        return services


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
    objects = ReferralServiceQuerySet.as_manager()

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

    def clean(self) -> None:
        super().clean()
        codes = parse_language_codes(self.languages)
        unknown = [code for code in codes if not is_known_language(code)]
        if unknown:
            raise ValidationError(
                {
                    "languages": _(
                        "Unknown language code: %(codes)s. Use two- or three-letter codes "
                        "(ISO 639), separated by commas, e.g. 'nl, fr, en, ar'."
                    )
                    % {"codes": ", ".join(unknown)}
                }
            )
        self.languages = ", ".join(codes)

    @property
    def language_codes(self) -> list[str]:
        return parse_language_codes(self.languages)

    @property
    def language_names(self) -> list[str]:
        """The languages spoken there, named in the active language."""
        return [language_name(code) for code in self.language_codes]

    @property
    def phone_link(self) -> str:
        """``tel:`` with the digits only ("011 99 00 10" -> "tel:011990010")."""
        number = "".join(c for c in self.phone if c.isdigit() or c == "+")
        return f"tel:{number}" if number else ""

    @property
    def map_link(self) -> str:
        return self.map_url or map_search_link(self.address)
