"""The screen's reads: the same answers as the pages' own rules, in a fixed number of queries."""

import pytest

from buddypages.pages.models import LanguageTipIndexPage, LanguageTipPage
from buddypages.pages.selectors import tips_of_the_week

pytestmark = pytest.mark.django_db


def indexes():
    return list(LanguageTipIndexPage.objects.live().select_related("featured_tip"))


def test_tips_of_the_week_agree_with_each_overview_in_one_query(demo, django_assert_num_queries):
    found = indexes()
    assert len({index.locale_id for index in found}) >= 5
    # A pick in one language; in another a pick that is not live (the newest tip stands in).
    dutch = next(index for index in found if index.locale.language_code == "nl")
    oldest = LanguageTipPage.objects.live().filter(locale=dutch.locale).order_by("pk").first()
    dutch.featured_tip = oldest
    dutch.save_revision().publish()
    arabic = next(index for index in found if index.locale.language_code == "ar")
    hidden = LanguageTipPage.objects.live().filter(locale=arabic.locale).order_by("pk").first()
    arabic.featured_tip = hidden
    arabic.save_revision().publish()
    hidden.unpublish()

    found = indexes()
    with django_assert_num_queries(1):
        picked = tips_of_the_week(indexes=found)
    expected = {index.pk: index.tip_of_the_week() for index in found}
    assert picked == expected
    assert picked[dutch.pk] == oldest
    assert picked[arabic.pk] not in (None, hidden)


def test_a_language_without_tips_has_none(demo):
    found = indexes()
    LanguageTipPage.objects.filter(locale=found[0].locale).update(live=False)
    assert tips_of_the_week(indexes=found[:1]) == {found[0].pk: None}
