"""The plugin's template tags: the document language and direction of a page, and bidi
isolation of what people type (``bdi`` for HTML, ``isolate`` for plain text)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.buddypages import factories


def render(source: str, **context) -> str:
    return Template("{% load buddypages_tags %}" + source).render(Context(context))


def test_bdi_escapes_and_isolates_and_leaves_nothing_for_nothing():
    assert render("{{ place|bdi }}", place="Dienstencentrum 't Hofke") == (
        "<bdi>Dienstencentrum &#x27;t Hofke</bdi>"
    )
    assert render("{{ name|bdi }}", name="<b>Jan</b>") == "<bdi>&lt;b&gt;Jan&lt;/b&gt;</bdi>"
    assert render("[{{ name|bdi }}]", name="") == "[]"
    assert render("[{{ missing|bdi }}]") == "[]"
    assert (
        render('{{ place|bdi:"place" }}', place="De Linde") == '<bdi class="place">De Linde</bdi>'
    )


def test_bdi_inside_a_translated_sentence_is_not_escaped_twice():
    with translation.override("nl"):
        html = render(
            "{% load i18n %}{% blocktranslate with buddy=name|bdi %}You and {{ buddy }}"
            "{% endblocktranslate %}",
            name="Jean & Luc",
        )
    assert html.endswith("<bdi>Jean &amp; Luc</bdi>")


def test_isolate_adds_invisible_isolates_only_in_right_to_left_languages():
    source = "{% autoescape off %}{{ name|isolate }}{% endautoescape %}"
    with translation.override("ar"):
        assert render(source, name="'t Hofke") == "\u2068't Hofke\u2069"
        assert render(source, name="") == ""
    for language in ("nl", "fr", "uk"):
        with translation.override(language):
            assert render(source, name="'t Hofke") == "'t Hofke"


def test_text_direction_of_a_language_code():
    assert render("{{ code|text_direction }}", code="ar") == "rtl"
    assert render("{{ code|text_direction }}", code="fa") == "rtl"
    assert render("{{ code|text_direction }}", code="uk") == "ltr"
    assert render("{{ code|text_direction }}") == "ltr"


@pytest.mark.django_db
def test_document_language_follows_the_page_and_else_the_active_language():
    source = '{% document_language as doc %}<html lang="{{ doc.code }}" dir="{{ doc.dir }}">'
    arabic_home = factories.home_page("ar")
    with translation.override("nl"):
        # An Arabic page shown while the interface is in Dutch (a fallback) is still Arabic.
        assert render(source, page=arabic_home) == '<html lang="ar" dir="rtl">'
        assert render(source) == '<html lang="nl" dir="ltr">'
    with translation.override("fa"):
        assert render(source) == '<html lang="fa" dir="rtl">'
        assert render(source, page=factories.home_page("nl")) == '<html lang="nl" dir="ltr">'
