"""Reads of the pages that other apps (the newsletter, the API) need, with their joins done."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page, Site

from buddypages.pages.access import pages_of_sites
from buddypages.pages.models import (
    NEWEST_FIRST,
    LanguageTipIndexPage,
    LanguageTipPage,
    with_an_address,
)


def language_tip_of_the_week(
    *,
    locale: Locale | None = None,
    index: LanguageTipIndexPage | None = None,
    site_id: int | None = None,
) -> LanguageTipPage | None:
    """The tip of the week in ``locale`` (default: the active one).

    The tip an editor picked on the tips overview, if it is live; else the
    newest live tip. None when the locale has no live tips. Pass ``index``
    when you have the overview page already (one query fewer), ``site_id`` for the overview
    of one municipality (a widget on its website, its newsletter).
    """
    if index is None:
        locale_id = (locale or Locale.get_active()).pk
        overviews = LanguageTipIndexPage.objects.live()
        if site_id is not None:
            overviews = pages_of_sites(overviews, {site_id})
        index = (
            overviews.filter(locale_id=locale_id)
            .select_related("featured_tip", "featured_tip__theme")
            .first()
        )
        if index is None:
            return LanguageTipPage.newest_live(locale_id=locale_id)
    # One municipality's tip is one its overview lists, never another site's newest.
    return index.listed_tip_of_the_week() if site_id is not None else index.tip_of_the_week()


def language_tip_for_newsletter(tip, *, locale, site_id=None) -> LanguageTipPage | None:
    """``tip`` in ``locale`` if it is translated and live there, else the tip of the week of
    the newsletter's municipality (``site_id``)."""
    if tip is not None:
        translated = tip.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return language_tip_of_the_week(locale=locale, site_id=site_id)


def page_for_path(*, site: Site, path: str, request=None) -> Page | None:
    """The live page a visitor reaches at ``path`` on ``site`` (``/ar/taaltips/de-bib/``).

    A path that starts with a language prefix is routed from the translation of the site's
    root page into that language; one without, from the root page in the default language.
    None when nothing answers there. Privacy rules are not checked: filter the result with
    ``.public()`` where that matters. Routable pages may answer for a sub-path
    (``.../ical/``): compare ``page.url_path`` when only the page itself should match.
    """
    path = "/" + path.lstrip("/")
    components = [component for component in path.split("/") if component]
    language = translation.get_language_from_path(path)
    if language is None:
        language = Locale.get_default().language_code
    else:
        components = components[1:]
    with translation.override(language):
        root = site.root_page.localized.specific
        if root.locale.language_code != language:
            return None
        try:
            page, _args, _kwargs = root.route(request, components)
        except Http404:
            return None
    return page


def tips_of_the_week(*, indexes) -> dict[int, LanguageTipPage | None]:
    """:meth:`LanguageTipIndexPage.tip_of_the_week` of each overview, by the overview's pk, in
    at most one query (load ``indexes`` with ``select_related("featured_tip")``): the newest
    live tip of every language without a live pick is read in one windowed query."""
    found: dict[int, LanguageTipPage | None] = {}
    without_pick = {}
    for index in indexes:
        featured = index.featured_tip
        if featured is not None and featured.live and featured.locale_id == index.locale_id:
            found[index.pk] = featured
        else:
            without_pick.setdefault(index.locale_id, []).append(index.pk)
    if without_pick:
        newest = {
            tip.locale_id: tip
            for tip in with_an_address(LanguageTipPage.objects.live())
            .filter(locale_id__in=without_pick)
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=F("locale_id"),
                    order_by=[NEWEST_FIRST, F("pk").desc()],
                )
            )
            .filter(newest=1)
            .select_related("theme")
        }
        for locale_id, pks in without_pick.items():
            for pk in pks:
                found[pk] = newest.get(locale_id)
    return found
