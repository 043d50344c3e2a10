"""A test copy of the newsletter trips no SpamAssassin content rule (local tests only).

The exact bytes a recipient's server would get are piped to ``spamassassin -L -t``:
no network tests, so the score is what the message's headers, HTML and text earn.
Without SpamAssassin the test is skipped, unless ``SPAMASSASSIN_REQUIRED=1`` (CI).
"""

import email
import os
import re
import shutil
import subprocess

import pytest

from newsletter.rendering import sample_message

pytestmark = pytest.mark.django_db

MAX_SCORE = 1.0
# The report SpamAssassin appends with -t: "  0.0 RULE_NAME   description".
REPORT_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z][A-Z0-9_]+)\s+(.*)$")
STATUS = re.compile(r"^X-Spam-Status: \w+, score=(-?[\d.]+)", re.M)


def spamassassin() -> str:
    found = shutil.which("spamassassin")
    if found:
        return found
    if os.environ.get("SPAMASSASSIN_REQUIRED", "").strip() == "1":
        pytest.fail(
            "spamassassin not found but SPAMASSASSIN_REQUIRED=1: "
            "install it (apt-get install spamassassin)",
            pytrace=False,
        )
    pytest.skip("spamassassin not installed: the spam score of the newsletter is not checked")


def spam_report(raw: bytes) -> tuple[float, list[tuple[float, str, str]]]:
    """The score and the rules hit (points, name, description) for one raw message."""
    result = subprocess.run(
        [spamassassin(), "-L", "-t"], input=raw, capture_output=True, timeout=120, check=False
    )
    output = result.stdout.decode("utf-8", "replace")
    status = STATUS.search(output)
    assert status, f"no X-Spam-Status in SpamAssassin's output:\n{output}\n{result.stderr!r}"
    _, _, report = output.partition("Content analysis details:")
    rules = [
        (float(m.group(1)), m.group(2), m.group(3).strip())
        for m in map(REPORT_LINE.match, report.splitlines())
        if m
    ]
    return float(status.group(1)), rules


@pytest.fixture
def deployed(settings):
    """Addresses as a deployment has them (not the development server's 127.0.0.1:8000)."""
    settings.WAGTAILADMIN_BASE_URL = "https://buddywerking.example.org"
    settings.DEFAULT_FROM_EMAIL = "Buddywerking <nieuwsbrief@buddywerking.example.org>"


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_test_copy_of_the_newsletter_trips_no_content_rule(issue, deployed, language):
    message = sample_message(issue, to="coordinator@example.net", language=language)
    raw = message.message().as_bytes()
    headers = email.message_from_bytes(raw)
    assert headers["Message-ID"].endswith("@buddywerking.example.org>")
    assert headers["Date"]

    score, rules = spam_report(raw)

    hits = "\n".join(f"{points:6.3f} {name}: {description}" for points, name, description in rules)
    assert score < MAX_SCORE, f"{language}: SpamAssassin score {score}, rules hit:\n{hits}"
    # Not even one rule worth something on its own (hidden text alone earns 0.7).
    scoring = [name for points, name, _ in rules if points >= 0.1]
    assert not scoring, f"{language}: rules that count against the newsletter:\n{hits}"
