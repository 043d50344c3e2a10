"""Reads other apps (the newsletter, the API) need, with their joins done."""

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale

from buddypages.models import LanguageTipIndexPage, LanguageTipPage
from buddypages.snippets import LanguageTipTheme

# Pages published through revisions have first_published_at; put any without last.
NEWEST_FIRST = F("first_published_at").desc(nulls_last=True)


def language_tips_for_index(
    *, index: LanguageTipIndexPage, level: str = "", theme_key: str = ""
) -> QuerySet[LanguageTipPage]:
    """Live tips under ``index``, newest first, optionally by level and theme key."""
    tips = (
        LanguageTipPage.objects.live()
        .child_of(index)
        .select_related("theme")
        .order_by(NEWEST_FIRST, "-pk")
    )
    if level in {code for code, _label in LanguageTipPage.LEVELS}:
        tips = tips.filter(level=level)
    if theme_key:
        tips = tips.filter(theme__key=theme_key)
    return tips


def language_tip_of_the_week(
    *, locale: Locale | None = None, index: LanguageTipIndexPage | None = None
) -> LanguageTipPage | None:
    """The tip of the week in ``locale`` (default: the active one).

    The tip an editor picked on the tips overview, if it is live; else the
    newest live tip. None when the locale has no live tips. Pass ``index``
    when you have the overview page already (one query fewer).
    """
    if index is not None:
        locale_id = index.locale_id
    else:
        locale_id = (locale or Locale.get_active()).pk
        index = (
            LanguageTipIndexPage.objects.live()
            .filter(locale_id=locale_id)
            .select_related("featured_tip", "featured_tip__theme")
            .first()
        )
    featured = index.featured_tip if index is not None else None
    if featured is not None and featured.live and featured.locale_id == locale_id:
        return featured
    return (
        LanguageTipPage.objects.live()
        .filter(locale_id=locale_id)
        .select_related("theme")
        .order_by(NEWEST_FIRST, "-pk")
        .first()
    )


THEMES_CACHE_KEY = "buddypages:tip-themes:{locale_id}"


def language_tip_themes(*, locale_id: int) -> list[LanguageTipTheme]:
    """The tip themes of a locale, in order; cached until a theme changes."""
    key = THEMES_CACHE_KEY.format(locale_id=locale_id)
    themes = cache.get(key)
    if themes is None:
        themes = list(LanguageTipTheme.objects.filter(locale_id=locale_id))
        cache.set(key, themes, 3600)
    return themes


def _forget_themes(sender, instance, **kwargs) -> None:
    cache.delete(THEMES_CACHE_KEY.format(locale_id=instance.locale_id))


post_save.connect(_forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-save")
post_delete.connect(
    _forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-delete"
)
