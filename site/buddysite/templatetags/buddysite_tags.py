"""Template tags of the example host: the language switcher.

The document language and bidi isolation are the plugin's (``{% load buddypages_tags %}``).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page

from buddypages.core import languages
from buddypages.core.generation import request_generation
from buddypages.pages.municipality import municipality_for_request
from buddypages.templatetags.buddypages_tags import document_language, page_from_context
from buddysite.cache import cache_get, cache_set

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    dir: str
    url: str
    current: bool
    # True when this language has no translation of the page and the link
    # leads to the Dutch (source) page instead.
    fallback: bool
    fallback_note: str


def _fallback_note(code: str) -> str:
    # Written in the language the reader picked: they may read nothing else.
    with translation.override(code):
        return _("Not translated yet: this link opens the Dutch page.")


@register.inclusion_tag("buddysite/language_switcher.html", takes_context=True)
def language_switcher(context, home: bool = False) -> dict:
    """One link per language, to the translation of the current page.

    Where the page has no live translation in a language, the link leads to
    the page in the source language (Dutch) and says so, in that language.
    ``home=True`` (error pages) links to each language's home page.
    """
    request = context.get("request")
    page = page_from_context(context)
    current = document_language(context).code
    if home:
        targets = [(code, f"/{code}/", False) for code in languages.LANGUAGE_CODES]
    elif page is None:
        targets = [(code, _path_in(request, code), False) for code in languages.LANGUAGE_CODES]
    else:
        targets = _page_targets(page, request)
    # A municipality may offer only some of the installation's languages.
    municipality = municipality_for_request(request)
    if municipality is not None:
        offered = municipality.site_languages()
        targets = [target for target in targets if target[0] in offered]
    links = [_link(code, current, url, fallback) for code, url, fallback in targets]
    return {"links": links, "current": current}


def _page_targets(page: Page, request) -> list[tuple[str, str, bool]]:
    """(language, URL, fallback?) for every language; the same for all translations
    of a page, so cached per page until published content changes."""
    key = f"switcher:{page.translation_key}:{request_generation(request)}:{request.get_host()}"
    targets = cache_get(key)
    if targets is not None:
        return targets
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    source = translations.get(languages.SOURCE_LANGUAGE)
    targets = []
    for code in languages.LANGUAGE_CODES:
        target = translations.get(code)
        fallback = target is None
        if fallback:
            target = source
        url = target.get_url(request) if target is not None else None
        targets.append((code, url or f"/{code}/", fallback))
    cache_set(key, targets, settings.PAGE_CACHE_SECONDS or 300)
    return targets


def _path_in(request, code: str) -> str:
    """This non-page URL in another language, else that language's home page."""
    path = request.path if request is not None else "/"
    translated = translate_url(path, code)
    return translated if translated != path else f"/{code}/"


def _link(code: str, current: str, url: str, fallback: bool) -> LanguageLink:
    return LanguageLink(
        code=code,
        name=get_language_info(code)["name_local"],
        dir=languages.text_direction(code),
        url=url,
        current=code == current,
        fallback=fallback,
        fallback_note=_fallback_note(code) if fallback else "",
    )
