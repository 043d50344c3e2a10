from datetime import timedelta

import pytest
from django.utils import timezone

from buddypages.pages.selectors import language_tip_of_the_week
from tests.buddypages import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tips_site(demo):
    # Turkish: the demo has a home page there but no tips, so these tests own them.
    home = factories.home_page("tr")
    index = factories.tip_index(home)
    doctor = factories.theme("doctor", "Bij de dokter", home.locale)
    shop = factories.theme("shopping", "Winkelen", home.locale)
    return home, index, doctor, shop


def test_index_budget_for_200_tips_is_at_most_10_queries_whatever_the_page(
    client, tips_site, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
    _home, index, doctor, shop = tips_site
    for number in range(200):
        factories.tip(
            index,
            f"Zin {number}",
            level="A1" if number % 2 else "B2",
            theme=doctor if number % 3 else shop,
        )
    url = index.get_url()
    client.get(url)  # the site lookup and the language menu are cached from now on
    for query in ("", "?page=9", "?level=A1&theme=doctor", "?level=B2&page=3"):
        with django_assert_max_num_queries(10):
            response = client.get(url + query)
        assert response.status_code == 200
    body = client.get(url + "?level=A1&theme=doctor").content.decode()
    assert "67 ipucu" in body  # Turkish: the count of the filtered tips


def test_index_filters_by_level_and_theme(client, tips_site):
    _home, index, doctor, shop = tips_site
    factories.tip(index, "De huisarts", level="A1", theme=doctor)
    factories.tip(index, "Een attest", level="B1", theme=doctor)
    factories.tip(index, "De kassa", level="A1", theme=shop)
    body = client.get(index.get_url(), {"level": "A1", "theme": "doctor"}).content.decode()
    assert "De huisarts" in body
    assert "Een attest" not in body
    assert "De kassa" not in body.split("tip-of-the-week", 1)[-1].split("</section>", 1)[-1]


def test_unknown_filter_values_show_everything_not_an_error(client, tips_site):
    _home, index, doctor, _shop = tips_site
    factories.tip(index, "De huisarts", level="A1", theme=doctor)
    response = client.get(index.get_url(), {"level": "Z9", "page": "abc"})
    assert response.status_code == 200
    assert "De huisarts" in response.content.decode()


def test_tip_of_the_week_is_the_newest_unless_an_editor_picks_one(tips_site):
    home, index, doctor, _shop = tips_site
    older = factories.tip(index, "Oud", theme=doctor)
    newer = factories.tip(index, "Nieuw", theme=doctor)
    LanguageTipPage = type(older)
    LanguageTipPage.objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=7)
    )
    assert language_tip_of_the_week(locale=home.locale) == newer
    index.featured_tip = older
    index.save()
    assert language_tip_of_the_week(locale=home.locale) == older
    older.unpublish()
    assert language_tip_of_the_week(locale=home.locale) == newer


def test_tip_of_the_week_is_none_without_tips(tips_site):
    home, *_rest = tips_site
    assert language_tip_of_the_week(locale=home.locale) is None
