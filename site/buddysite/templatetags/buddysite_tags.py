"""Template tags for the document language, the language switcher and bidi isolation."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page

from buddypages.core import languages
from buddypages.locales import locale_language_code
from buddysite.cache import cache_get, cache_set, request_generation

register = template.Library()


@dataclass(frozen=True)
class DocumentLanguage:
    code: str
    dir: str


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


def _page_from_context(context) -> Page | None:
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def document_language(context) -> DocumentLanguage:
    """The language of the page being shown, else the active language."""
    page = _page_from_context(context)
    code = translation.get_language() if page is None else locale_language_code(page.locale_id)
    code = code or settings.LANGUAGE_CODE
    return DocumentLanguage(code=code, dir=languages.text_direction(code))


@register.filter
def text_direction(code: str) -> str:
    return languages.text_direction(code or "")


@register.filter
def bdi(value, css_class: str = "") -> str:
    """``value``, escaped, in a ``<bdi>`` (of class ``css_class``, if given).

    For what editors and participants type (names, titles, places, addresses) inside a line
    of other text: written the other way round than the line (a Dutch place in an Arabic
    sentence), it keeps its own order and leaves its neighbours (a time, a comma) in theirs.
    """
    if value is None or value == "":
        return ""
    if css_class:
        return format_html('<bdi class="{}">{}</bdi>', css_class, value)
    return format_html("<bdi>{}</bdi>", value)


@register.filter(is_safe=True)
def isolate(value) -> str:
    """The plain-text ``bdi``: ``value`` between U+2068 and U+2069 (first strong isolate, pop
    directional isolate), only when the active language is written right to left.

    Left-to-right emails stay free of invisible characters; in a right-to-left sentence a
    Latin name needs the isolates to keep its punctuation and numbers in place.
    """
    if value is None or value == "":
        return ""
    if not languages.is_rtl(translation.get_language() or ""):
        return value
    return f"\u2068{value}\u2069"


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
    page = _page_from_context(context)
    current = document_language(context).code
    if home:
        targets = [(code, f"/{code}/", False) for code in languages.LANGUAGE_CODES]
    elif page is None:
        targets = [(code, _path_in(request, code), False) for code in languages.LANGUAGE_CODES]
    else:
        targets = _page_targets(page, request)
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
