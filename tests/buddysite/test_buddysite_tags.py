"""Bidi isolation of what people type: ``bdi`` for HTML, ``isolate`` for plain text."""

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load buddysite_tags %}" + source).render(Context(context))


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
