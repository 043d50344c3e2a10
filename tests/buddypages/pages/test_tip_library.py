"""A region's tips library, kept once and translated once, included by municipalities' sites."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale, Page, Site

from buddypages.core.languages import text_direction
from buddypages.models import HomePage, LanguageTipIndexPage
from buddypages.pages.selectors import language_tip_of_the_week, tips_of_the_week
from buddysite.demo.translate import translate_instance
from tests.buddypages import factories
from tests.buddypages.atom_feeds import ATOM, XML_LANG, read_feed

pytestmark = pytest.mark.django_db

API = "/api/v3"
SECOND_HOST = "beekdorp.example"
# The library's tips; "Het containerpark" is translated into French and Arabic only.
TRANSLATED = "Het containerpark"
UNTRANSLATED = "De gemeentelijke premie"
ARABIC_MEANING = "المكان الذي تأخذ إليه النفايات الكبيرة."
FRENCH_MEANING = "Le lieu où vous apportez les gros déchets."
DUTCH_MEANING = "De plaats waar je grof afval naartoe brengt."


LANGUAGES = ("en", "fr", "ar", "uk")
# Wagtail's routing and the site's look (11), the overview's own tips, the library and its
# tips in Dutch and in the feed's language (each with their restrictions), the Dutch overview
# for the tips still in Dutch: however many tips there are.
FEED_QUERIES = 21


def _locale(language_code="nl"):
    return Locale.objects.get_or_create(language_code=language_code)[0]


@pytest.fixture
def heidestad(db):
    """The default site, on a home page of its own: a tips overview with one tip, in five
    languages (whatever else the database holds, e.g. the demo)."""
    home = HomePage(title="Welkom in Heidestad", slug="heidestad", locale=_locale())
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    overview = factories.tip_index(home)
    overview.save_revision().publish()
    own = factories.tip(overview, "Hoe gaat het?")
    own.save_revision().publish()
    for code in LANGUAGES:
        for page in (home, overview, own):
            translate_instance(page, _locale(code), {})
    return overview


@pytest.fixture
def library(heidestad):
    """The region's library: a tips overview outside every site, two tips, one translated."""
    library = LanguageTipIndexPage(
        title="Taaltips van de regio", slug="bibliotheek-test", locale=_locale()
    )
    Page.get_first_root_node().add_child(instance=library)
    library.save_revision().publish()
    park = factories.tip(library, TRANSLATED, level="A2", meaning=DUTCH_MEANING)
    park.save_revision().publish()
    premium = factories.tip(library, UNTRANSLATED, level="B1", meaning="Geld van de gemeente.")
    premium.save_revision().publish()
    for code, meaning in (("ar", ARABIC_MEANING), ("fr", FRENCH_MEANING)):
        translate_instance(library, _locale(code), {})
        translate_instance(park, _locale(code), {DUTCH_MEANING: meaning})
    return library


def _include(overview, library):
    overview.tip_library = library
    overview.save_revision().publish()


