import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from buddypages.core import languages

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
COMPLETE = ["nl", "en", "fr", "ar"]


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_every_locale_has_a_catalogue(code):
    assert (LOCALE_DIR / code / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("code", COMPLETE)
def test_required_catalogues_are_complete(code):
    catalogue = polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == []
    assert len(catalogue.translated_entries()) > 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [("nl", "Ga meteen naar de inhoud"), ("fr", "Aller au contenu principal")],
)
def test_compiled_catalogues_are_used(code, expected):
    with translation.override(code):
        assert translation.gettext("Skip to main content") == expected


MARKED = re.compile(
    r"""{%\s*translate\s+"([^"]+)"|{%\s*translate\s+'([^']+)'|\b_\(\s*"([^"]+)"\s*\)"""
)
SOURCE_DIRS = ["site/buddysite", "buddypages", "newsletter"]


def marked_strings() -> set[str]:
    root = LOCALE_DIR.parent
    found = set()
    for folder in SOURCE_DIRS:
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
                for match in MARKED.finditer(path.read_text()):
                    found.add(next(group for group in match.groups() if group))
    return found


@pytest.mark.parametrize("code", COMPLETE)
def test_catalogues_cover_every_marked_string(code):
    """A string marked in code but absent here means makemessages was not run."""
    catalogue = polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))
    known = {entry.msgid for entry in catalogue}
    strings = marked_strings()
    assert "Skip to main content" in strings
    assert sorted(strings - known) == []
