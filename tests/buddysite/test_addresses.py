import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def result_titles(response) -> list[str]:
    return [page.title for page in response.context["results"]]


def test_a_nul_byte_in_a_search_is_ignored(client, demo):
    plain = client.get("/nl/search/", {"q": "buddy"})
    response = client.get("/nl/search/", QUERY_STRING="q=%00buddy%00")
    assert response.status_code == 200
    assert response.context["query"] == "buddy"
    assert result_titles(plain), "the demo content has no page about buddies"
    assert result_titles(response) == result_titles(plain)


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%01%1B%7F", "q%00=x"])
def test_control_characters_in_a_search_give_a_page(client, demo, query):
    response = client.get("/ar/search/", QUERY_STRING=query)
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"


def test_the_api_searches_without_the_nul_byte(client, demo):
    response = client.get("/api/v2/pages/", QUERY_STRING="search=%00buddywerking&locale=nl")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    expected = client.get("/api/v2/pages/", {"search": "buddywerking", "locale": "nl"}).json()
    assert titles == [item["title"] for item in expected["items"]]
    assert titles


def test_line_breaks_become_spaces_and_the_query_string_agrees(rf):
    from buddypages.core.queries import QueryStringMiddleware

    seen = {}

    def view(request):
        seen["GET"] = request.GET.copy()
        seen["path"] = request.get_full_path()

    request = rf.get("/nl/search/", QUERY_STRING="q=taal%0Atips%00&q=%ED%A0%80x&page=2")
    QueryStringMiddleware(view)(request)
    assert seen["GET"].getlist("q") == ["taal tips", "\ufffd\ufffd\ufffdx"]
    assert seen["GET"]["page"] == "2"
    assert seen["path"] == "/nl/search/?q=taal+tips&q=%EF%BF%BD%EF%BF%BD%EF%BF%BDx&page=2"


def test_a_clean_query_string_is_left_as_it_is(rf):
    from buddypages.core.queries import QueryStringMiddleware

    request = rf.get("/nl/search/", QUERY_STRING="q=caf%C3%A9+%E2%80%AE&page=1")
    QueryStringMiddleware(lambda request: None)(request)
    assert request.META["QUERY_STRING"] == "q=caf%C3%A9+%E2%80%AE&page=1"
    assert request.GET["q"] == "café \u202e"


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/99999999/", "/api/v2/nothing/", "/api/nothing", "/api/v2/pages/x/"]
)
def test_api_addresses_that_do_not_exist_are_not_redirected(client, demo, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message"}


def test_pages_without_a_language_are_still_redirected_to_one(client, demo):
    response = client.get("/buddywerking/", headers={"accept-language": "ar"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/buddywerking/"


def test_a_missing_page_is_still_an_html_page_in_its_language(demo):
    response = Client().get("/ar/does-not-exist/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert 'lang="ar"' in response.content.decode()
