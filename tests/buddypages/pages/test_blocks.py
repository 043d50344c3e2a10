"""Blocks of the plugin's pages: the call to action's chosen page, read once per content
generation (RememberedPageChooserBlock), and its link in the reader's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buddypages.models import ProgrammePage
from buddypages.pages.blocks import CallToActionBlock, RememberedPageChooserBlock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_migrations_see_wagtails_page_chooser():
    path, _args, kwargs = CallToActionBlock().child_blocks["page"].deconstruct()
    assert path == "wagtail.blocks.PageChooserBlock"
    assert kwargs["required"] is False


def test_chosen_pages_keep_order_gaps_and_duplicates(demo):
    pages = list(ProgrammePage.objects.order_by("pk")[:2])
    values = [pages[1].pk, None, pages[0].pk, pages[1].pk, 999_999_999]
    block = RememberedPageChooserBlock()
    for _ in range(2):  # read, then remembered
        found = block.bulk_to_python(values)
        assert [page.pk if page else None for page in found] == [*values[:4], None]
        assert found[0] is not found[3]


def test_a_call_to_action_follows_its_page_to_a_new_address(client, demo):
    programme = ProgrammePage.objects.get(locale__language_code="nl")
    target = next(block.value["page"] for block in programme.calls_to_action if block.value["page"])
    old_url = target.url
    assert f'href="{old_url}"' in client.get(programme.url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        client.get(programme.url)
    assert not [q for q in captured.captured_queries if '"wagtailcore_page"."id" IN' in q["sql"]]
    target = target.specific
    target.slug = "nieuw-adres"
    target.save_revision().publish()
    body = client.get(programme.url).content.decode()
    assert f'href="{old_url}"' not in body
    assert 'nieuw-adres/"' in body
