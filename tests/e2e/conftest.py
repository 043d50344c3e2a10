"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system Chromium. Without one the
tests are skipped, unless ``E2E_REQUIRED=1`` (set in CI), which makes them fail instead.
``E2E_CHROMIUM`` names the browser executable explicitly (and, pointed at a path that
does not exist, simulates a machine without Chromium).
"""

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the main thread; Django refuses
# ORM calls from a thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SKIP_MESSAGE = "Chromium not installed: browser tests skipped; install Debian's chromium to run them"

# The machine has no internet: keep Chromium from phoning home (refused connections).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def find_chromium() -> str | None:
    """The Chromium executable: ``E2E_CHROMIUM`` if set, else the one on PATH."""
    override = os.environ.get("E2E_CHROMIUM", "").strip()
    if override:
        path = Path(override)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def e2e_required() -> bool:
    return os.environ.get("E2E_REQUIRED", "").strip() == "1"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, when required, fail) browser tests before any fixture is set up."""
    if item.get_closest_marker("e2e") is None or find_chromium():
        return
    if e2e_required():
        pytest.fail(
            "Chromium not found but E2E_REQUIRED=1: install Debian's chromium "
            "(apt-get install chromium) or point E2E_CHROMIUM at it",
            pytrace=False,
        )
    pytest.skip(SKIP_MESSAGE)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:  # pragma: no cover - pytest_runtest_setup handles this first
        pytest.skip(SKIP_MESSAGE)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _restore_migrated_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Leave the reusable test database as migrations left it.

    Transactional tests flush the database when they end; with ``--reuse-db`` the next
    run would find no Wagtail root page and no locales. The contents Django serialised
    when it set the database up (``django_db_serialized_rollback``) are put back.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo_site(
    _restore_migrated_data, transactional_db, django_db_serialized_rollback, live_server
):
    """The demo content, committed so that the live server's thread sees it.

    Returns the live server's base URL.
    """
    from buddypages.demo.loader import demo_load

    demo_load()
    return live_server.url


@dataclass
class Visit:
    """A browser context and page for one test, with what the console said."""

    page: object
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser, demo_site) -> Iterator[Callable[..., Visit]]:
    """A factory for fresh contexts: ``open_page(locale="ar", viewport=PHONE)``."""
    contexts = []

    def _open(*, locale: str = "nl-NL", viewport: dict | None = None) -> Visit:
        context = browser.new_context(
            base_url=demo_site,
            locale=locale,
            viewport=viewport or DESKTOP,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        visit = Visit(page=page)
        page.on(
            "console",
            lambda message: (
                visit.console_errors.append(f"{message.text} ({message.location})")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
        return visit

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh page in a Dutch-preferring desktop browser."""
    return open_page().page
