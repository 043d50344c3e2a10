import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from buddypages.models import HomePage

pytestmark = pytest.mark.django_db


def cache_state(response) -> str | None:
    return response.get("X-Page-Cache")


def test_anonymous_views_are_served_from_the_cache(client, demo):
    assert cache_state(client.get("/nl/")) == "miss"
    second = client.get("/nl/")
    assert cache_state(second) == "hit"
    assert "Samen Nederlands oefenen" in second.content.decode()


def test_publishing_shows_the_change_at_once(client, demo):
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    page = HomePage.objects.get(pk=demo.home_pages["nl"].pk)
    page.title = "Nieuwe titel voor de buddywerking"
    page.save_revision().publish()
    response = client.get("/nl/")
    assert "Nieuwe titel voor de buddywerking" in response.content.decode()
    assert cache_state(response) == "miss"


def test_unpublishing_shows_at_once(client, demo):
    client.get("/en/")
    assert cache_state(client.get("/en/")) == "hit"
    demo.home_pages["en"].unpublish()
    assert client.get("/en/").status_code == 302


def test_moving_a_page_invalidates_the_cache(client, demo):
    nl_home = demo.home_pages["nl"]
    child = Page(title="Over ons", slug="over-ons", locale=nl_home.locale)
    nl_home.add_child(instance=child)
    child.save_revision().publish()
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    child.move(demo.home_pages["en"], pos="last-child")
    assert cache_state(client.get("/nl/")) == "miss"


def test_deleting_a_page_invalidates_the_cache(client, demo):
    client.get("/so/")
    assert cache_state(client.get("/so/")) == "hit"
    Page.objects.get(pk=demo.home_pages["so"].pk).delete()
    assert client.get("/so/").status_code in {302, 404}


def test_logged_in_editors_are_never_served_from_or_stored_in_the_cache(client, demo):
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    client.force_login(get_user_model().objects.get(username="editor"))
    for _ in range(2):
        response = client.get("/nl/")
        assert response.status_code == 200
        assert cache_state(response) is None
    # The editor's view (with the Wagtail user bar) must not leak to visitors.
    client.logout()
    anonymous = client.get("/nl/")
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_previews_are_never_cached(client, demo):
    client.force_login(get_user_model().objects.get(username="editor"))
    page = demo.home_pages["nl"]
    url = f"/admin/pages/{page.pk}/edit/preview/"
    response = client.get(url)
    assert response.status_code == 200
    assert cache_state(response) is None


def test_healthz_and_admin_are_not_cached(client, demo):
    assert cache_state(client.get("/healthz")) is None
    assert cache_state(client.get("/healthz")) is None
    assert cache_state(client.get("/admin/login/")) is None


