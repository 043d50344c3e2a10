"""Varnish in front of the live site, with the VCL operators get (docs/varnish.vcl).

Starts Debian's ``varnishd`` on loopback (a free port, its own working directory) in front of
the browser session's live server, and checks what docs/operating.md promises: a public page
comes from Varnish the second time and is purged when an editor publishes (Wagtail's
frontend_cache sends the PURGE); a sign-up form, a duo's log and the admin never come from it.

Without ``varnishd`` the test is skipped, unless ``VARNISH_REQUIRED=1`` (set in CI), which
makes it fail instead. It runs in the browser session (``-m e2e``) for its live server and
committed demo content; it needs no browser itself.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

VCL = Path(__file__).resolve().parents[2] / "docs" / "varnish.vcl"
SKIP_MESSAGE = (
    "varnishd not installed: the Varnish test is skipped; install Debian's varnish "
    "(apt-get install varnish) to run it"
)


def find_varnishd() -> str | None:
    found = shutil.which("varnishd")
    if found is None and Path("/usr/sbin/varnishd").exists():
        found = "/usr/sbin/varnishd"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def vcl_for(backend_port: int) -> str:
    """docs/varnish.vcl with its backend pointed at the live server."""
    text = VCL.read_text()
    pointed, count = re.subn(r'\.port = "\d+";', f'.port = "{backend_port}";', text, count=1)
    assert count == 1, "docs/varnish.vcl has no backend port to point at the test server"
    return pointed


@pytest.fixture(scope="module")
def varnish(demo_site) -> Iterator[str]:
    """Varnish in front of the live server; yields its base URL."""
    varnishd = find_varnishd()
    if varnishd is None:
        if os.environ.get("VARNISH_REQUIRED", "").strip() == "1":
            pytest.fail(
                "varnishd not found but VARNISH_REQUIRED=1: install Debian's varnish "
                "(apt-get install varnish)",
                pytrace=False,
            )
        pytest.skip(SKIP_MESSAGE)
    # Started as root, varnishd reads the VCL as its own unprivileged user: not in pytest's
    # private temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="buddy-varnish-"))
    folder.chmod(0o755)
    vcl = folder / "site.vcl"
    vcl.write_text(vcl_for(urlsplit(demo_site).port))
    vcl.chmod(0o644)
    port = free_port()
    log = (folder / "varnishd.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [
            varnishd,
            "-F",
            "-n",
            str(folder / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,32m",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60  # compiling the VCL takes a few seconds
        while True:
            if process.poll() is not None:
                log.flush()
                pytest.fail(
                    f"varnishd stopped (exit {process.returncode}):\n"
                    + (folder / "varnishd.log").read_text()[-2000:],
                    pytrace=False,
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("varnishd did not listen within 60 s", pytrace=False)
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def site_host() -> str:
    """The host the demo site's pages are purged under (their full URLs')."""
    from wagtail.models import Site

    return urlsplit(Site.objects.get(is_default_site=True).root_url).netloc


@pytest.fixture
def purging_to(varnish, settings):
    """Wagtail's frontend_cache sends its PURGE requests to this Varnish."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish,
        }
    }
    return varnish


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read().decode("utf-8", "replace")

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Cache")

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""


def get(base: str, host: str, path: str, cookie: str = "") -> Answer:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Host": host, "Accept-Language": "nl"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        return Answer(connection.getresponse())
    finally:
        connection.close()


def test_a_public_page_comes_from_varnish_and_publishing_purges_it(purging_to, site_host):
    from wagtail.models import Site

    from buddypages.models import LanguageTipIndexPage

    # The first municipality's own overview (the region's tips library has no address).
    default = Site.objects.get(is_default_site=True)
    overview = LanguageTipIndexPage.objects.live().in_site(default).get(locale__language_code="nl")
    tip = overview.tips().first()  # the newest: on the overview's first page and in its feed
    tip_path, overview_path = tip.url, overview.url
    meaning = tip.meaning
    marker = "Herzien-17"
    for path in (tip_path, overview_path, f"{overview_path}feed/"):
        first = get(purging_to, site_host, path)
        assert first.status == 200, path
        assert "public" in first.header("Cache-Control")
        second = get(purging_to, site_host, path)
        assert (first.cache, second.cache) == ("miss", "hit"), path
        assert second.body == first.body
        assert marker not in second.body
    try:
        tip.meaning = f"{marker} {meaning}"
        tip.save_revision().publish()
        # The tip itself (Wagtail's purge), and the overview and its feed that list it.
        for path in (tip_path, overview_path, f"{overview_path}feed/"):
            after = get(purging_to, site_host, path)
            assert after.cache == "miss", path
            assert marker in after.body, path
    finally:
        tip.meaning = meaning
        tip.save_revision().publish()


def test_a_sign_up_form_never_comes_from_varnish_and_keeps_its_cookie(varnish, site_host):
    from buddypages.models import RegistrationPage

    form = RegistrationPage.objects.live().filter(locale__language_code="nl").first()
    answers = [get(varnish, site_host, form.url) for _ in range(3)]
    assert [answer.status for answer in answers] == [200, 200, 200]
    assert [answer.cache for answer in answers] == ["pass", "pass", "pass"]
    assert all("private" in answer.header("Cache-Control") for answer in answers)
    assert all("csrfmiddlewaretoken" in answer.body for answer in answers)
    # Once the site has said the address is personal, the visitor's cookies reach it: the
    # site renews the CSRF cookie it was sent instead of handing out a new one.
    secret = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tAb"
    with_cookie = get(varnish, site_host, form.url, cookie=f"csrftoken={secret}")
    assert with_cookie.cache == "pass"
    assert f"csrftoken={secret}" in with_cookie.header("Set-Cookie")


def test_a_duo_log_and_the_admin_never_come_from_varnish(varnish, site_host):
    from buddypages.duos.models import Duo
    from buddypages.duos.tokens import duo_link_token

    duo_log = f"/nl/duo/{duo_link_token(Duo.objects.first(), 'volunteer')}/"
    for path in (duo_log, "/admin/login/"):
        answers = [get(varnish, site_host, path) for _ in range(2)]
        assert [answer.status for answer in answers] == [200, 200], path
        assert [answer.cache for answer in answers] == ["pass", "pass"], path
        assert all("private" in answer.header("Cache-Control") for answer in answers), path
