"""buddypages/layouts/base.html: the one layout of the plugin's public pages.

The example host overrides it with its own look; a host that does not gets the plugin's own
page (``plugin_look`` below takes the host's override out of the way, as for such a host).
"""

import copy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

import buddypages
import newsletter
from tests.buddysite.test_html_validity import (
    CANARY,
    CANARY_HTML,
    Pages,
    checker_command,
    checker_errors,
    content_pages,
    duo_pages,
    newsletter_pages,
    registration_pages,
)

pytestmark = pytest.mark.django_db

PLUGIN_TEMPLATES = [
    Path(buddypages.__file__).parent / "templates",
    Path(newsletter.__file__).parent / "templates",
]
INLINE = re.compile(rb"<style|\sstyle=|<script(?![^>]*\ssrc=)")


@pytest.fixture
def plugin_look(settings):
    """Templates as for a host without its own buddypages/layouts/base.html."""
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.filesystem.Loader", [str(path) for path in PLUGIN_TEMPLATES]),
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]


def text(response) -> str:
    return response.content.decode()


def test_the_plugins_own_layout_is_a_whole_page_in_the_pages_language(plugin_look, demo):
    programme = demo.programme.get_translation(demo.home_pages["ar"].locale)
    html = text(Client().get(programme.url))

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f"<title>{programme.title} · " in html
    assert '<a class="bp-skip-link" href="#main">' in html
    assert '<header class="bp-header">' in html
    assert 'class="bp-header__brand" href="/ar/"' in html  # the home page in Arabic
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert f"<h1>{programme.title}</h1>" in main
    assert '<footer class="bp-footer">' in html.split("</main>", 1)[1]
    assert 'class="buddypages template-programme"' in html  # body_class still filled
    assert "/static/buddypages/css/plugin.css" in html
    assert "buddysite" not in html  # nothing of the example host
    assert not INLINE.search(html.encode())  # the CSP allows no inline style or script


def test_pages_outside_the_page_tree_use_it_too(plugin_look):
    for url, status, title in [
        ("/ar/duo/not-a-token/", 404, "لقاءاتنا"),
        ("/nl/newsletter/unsubscribe/not-a-token/", 400, "Nieuwsbrief"),
        ("/fr/newsletter/confirm/not-a-token/", 200, None),
    ]:
        response = Client().get(url)
        html = text(response)
        assert response.status_code == status, url
        assert html.startswith("<!DOCTYPE html>"), url
        assert "/static/buddypages/css/plugin.css" in html, url
        assert '<main id="main"' in html, url
        if title:
            assert f"<title>{title}" in html, url
    assert '<html lang="fr" dir="ltr">' in html


def test_the_example_host_gives_the_plugins_pages_its_own_look(demo):
    programme = demo.programme.get_translation(demo.home_pages["ar"].locale)
    for url in (programme.url, "/ar/duo/not-a-token/", "/ar/newsletter/unsubscribe/x/"):
        html = text(Client().get(url))
        assert '<html lang="ar" dir="rtl">' in html, url
        assert "/static/buddysite/css/site.css" in html, url
        assert 'class="language-switcher"' in html, url
        assert '<footer class="site-footer">' in html, url
        assert "plugin.css" not in html, url


def test_a_host_can_extend_the_plugins_layout_and_fill_only_its_header(settings, tmp_path):
    """The recipe of docs/installing.md: an override of the same name that extends it."""
    override = tmp_path / "buddypages" / "layouts" / "base.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "buddypages/layouts/base.html" %}'
        '{% block header %}<header class="town">Heidestad</header>{% endblock %}'
    )
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    folders = [str(tmp_path), *(str(path) for path in PLUGIN_TEMPLATES)]
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.filesystem.Loader", folders),
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]

    html = text(Client().get("/nl/duo/not-a-token/"))

    assert '<header class="town">Heidestad</header>' in html
    assert "bp-header" not in html
    assert '<footer class="bp-footer">' in html  # the rest is the plugin's
    assert "/static/buddypages/css/plugin.css" in html


def test_the_plugins_stylesheet_ships_with_it():
    found = finders.find("buddypages/css/plugin.css")
    assert found
    assert Path(found).is_relative_to(Path(buddypages.__file__).parent / "static")
    assert "@import" not in Path(found).read_text()


def test_every_public_page_of_the_plugin_uses_its_layout_and_passes_the_html_checker(
    plugin_look, demo, settings
):
    """Rendered without the host's override, a template still extending the host's
    base.html would show the host's stylesheet: each page must carry the plugin's."""
    from buddypages.duos.models import Duo
    from newsletter.models import NewsletterIssuePage

    settings.BUDDY_REGISTRY = {**settings.BUDDY_REGISTRY, "RATE_LIMIT": 0}
    NewsletterIssuePage.objects.update(sent_at=timezone.now() - timedelta(days=2))  # archived
    active = Duo.objects.filter(status=Duo.Status.ACTIVE).order_by("pk").first()
    pages = Pages()
    for language in ("nl", "ar"):
        client = Client()
        content_pages(pages, client, language)
        registration_pages(pages, client, language)
        newsletter_pages(pages, client, language, demo)
        duo_pages(pages, client, language, active)
    for name, html in pages.documents.items():
        assert b"/static/buddypages/css/plugin.css" in html, name
        assert b"buddysite" not in html, name
        assert not INLINE.search(html), f"{name}: {INLINE.search(html)}"
    checker_command()  # skips here when the checker is missing
    pages.documents[CANARY] = CANARY_HTML

    errors = checker_errors(pages.documents)

    assert len(errors.pop(CANARY, [])) == 2, "the checker did not report the canary's errors"
    assert not errors, "\n".join(f"{name}: {found}" for name, found in errors.items())
