"""The plugin's own views and API take hostile query strings in any host: without the
example host's query-string middleware and with Wagtail's stock search backend."""

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "a%00b", "%22", "%ED%A0%80", "x" * 10_000]


@pytest.fixture
def stock_host(settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("QueryStringMiddleware")
    ]
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    return settings


@pytest.mark.parametrize("value", HOSTILE, ids=["nul", "inner-nul", "quote", "surrogate", "long"])
def test_hostile_values_get_an_answer_not_a_server_error(demo, stock_host, client, value):
    client.raise_request_exception = False
    for path, name in (
        ("/api/v2/pages/", "search"),
        ("/api/v2/pages/", "locale"),
        ("/api/v2/pages/", "theme_key"),
        ("/api/v2/images/", "search"),
        ("/api/v2/occurrences/", "locale"),
        ("/nl/taaltips/", "theme"),
        ("/nl/taaltips/", "level"),
    ):
        extra = "&start=2026-12-01&end=2027-01-01" if "occurrences" in path else ""
        response = client.get(path, QUERY_STRING=f"{name}={value}{extra}")
        assert response.status_code < 500, (path, name, value[:20], response.status_code)


def test_a_search_with_a_nul_byte_searches_the_rest(demo, stock_host, client):
    found = client.get(
        "/api/v2/pages/", QUERY_STRING="search=%00Buddywerking&type=buddypages.ProgrammePage"
    )
    assert found.status_code == 200
    assert found.json()["meta"]["total_count"] >= 1
