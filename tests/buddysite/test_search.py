import pytest
from wagtail.models import Locale, Page
from wagtail.search.query import And, Phrase, PlainText

from buddypages.core.search import MAX_WORDS, clean_query, clean_text

pytestmark = pytest.mark.django_db


def titles(query) -> list[str]:
    pages = Page.objects.live().filter(locale=Locale.objects.get(language_code="nl"))
    return [page.title for page in pages.search(query)]


def test_double_quotes_are_searched_as_the_words_inside(demo):
    assert titles("buddywerking")
    assert titles('"buddywerking"') == titles("buddywerking")
    assert titles('buddy"werking') == titles("buddy werking")


def test_thousands_of_words_search_the_first_ones(demo):
    found = titles("buddywerking " * 2500)
    assert found
    assert set(found) <= set(titles("buddywerking"))


@pytest.mark.parametrize("query", ["\x00", '"', "\ud800", "  \x01 \n "])
def test_nothing_left_after_cleaning_finds_nothing(demo, query):
    assert titles(query) == []


def test_the_search_page_and_the_api_take_quotes(client, demo):
    page = client.get("/nl/search/", QUERY_STRING="q=%22buddywerking")
    assert page.status_code == 200
    assert page.context["results"].paginator.count > 0
    api = client.get("/api/v2/pages/", QUERY_STRING="search=%22buddywerking%22&locale=nl")
    assert api.status_code == 200
    assert api.json()["meta"]["total_count"] > 0


def test_clean_text_keeps_words_and_drops_what_breaks_a_search():
    assert clean_text('ca\x00fé "Hoe gaat het?"') == "ca fé Hoe gaat het?"
    assert clean_text("\u202ebidi\u2066") == "\u202ebidi\u2066"
    assert len(clean_text("a " * 1000).split()) == MAX_WORDS


def test_query_objects_from_the_admin_are_cleaned_too():
    query = clean_query(And([PlainText('a"b'), Phrase("c\x00d")]))
    assert [sub.query_string for sub in query.subqueries] == ["a b", "c d"]