@pytest.fixture
def second_site(heidestad, settings):
    """Beekdorp on its own host: its own home page, tips overview and one tip."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SECOND_HOST]
    home = HomePage(title="Welkom in Beekdorp", slug="beekdorp", locale=_locale())
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname=SECOND_HOST, port=80, root_page=home, site_name="Beekdorp")
    index = factories.tip_index(home)
    index.save_revision().publish()
    factories.tip(index, "De kermis").save_revision().publish()
    return index


def _cards(html: str) -> list[tuple[str, str]]:
    """(opening tag, inner HTML) of each tip card."""
    return re.findall(r'(<article class="tip-card"[^>]*>)(.*?)</article>', html, re.S)


def _listing(html: str) -> str:
    return html.split('id="tips-heading"', 1)[1]


# The listing ------------------------------------------------------------------------------


def test_a_site_including_the_library_lists_its_tips_in_the_readers_language(
    client, library, heidestad
):
    _include(heidestad, library)
    html = client.get("/ar/taaltips/").text
    listing = _listing(html)
    assert ARABIC_MEANING in listing
    assert DUTCH_MEANING not in listing
    cards = {
        re.search(r'lang="nl" dir="ltr">([^<]+)</span>', inner).group(1): (tag, inner)
        for tag, inner in _cards(listing)
    }
    assert "Hoe gaat het?" in cards  # its own tips stay
    park_tag, park = cards[TRANSLATED]
    assert park_tag == '<article class="tip-card">'  # Arabic, as the page
    assert 'href="/ar/taaltips/library/het-containerpark/"' in park
    premium_tag, premium = cards[UNTRANSLATED]
    assert premium_tag == '<article class="tip-card" lang="nl" dir="ltr">'
    assert "Geld van de gemeente." in premium
    assert 'hreflang="nl"' in premium


def test_a_site_not_including_the_library_does_not_list_it(client, library, heidestad, second_site):
    _include(heidestad, library)
    first = client.get("/nl/taaltips/").text
    second = client.get(second_site.get_url(), HTTP_HOST=SECOND_HOST).text
    assert TRANSLATED in first
    assert "De kermis" in second
    assert TRANSLATED not in second
    assert UNTRANSLATED not in second
    address = second_site.get_url() + "library/het-containerpark/"
    assert client.get(address, HTTP_HOST=SECOND_HOST).status_code == 404


def test_without_a_library_nothing_changes(client, library, heidestad):
    html = client.get("/ar/taaltips/").text
    assert TRANSLATED not in html
    assert client.get("/ar/taaltips/library/het-containerpark/").status_code == 404


def test_the_filters_apply_to_the_librarys_tips_too(client, library, heidestad):
    _include(heidestad, library)
    french = heidestad.get_translation(_locale("fr")).url
    a2 = _listing(client.get(french, {"level": "A2"}).text)
    b1 = _listing(client.get("/nl/taaltips/", {"level": "B1"}).text)
    assert FRENCH_MEANING in a2
    assert UNTRANSLATED not in a2
    assert UNTRANSLATED in b1
    assert TRANSLATED not in b1


# Reading one tip --------------------------------------------------------------------------


def test_a_library_tip_is_read_on_the_sites_own_address_in_its_language(client, library, heidestad):
    _include(heidestad, library)
    response = client.get("/ar/taaltips/library/het-containerpark/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    assert ARABIC_MEANING in html
    assert 'href="/ar/taaltips/">' in html  # back to this site's overview, not the library's
    assert 'href="/ar/taaltips/feed/"' in html
    assert "bibliotheek-test" not in html  # the library has no address of its own here


def test_an_untranslated_library_tip_is_read_in_dutch_at_the_dutch_address(
    client, library, heidestad
):
    _include(heidestad, library)
    response = client.get("/ar/taaltips/library/de-gemeentelijke-premie/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/taaltips/library/de-gemeentelijke-premie/"
    html = client.get(response["Location"]).text
    assert '<html lang="nl" dir="ltr">' in html
    assert "Geld van de gemeente." in html
    assert client.get("/ar/taaltips/library/bestaat-niet/").status_code == 404


def test_editing_the_library_tip_changes_it_on_every_site(client, library, heidestad, second_site):
    _include(heidestad, library)
    _include(second_site, library)
    assert client.get("/nl/taaltips/").status_code == 200  # remembered from now on
    park = library.get_children().get(slug="het-containerpark").specific
    park.meaning = "Het recyclagepark: daar breng je grof afval naartoe."
    park.save_revision().publish()
    first = client.get("/nl/taaltips/").text
    second = client.get(second_site.get_url(), HTTP_HOST=SECOND_HOST).text
    tip = client.get(second_site.get_url() + "library/het-containerpark/", HTTP_HOST=SECOND_HOST)
    for html in (first, second, tip.text):
        assert "Het recyclagepark: daar breng je grof afval naartoe." in html
        assert DUTCH_MEANING not in html


def test_an_overview_cannot_include_itself(heidestad):
    heidestad.tip_library = heidestad
    with translation.override("en"), pytest.raises(ValidationError, match="its own tips"):
        heidestad.full_clean()
    arabic = heidestad.get_translation(_locale("ar")).specific
    arabic.tip_library = heidestad
    with pytest.raises(ValidationError):
        arabic.full_clean()


def test_every_listed_tip_carries_its_language_and_direction(client, library, heidestad):
    """In every language: a card in the page's language has no ``lang`` of its
    own (the page's holds, with its direction); a library tip not translated into it is
    marked Dutch, left to right."""
    _include(heidestad, library)
    translated_into = {"nl", "fr", "ar"}
    for overview in LanguageTipIndexPage.objects.filter(translation_key=heidestad.translation_key):
        code = overview.locale.language_code
        html = client.get(overview.get_url()).text
        assert f'<html lang="{code}" dir="{text_direction(code)}">' in html
        cards = _cards(_listing(html))
        assert cards, code
        for tag, inner in cards:
            phrase = re.search(r'lang="nl" dir="ltr">([^<]+)</span>', inner).group(1)
            dutch_here = phrase == UNTRANSLATED or (
                phrase == TRANSLATED and code not in translated_into
            )
            if dutch_here and code != "nl":
                assert tag == '<article class="tip-card" lang="nl" dir="ltr">', (code, phrase)
            else:
                assert tag == '<article class="tip-card">', (code, phrase)
        phrases = "".join(inner for _tag, inner in cards)
        assert TRANSLATED in phrases, code
        assert UNTRANSLATED in phrases, code


def test_the_listing_stays_within_its_query_budget(
    client, library, heidestad, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    _include(heidestad, library)
    for number in range(30):
        factories.tip(library, f"Regiozin {number}").save_revision().publish()
    client.get("/ar/taaltips/")
    for query in ("?page=2", "?level=A1", "?level=B1&page=1"):
        with django_assert_max_num_queries(10):
            assert client.get("/ar/taaltips/" + query).status_code == 200


# The API ----------------------------------------------------------------------------------


def _items(client, url, **headers):
    response = client.get(API + url, **headers)
    assert response.status_code == 200, response.content[:500]
    return {item["phrase"]: item for item in response.json()["items"]}


def test_the_api_lists_the_librarys_tips_with_the_sites_own(client, library, heidestad):
    _include(heidestad, library)
    items = _items(client, "/tips/?locale=ar&limit=100")
    origin = Site.objects.get(is_default_site=True).root_url
    own = items["Hoe gaat het?"]
    assert own["library"] is False
    park = items[TRANSLATED]
    assert park["library"] is True
    assert park["locale"] == "ar"
    assert park["meaning"] == ARABIC_MEANING
    assert park["url"] == f"{origin}/ar/taaltips/library/het-containerpark/"
    assert park["path"] == "/ar/taaltips/library/het-containerpark/"
    assert {t["locale"]: t["url"] for t in park["translations"]} == {
        "fr": f"{origin}{heidestad.get_translation(_locale('fr')).url}library/het-containerpark/",
        "nl": f"{origin}/nl/taaltips/library/het-containerpark/",
    }
    premium = items[UNTRANSLATED]
    assert premium["locale"] == "nl"  # in Dutch until translated: a front end marks lang="nl"
    assert premium["url"] == f"{origin}/nl/taaltips/library/de-gemeentelijke-premie/"
    assert set(_items(client, "/tips/?locale=ar&level=B1&limit=100")) >= {UNTRANSLATED}
    assert TRANSLATED not in _items(client, "/tips/?locale=ar&level=B1&limit=100")
    every_language = client.get(API + "/tips/?limit=100").json()["items"]
    park_languages = {i["locale"] for i in every_language if i["phrase"] == TRANSLATED}
    assert park_languages == {"nl", "fr", "ar"}


def test_the_api_of_a_site_not_including_the_library_leaves_it_out(
    client, library, heidestad, second_site
):
    _include(heidestad, library)
    items = _items(client, f"/tips/?site={SECOND_HOST}&limit=100")
    assert set(items) == {"De kermis"}
    assert all(item["library"] is False for item in items.values())


def test_the_tip_of_the_week_may_be_the_librarys(client, library, second_site):
    _include(second_site, library)
    # The newest tip Beekdorp lists is the library's: another site's newer tip is never it.
    newest = factories.tip(library, "De nieuwste regiotip")
    newest.save_revision().publish()
    tip = client.get(API + f"/tips/of-the-week/?site={SECOND_HOST}&locale=nl").json()
    assert tip["phrase"] == "De nieuwste regiotip"
    assert tip["library"] is True
    assert tip["path"].endswith("/library/de-nieuwste-regiotip/")
    html = client.get(second_site.get_url(), HTTP_HOST=SECOND_HOST).text
    week = html.split('id="totw-heading"', 1)[1].split("</section>", 1)[0]
    assert "De nieuwste regiotip" in week
    assert "/library/de-nieuwste-regiotip/" in week


def test_a_library_outside_every_site_is_never_the_newest_tip_of_a_language(library, heidestad):
    """Widgets, screens and newsletters link to the newest tip of a language: a library tip
    outside every site has no address of its own, so it is never that tip."""
    newest = factories.tip(library, "De allernieuwste regiotip")
    newest.save_revision().publish()
    dutch = _locale()
    found = language_tip_of_the_week(locale=dutch)
    assert found is not None
    assert found.url is not None
    assert found.phrase != "De allernieuwste regiotip"
    screen = tips_of_the_week(indexes=[library])[library.pk]
    assert screen is not None
    assert screen.url is not None


# The feed ---------------------------------------------------------------------------------


def _phrase(entry) -> str:
    return entry.summary.split("\n", 1)[0]


def _entry_languages(feed) -> dict[str, str | None]:
    """Each entry's own ``xml:lang`` (None: the feed's), by phrase."""
    return {
        entry.findtext(f"{{{ATOM}}}summary").split("\n", 1)[0]: entry.get(XML_LANG)
        for entry in feed.root.findall(f"{{{ATOM}}}entry")
    }


def test_the_feed_lists_the_librarys_tips_as_the_overview_does(client, library, heidestad):
    _include(heidestad, library)
    origin = Site.objects.get(is_default_site=True).root_url
    arabic = heidestad.get_translation(_locale("ar"))
    feed = read_feed(client.get(f"{arabic.url}feed/"))
    listing = _cards(_listing(client.get(arabic.url).text))
    shown = [
        re.search(r'lang="nl" dir="ltr">([^<]+)</span>', inner).group(1) for _t, inner in listing
    ]
    assert [_phrase(entry) for entry in feed.entries] == shown
    assert set(shown) == {"Hoe gaat het?", TRANSLATED, UNTRANSLATED}
    entries = {_phrase(entry): entry for entry in feed.entries}
    park = entries[TRANSLATED]
    assert park.link == f"{origin}/ar/taaltips/library/het-containerpark/"
    assert ARABIC_MEANING in park.summary
    # Still in Dutch: marked so, at the address where the Arabic one sends a reader.
    premium = entries[UNTRANSLATED]
    assert premium.link == f"{origin}/nl/taaltips/library/de-gemeentelijke-premie/"
    assert _entry_languages(feed) == {"Hoe gaat het?": None, TRANSLATED: None, UNTRANSLATED: "nl"}
    for entry in feed.entries:
        assert client.get(urlsplit(entry.link).path).status_code == 200, entry.link
    assert "bibliotheek-test" not in str(feed.entries)  # the library has no address of its own


def test_a_library_tips_entry_id_is_stable_and_its_own_per_site(
    client, library, heidestad, second_site
):
    _include(heidestad, library)
    _include(second_site, library)

    def ids(url, **headers):
        return {_phrase(e): e.id for e in read_feed(client.get(f"{url}feed/", **headers)).entries}

    arabic = heidestad.get_translation(_locale("ar"))
    before = ids(arabic.url)
    beekdorp = ids(second_site.get_url(), HTTP_HOST=SECOND_HOST)
    assert beekdorp[TRANSLATED] != ids("/nl/taaltips/")[TRANSLATED]
    assert before[TRANSLATED] != ids("/nl/taaltips/")[TRANSLATED]  # one per language
    # Translated into Arabic, the Dutch entry becomes an Arabic one: the same entry.
    premium = library.get_children().get(slug="de-gemeentelijke-premie")
    translate_instance(premium, _locale("ar"), {})
    after = read_feed(client.get(f"{arabic.url}feed/"))
    assert _entry_languages(after)[UNTRANSLATED] is None
    assert {_phrase(e): e.id for e in after.entries} == before
    assert before[UNTRANSLATED].startswith("urn:uuid:")


def test_a_feed_not_including_the_library_leaves_it_out(client, library, heidestad, second_site):
    _include(heidestad, library)
    including = read_feed(client.get("/nl/taaltips/feed/"))
    assert {TRANSLATED, UNTRANSLATED} <= {_phrase(entry) for entry in including.entries}
    feed = read_feed(client.get(f"{second_site.get_url()}feed/", HTTP_HOST=SECOND_HOST))
    assert [_phrase(entry) for entry in feed.entries] == ["De kermis"]


def test_the_feed_of_library_tips_stays_within_its_query_budget(
    client, library, heidestad, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the feed, not the page cache
    _include(heidestad, library)
    client.get("/ar/")  # the site lookup is cached from now on, as on a running site
    for number in range(25):
        factories.tip(library, f"Regiozin {number}").save_revision().publish()
    with django_assert_max_num_queries(FEED_QUERIES):
        feed = read_feed(client.get("/ar/taaltips/feed/"))
    assert len(feed.entries) == 20
    assert _entry_languages(feed)["Regiozin 24"] == "nl"


# A library tip by its address ---------------------------------------------------------------


def _find(client, path, **headers):
    return client.get(f"{API}/find/", {"path": path, "locale": "en"}, **headers)


def test_find_turns_a_library_tips_address_into_the_tip(client, library, heidestad):
    _include(heidestad, library)
    listed = _items(client, "/tips/?locale=ar&limit=100")
    response = _find(client, "/ar/taaltips/library/het-containerpark/")
    assert response.status_code == 200, response.content[:500]
    park = response.json()
    assert park == listed[TRANSLATED]  # as the tips list gives it
    assert park["library"] is True
    assert park["locale"] == "ar"
    assert park["path"] == "/ar/taaltips/library/het-containerpark/"
    assert park["meaning"] == ARABIC_MEANING
    assert park["type"] == "buddypages.LanguageTipPage"
    # Without a language prefix: the main language's.
    dutch = _find(client, "/taaltips/library/het-containerpark").json()
    assert (dutch["locale"], dutch["path"]) == ("nl", "/nl/taaltips/library/het-containerpark/")
    # Not translated yet: the Dutch tip, at the Dutch address the site sends a reader to.
    premium = _find(client, "/ar/taaltips/library/de-gemeentelijke-premie/").json()
    assert premium == listed[UNTRANSLATED]
    assert (premium["locale"], premium["library"]) == ("nl", True)
    assert premium["path"] == "/nl/taaltips/library/de-gemeentelijke-premie/"


def test_find_answers_404_for_a_library_the_site_does_not_include_or_a_tip_not_in_it(
    client, library, heidestad, second_site
):
    _include(heidestad, library)
    assert _find(client, "/ar/taaltips/library/het-containerpark/").status_code == 200
    beekdorp = urlsplit(second_site.get_url()).path + "library/het-containerpark/"
    for path, headers in (
        (beekdorp, {"HTTP_HOST": SECOND_HOST}),
        ("/ar/taaltips/library/bestaat-niet/", {}),
        ("/ar/taaltips/library/hoe-gaat-het/", {}),  # the overview's own tip, not the library's
        ("/nl/taaltips/library/", {}),
    ):
        response = _find(client, path, **headers)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == "Nothing was found at this address.", path
    heidestad.tip_library = None
    heidestad.save_revision().publish()
    assert _find(client, "/ar/taaltips/library/het-containerpark/").status_code == 404


def _publish_park(library, django_capture_on_commit_callbacks, *, execute: bool):
    from buddypages.models import LanguageTipPage

    park = LanguageTipPage.objects.child_of(library).get(phrase=TRANSLATED)
    with django_capture_on_commit_callbacks(execute=execute):
        park.save_revision().publish()
    return park


def test_publishing_a_library_tip_purges_it_from_every_site_that_shows_it(
    library, heidestad, second_site, settings, django_capture_on_commit_callbacks
):
    from tests.buddypages.api.test_webhooks import FakePurgeBackend

    _include(heidestad, library)
    _include(second_site, library)
    settings.WAGTAILFRONTENDCACHE = {
        "fake": {"BACKEND": "tests.buddypages.api.test_webhooks.FakePurgeBackend"}
    }
    FakePurgeBackend.purged = []
    _publish_park(library, django_capture_on_commit_callbacks, execute=True)
    purged = set(FakePurgeBackend.purged)
    arabic = heidestad.get_translation(_locale("ar"))
    for overview in (heidestad, second_site, arabic):
        address = overview.get_full_url()
        assert address in purged, address  # the tips page lists it
        assert address + "feed/" in purged  # and its feed
    for overview in (heidestad, second_site):
        assert overview.get_full_url() + "library/het-containerpark/" in purged
        root = overview.get_site().root_url
        assert f"{root}/api/v3/tips/" in purged
        assert f"{root}/api/v3/tips/?locale=nl" in purged


def test_a_library_tip_s_webhook_event_goes_to_each_site_with_its_address_there(
    library, heidestad, second_site, django_capture_on_commit_callbacks
):
    from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint

    _include(second_site, library)  # Heidestad does not include it
    for site in Site.objects.all():
        WebhookEndpoint.objects.create(site=site, url=f"https://hook.example/{site.pk}")
    _publish_park(library, django_capture_on_commit_callbacks, execute=False)
    deliveries = WebhookDelivery.objects.filter(event_type="page.published")
    assert [d.endpoint.site.hostname for d in deliveries] == [SECOND_HOST]
    data = deliveries.get().payload["data"]
    assert data["url"] == second_site.get_full_url() + "library/het-containerpark/"
    assert data["path"] == urlsplit(data["url"]).path
    assert data["site"] == SECOND_HOST