def test_making_a_page_private_hides_it_at_once_and_its_form_is_not_cached(client, demo):
    client.get("/fr/")
    assert cache_state(client.get("/fr/")) == "hit"
    PageViewRestriction.objects.create(
        page=demo.home_pages["fr"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="buddy-secret",
    )
    for _ in range(2):
        response = client.get("/fr/")
        body = response.content.decode()
        assert "Pratiquer le néerlandais ensemble" not in body
        assert 'type="password"' in body
        # The password form carries a CSRF token: never stored.
        assert cache_state(response) is None


def test_private_pages_stay_out_of_the_shared_api_cache(client, demo):
    PageViewRestriction.objects.create(
        page=demo.home_pages["fr"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="buddy-secret",
    )
    # A visitor who unlocked the page has a session: their view is never shared.
    visitor = client.__class__()
    visitor.cookies["sessionid"] = "any-session"
    assert cache_state(visitor.get("/api/v2/pages/", {"locale": "fr"})) is None
    anonymous = client.get("/api/v2/pages/", {"locale": "fr"}).json()
    assert anonymous["meta"]["total_count"] == 0


def test_pages_with_query_strings_are_not_stored(client, demo):
    for _ in range(2):
        assert cache_state(client.get("/nl/", {"utm_source": "flyer"})) is None


def test_deleting_a_document_removes_it_from_the_cached_api_at_once(client, demo):
    document = get_document_model().objects.create(
        title="Folder", file=ContentFile(b"%PDF-1.4 demo", name="folder.pdf")
    )
    client.get("/api/v2/documents/")
    listing = client.get("/api/v2/documents/")
    assert cache_state(listing) == "hit"
    assert listing.json()["meta"]["total_count"] == 1
    document.delete()
    assert client.get("/api/v2/documents/").json()["meta"]["total_count"] == 0


def test_migrate_invalidates_the_cache(client, demo):
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    call_command("migrate", verbosity=0)
    assert cache_state(client.get("/nl/")) == "miss"


def test_switcher_follows_a_translation_being_unpublished_at_once(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the switcher has its own cache: test it alone
    assert 'href="/fr/" lang="fr"' in client.get("/en/").content.decode()
    demo.home_pages["fr"].unpublish()
    body = client.get("/en/").content.decode()
    assert 'href="/nl/" lang="fr"' in body
    assert 'href="/fr/" lang="fr"' not in body


def test_site_lookup_follows_a_changed_site_at_once(client, demo, settings):
    from wagtail.models import Site

    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    assert client.get("/nl/", HTTP_HOST="buddy.example.be").status_code == 200
    # A second site for that host, rooted at the English home page.
    Site.objects.create(
        hostname="buddy.example.be", port=80, root_page=demo.home_pages["en"], site_name="EN"
    )
    response = client.get("/en/", HTTP_HOST="buddy.example.be")
    assert response.status_code == 200
    assert "· EN</title>" in response.content.decode()


def test_password_form_is_in_the_site_layout_and_language(client, demo):
    PageViewRestriction.objects.create(
        page=demo.home_pages["ar"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="buddy-secret",
    )
    body = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "هذه الصفحة محمية" in body
    assert 'class="skip-link"' in body


def test_answers_that_vary_by_language_header_are_not_stored(client, demo):
    """The key has no Accept-Language: the API's answers (which vary by it) are never shared,
    or an Arabic reader would get a Dutch error or a Dutch Content-Language."""
    arabic = client.get("/api/v3/tips/?locale=ar", HTTP_ACCEPT_LANGUAGE="ar")
    assert "accept-language" in arabic["Vary"].lower()
    assert cache_state(arabic) is None
    dutch = client.get("/api/v3/tips/?locale=ar", HTTP_ACCEPT_LANGUAGE="nl")
    assert cache_state(dutch) is None
    assert dutch["Content-Language"] == "ar"  # ?locale= chose the language
    assert (
        client.get("/api/v3/tips/?locale=ar", HTTP_IF_NONE_MATCH=arabic["ETag"]).status_code == 304
    )


def test_views_that_check_their_query_string_may_be_stored_with_it(rf, demo, settings):
    """The screen and the widgets validate their parameters (an unknown one is a redirect),
    so their responses are stored under the full address, and served from it next time."""
    from django.http import HttpResponse

    from buddysite.cache import AnonymousPageCacheMiddleware

    calls = []

    def view(request):
        calls.append(request.GET.get("langs"))
        response = HttpResponse("screen")
        response.cache_with_query = True
        return response

    middleware = AnonymousPageCacheMiddleware(view)
    assert cache_state(middleware(rf.get("/nl/screen/", {"langs": "nl,ar"}))) == "miss"
    assert cache_state(middleware(rf.get("/nl/screen/", {"langs": "nl,ar"}))) == "hit"
    assert cache_state(middleware(rf.get("/nl/screen/", {"langs": "nl,uk"}))) == "miss"
    assert calls == ["nl,ar", "nl,uk"]


# --- From the front of the stack ----------------------------------------------------------


def test_a_hit_is_the_miss_with_its_headers(client, demo):
    miss = client.get("/nl/buddywerking/")
    hit = client.get("/nl/buddywerking/")
    assert (cache_state(miss), cache_state(hit)) == ("miss", "hit")
    assert hit.content == miss.content
    headers = {name: value for name, value in miss.items() if name != "X-Page-Cache"}
    assert {name: value for name, value in hit.items() if name != "X-Page-Cache"} == headers
    # The security middlewares' headers, which a hit answered before them must still carry.
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Content-Language",
    ):
        assert hit[name], name
    assert hit["Cache-Control"] == "public, max-age=60, s-maxage=600"


def test_a_hit_runs_no_session_csrf_or_authentication(client, demo, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware

    client.get("/nl/")

    def must_not_run(self, request, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} ran for a cache hit")

    monkeypatch.setattr(SessionMiddleware, "process_request", must_not_run)
    monkeypatch.setattr(CsrfViewMiddleware, "process_request", must_not_run)
    hit = client.get("/nl/")
    assert cache_state(hit) == "hit"
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_a_hit_reads_nothing_from_the_database(client, demo, settings, django_assert_num_queries):
    settings.PAGE_CACHE_GENERATION_SECONDS = 60
    client.get("/nl/")
    with django_assert_num_queries(0):
        assert cache_state(client.get("/nl/")) == "hit"


def test_another_process_publishing_shows_within_the_generation_interval(
    client, demo, settings, monkeypatch
):
    """A hit reads the generation at most every PAGE_CACHE_GENERATION_SECONDS; a bump made by
    another process (here: straight in the database) shows once that time has passed."""
    from django.db import connection

    from buddypages.core import generation

    settings.PAGE_CACHE_GENERATION_SECONDS = 5
    now = [1000.0]
    monkeypatch.setattr(generation, "_clock", lambda: now[0])
    generation.forget_recent_generation()
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    table = generation.ContentGeneration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = value + 1")  # noqa: S608
    now[0] += 4
    assert cache_state(client.get("/nl/")) == "hit"
    now[0] += 1
    assert cache_state(client.get("/nl/")) == "miss"


def test_this_process_publishing_shows_at_once_whatever_the_interval(client, demo, settings):
    from buddypages.core import generation

    settings.PAGE_CACHE_GENERATION_SECONDS = 3600
    generation.forget_recent_generation()
    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    page = HomePage.objects.get(pk=demo.home_pages["nl"].pk)
    page.title = "Meteen zichtbaar"
    page.save_revision().publish()
    response = client.get("/nl/")
    assert cache_state(response) == "miss"
    assert "Meteen zichtbaar" in response.content.decode()


def test_a_request_with_a_session_cookie_is_never_served_from_the_cache(client, demo):
    from django.test import Client

    client.get("/nl/")
    assert cache_state(client.get("/nl/")) == "hit"
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-real-session"
    for _ in range(2):
        response = visitor.get("/nl/")
        assert response.status_code == 200
        assert cache_state(response) is None
        assert response["Cache-Control"] == "private, no-store"


def test_a_csrf_cookie_alone_does_not_keep_a_visitor_from_the_cache(client, demo):
    """Stored pages hold no form token, so the visitor's CSRF cookie changes nothing in them."""
    client.get("/nl/")
    client.cookies["csrftoken"] = "a" * 32
    hit = client.get("/nl/")
    assert cache_state(hit) == "hit"
    assert "csrfmiddlewaretoken" not in hit.content.decode()


def test_a_form_page_is_private_and_never_stored(client, demo):
    page = demo.registration_pages["newcomer"]
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert cache_state(response) is None
        assert response["Cache-Control"] == "private, no-store"


def personal_urls(demo) -> dict[str, str]:
    from datetime import timedelta

    from buddypages.duos.models import Duo
    from buddypages.duos.tokens import duo_link_token
    from buddypages.registry.models import Participant
    from buddypages.registry.tokens import newsletter_confirm_token
    from newsletter.tokens import unsubscribe_token
    from tests.buddypages import factories

    participant = Participant.objects.exclude(email="").first()
    calendar = factories.calendar(factories.home_page("nl"), slug="cache-kalender")
    start = factories.next_day_at(14)
    activity = factories.activity(
        calendar, "Wandeling", start, start + timedelta(hours=2), slug="wandeling", capacity=3
    )
    signup = factories.sign_up(activity, "ann@example.org")
    return {
        "duo log": f"/nl/duo/{duo_link_token(Duo.objects.first(), 'volunteer')}/",
        "unsubscribe": f"/nl/newsletter/unsubscribe/"
        f"{unsubscribe_token(participant.pk, participant.email)}/",
        "newsletter confirmation": f"/nl/newsletter/confirm/"
        f"{newsletter_confirm_token(participant)}/",
        "activity cancel link": f"{activity.url}cancel/{signup.token}/",
    }


def test_personal_pages_say_so_and_are_never_stored(client, demo):
    for name, url in personal_urls(demo).items():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, name
            assert cache_state(response) is None, name
            words = {word.strip() for word in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= words, name


def test_cache_control_of_what_is_not_stored(client, demo):
    assert client.get("/nl/no-such-page/")["Cache-Control"] == "no-cache"
    assert client.get("/nl/", {"utm_source": "flyer"})["Cache-Control"] == "no-cache"
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]
    # The API: publishing purges only some of its addresses, so no s-maxage.
    assert client.get("/api/v2/pages/")["Cache-Control"] == "public, max-age=60"


def test_the_language_outside_the_prefixes_is_part_of_the_key(client, demo):
    """/api/v2/ answers in the visitor's language (Content-Language): one entry per language."""
    dutch = client.get("/api/v2/pages/", HTTP_ACCEPT_LANGUAGE="nl")
    french = client.get("/api/v2/pages/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (cache_state(dutch), cache_state(french)) == ("miss", "miss")
    again = client.get("/api/v2/pages/", HTTP_ACCEPT_LANGUAGE="fr")
    assert cache_state(again) == "hit"
    assert again["Content-Language"] == "fr"


def test_a_disallowed_host_gets_the_stacks_own_answer(client, demo):
    response = client.get("/nl/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Security-Policy"]


def test_with_the_page_cache_off_a_cache_in_front_may_still_keep_public_pages(
    client, demo, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        response = client.get("/nl/")
        assert cache_state(response) is None
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=600"
    assert client.get("/nl/no-such-page/")["Cache-Control"] == "no-cache"


def test_the_wsgi_entry_answers_a_hit_before_djangos_handler(client, demo, rf):
    """buddysite.wsgi wraps Django's handler: a hit never reaches it, and is the same answer."""
    from buddysite.cache import serve_hits_first

    client.get("/nl/")
    through_django = client.get("/nl/")
    assert cache_state(through_django) == "hit"

    def django_handler(environ, start_response):
        raise AssertionError("a hit reached Django's handler")

    answered = {}

    def start_response(status, headers):
        answered.update(status=status, headers=headers)

    environ = rf.get("/nl/").environ
    body = b"".join(serve_hits_first(django_handler)(environ, start_response))
    assert answered["status"] == "200 OK"
    assert body == through_django.content
    assert dict(answered["headers"]) == dict(through_django.items())


def test_the_wsgi_entry_hands_everything_else_to_django(client, demo, rf):
    from buddysite.cache import serve_hits_first

    calls = []

    def django_handler(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    serve = serve_hits_first(django_handler)
    client.get("/nl/")  # stored
    requests = [
        rf.get("/nl/taaltips/"),  # not stored yet
        rf.get("/nl/", HTTP_COOKIE="sessionid=abc"),  # a session
        rf.post("/nl/"),
        rf.get("/nl/", HTTP_HOST="evil.example"),  # not an allowed host
        rf.get("/api/v3/tips/"),  # varies by Origin: never stored
    ]
    for request in requests:
        serve(request.environ, lambda status, headers: None)
    assert calls == ["/nl/taaltips/", "/nl/", "/nl/", "/nl/", "/api/v3/tips/"]
