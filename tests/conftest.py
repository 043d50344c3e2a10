import sqlite3
from pathlib import Path

import pytest
from django.core import mail


def _reused_sqlite_database_was_flushed() -> bool:
    """True when a reused SQLite test database lost the rows migrations create.

    Transactional (browser) tests flush the database when they end; if such a
    run is killed before it puts the migrated rows back, ``--reuse-db`` would
    reuse a database with no Wagtail root page. Rebuild it instead.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if not database["ENGINE"].endswith("sqlite3") or not name or not Path(name).exists():
        return False
    try:
        with sqlite3.connect(name) as connection:
            (roots,) = connection.execute(
                "SELECT count(*) FROM wagtailcore_page WHERE depth = 1"
            ).fetchone()
    except sqlite3.Error:
        return False
    return roots == 0


@pytest.fixture(scope="session")
def django_db_createdb(request):
    return bool(request.config.getvalue("create_db")) or _reused_sqlite_database_was_flushed()


@pytest.fixture(autouse=True)
def _anymail_test_backend(settings):
    """Django's runner forces locmem email; use anymail's test backend instead."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    yield
    mail.outbox = []


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load the demo content once per session, committed; every test rolls back on top.

    Loading it (120 translated pages) takes seconds, too slow for every test.
    """
    from buddysite.demo.loader import demo_load

    with django_db_blocker.unblock():
        return demo_load()


@pytest.fixture
def demo(_demo_loaded, db):
    """The demo content: pages in every locale, tips, partners and the demo accounts."""
    for page in _demo_loaded.home_pages.values():
        page.refresh_from_db()
    return _demo_loaded


def pytest_configure(config):
    """Always set up the test database.

    pytest-django sets it up only when a collected test asks for ``db``; a
    thread-race test run alone asks only for the committed demo content
    (``_demo_loaded``), and would otherwise write to the development database.
    """
    from pytest_django import fixtures

    databases_for = fixtures._get_databases_for_setup

    def with_default(items):
        aliases, serialized = databases_for(items)
        return aliases | {"default"}, serialized

    fixtures._get_databases_for_setup = with_default


def pytest_sessionstart(session):
    # Tests read the compiled catalogues; compile them so a bare `pytest` works too.
    from django.core.management import call_command

    call_command("compile_catalogues", verbosity=0)
