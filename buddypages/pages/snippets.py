"""Translatable snippets shared across pages: partners, tip themes and interests."""

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


class Partner(TranslatableMixin, index.Indexed, models.Model):
    """A partner or sponsor, reusable on every programme page."""

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(
        _("what they do with us"),
        max_length=255,
        blank=True,
        help_text=_("One short sentence, e.g. 'Gives free tickets for the swimming pool.'"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("logo"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    api_fields = [APIField("name"), APIField("description"), APIField("url")]
    override_translatable_fields = [SynchronizedField("url")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LanguageTipTheme(TranslatableMixin, models.Model):
    """A theme for language tips (at the doctor, shopping, ...), the same in every language.

    ``key`` is stable across translations, so filters and other apps can name
    a theme without knowing the language.
    """

    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("A short fixed name used in web addresses, e.g. 'doctor'. Do not change it."),
    )
    name = models.CharField(_("name"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")]
    override_translatable_fields = [SynchronizedField("key")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("language tip theme")
        verbose_name_plural = _("language tip themes")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "locale"], name="unique_theme_key_per_locale")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def cached_for_locale(cls, locale_id: int) -> list["LanguageTipTheme"]:
        """The tip themes of a locale, in order; cached until a theme changes."""
        key = THEMES_CACHE_KEY.format(locale_id=locale_id)
        themes = cache.get(key)
        if themes is None:
            themes = list(cls.objects.filter(locale_id=locale_id))
            cache.set(key, themes, 3600)
        return themes


THEMES_CACHE_KEY = "buddypages:tip-themes:{locale_id}"


def _forget_themes(sender, instance, **kwargs) -> None:
    cache.delete(THEMES_CACHE_KEY.format(locale_id=instance.locale_id))


post_save.connect(_forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-save")
post_delete.connect(
    _forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-delete"
)


class Interest(TranslatableMixin, models.Model):
    """Something people like to do (cycling, cooking, ...), offered on the registration form.

    ``key`` is the same in every language, so a newcomer who ticks "koken" in
    Dutch and a volunteer who ticks "cuisine" in French share an interest.
    """

    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("A short fixed name, e.g. 'cooking'. Do not change it: matching uses it."),
    )
    name = models.CharField(_("name"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")]
    override_translatable_fields = [SynchronizedField("key")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "locale"], name="unique_interest_key_per_locale")
        ]

    def __str__(self) -> str:
        return self.name


class GoalOption(TranslatableMixin, models.Model):
    """A goal a duo can choose for its action plan ("practise Dutch for the doctor"), the
    same in every language. ``key`` is stable across translations: a duo's goal names the
    key, so each member reads it in their own language."""

    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("A short fixed name, e.g. 'doctor'. Do not change it: action plans use it."),
    )
    name = models.CharField(_("goal"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")]
    override_translatable_fields = [SynchronizedField("key")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("action plan goal")
        verbose_name_plural = _("action plan goals")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "locale"], name="unique_goal_key_per_locale")
        ]

    def __str__(self) -> str:
        return self.name
