"""Reads of the pages that other apps (the newsletter, the API) need, with their joins done."""

from wagtail.models import Locale

from buddypages.pages.models import LanguageTipIndexPage, LanguageTipPage


def language_tip_of_the_week(
    *, locale: Locale | None = None, index: LanguageTipIndexPage | None = None
) -> LanguageTipPage | None:
    """The tip of the week in ``locale`` (default: the active one).

    The tip an editor picked on the tips overview, if it is live; else the
    newest live tip. None when the locale has no live tips. Pass ``index``
    when you have the overview page already (one query fewer).
    """
    if index is None:
        locale_id = (locale or Locale.get_active()).pk
        index = (
            LanguageTipIndexPage.objects.live()
            .filter(locale_id=locale_id)
            .select_related("featured_tip", "featured_tip__theme")
            .first()
        )
        if index is None:
            return LanguageTipPage.newest_live(locale_id=locale_id)
    return index.tip_of_the_week()


def language_tip_for_newsletter(tip, *, locale) -> LanguageTipPage | None:
    """``tip`` in ``locale`` if it is translated and live there, else the tip of the week."""
    if tip is not None:
        translated = tip.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return language_tip_of_the_week(locale=locale)
