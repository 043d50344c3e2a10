"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches the system Chromium. Without one the
tests are skipped, unless ``E2E_REQUIRED=1`` (set in CI), which makes them fail instead.
``E2E_CHROMIUM`` names the browser executable explicitly (and, pointed at a path that
does not exist, simulates a machine without Chromium).
"""

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

SKIP_MESSAGE = (
    "Chromium not installed: browser tests skipped; install Debian's chromium to run them"
)

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


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb
):
    """Set up the test database for the browser session.

    pytest-django sets one up only for tests marked ``django_db``, and that mark
    wraps each test in a transaction: on SQLite (immediate transactions) it
    would hold the write lock, so the live server could not save a sign-up.
    """
    from django.test.utils import setup_databases

    with django_db_blocker.unblock():
        setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            keepdb=django_db_keepdb and not django_db_createdb,
            aliases={"default"},
            serialized_aliases=set(),
        )


@pytest.fixture(autouse=True)
def _database_in_autocommit(django_db_blocker):
    """Browser tests read the database (to find URLs) without a transaction around them."""
    with django_db_blocker.unblock():
        yield


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
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session."""
    executable = find_chromium()
    if executable is None:  # pragma: no cover - pytest_runtest_setup handles this first
        pytest.skip(SKIP_MESSAGE)
    # Playwright's sync API runs an asyncio event loop in the main thread; Django refuses
    # ORM calls from a thread with a running loop unless told that this is deliberate.
    # Only while the browser runs, so the rest of the suite keeps async safety on.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(executable)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo content, committed, served by a live server thread; yields its base URL.

    Browser tests only read, so the demo is loaded once per session and never
    flushed (pytest-django's ``live_server`` would make every test
    transactional and empty the database after each one). ``make test`` runs
    the browser tests in their own session on their own test database
    (``TEST_DB_SUFFIX``), so the committed demo never meets the other tests.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    from buddysite.demo.loader import demo_load

    with django_db_blocker.unblock():
        demo_load()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    with django_db_blocker.unblock():
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()


@dataclass
class Visit:
    """A browser context and page for one test, with what the console said."""

    page: Page
    console_errors: list[str] = field(default_factory=list)

    def take_console_errors(self) -> list[str]:
        """Let the page settle, then hand over (and forget) the errors it logged.

        Chromium reports some errors (a missing /favicon.ico) a moment after the load,
        and only once per browser session: read too early, they would be lost, or
        blamed on whichever test happened to run next.
        """
        with contextlib.suppress(PlaywrightError):
            self.page.wait_for_load_state("networkidle")
        errors, self.console_errors = self.console_errors, []
        return errors


@pytest.fixture
def open_page(browser, demo_site) -> Iterator[Callable[..., Visit]]:
    """A factory for fresh contexts: ``open_page(locale="ar", viewport=PHONE)``."""
    contexts, visits = [], []

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
        visits.append(visit)
        page.on(
            "console",
            lambda message: (
                visit.console_errors.append(f"{message.text} [{message.location['url']}]")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
        return visit

    yield _open
    # No page any browser test opens may log a console error, whatever the test checks.
    errors = [error for visit in visits for error in visit.take_console_errors()]
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("the browser console logged errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(open_page):
    """A fresh page in a Dutch-preferring desktop browser."""
    return open_page().page
