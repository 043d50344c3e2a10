"""Template tags of the plugin's public pages and emails: the document language and direction,
and bidi isolation of what people type. ``{% load buddypages_tags %}``.

A host's own templates may load this library too (its ``base.html`` needs
``document_language`` for ``<html lang dir>``); the admin's date tag is in ``buddypages_admin``.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from buddypages.core import languages
from buddypages.core.locales import locale_language_code

register = template.Library()


@dataclass(frozen=True)
class DocumentLanguage:
    code: str
    dir: str


def page_from_context(context) -> Page | None:
    """The Wagtail page a template shows (``page``, or ``self`` in Wagtail's own templates)."""
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def document_language(context) -> DocumentLanguage:
    """The language of the page being shown, else the active language.

    ``{% document_language as doc %}<html lang="{{ doc.code }}" dir="{{ doc.dir }}">``
    """
    page = page_from_context(context)
    code = translation.get_language() if page is None else locale_language_code(page.locale_id)
    code = code or settings.LANGUAGE_CODE
    return DocumentLanguage(code=code, dir=languages.text_direction(code))


@register.filter
def text_direction(code: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a language code: ``dir="{{ language|text_direction }}"``."""
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
