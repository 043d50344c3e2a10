"""Each app of this repository ships its own catalogues, inside its package."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

from buddypages.core import languages

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = {
    "buddypages": ROOT / "buddypages",
    "newsletter": ROOT / "newsletter",
    "buddysite": ROOT / "site" / "buddysite",
}
COMPLETE = ["nl", "en", "fr", "ar"]


def catalogue(app: str, code: str) -> polib.POFile:
    return polib.pofile(str(APP_DIRS[app] / "locale" / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("app", APP_DIRS)
@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_every_app_has_a_catalogue_for_every_locale(app, code):
    assert catalogue(app, code).metadata["Language"] == code


@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_the_apps_agree_on_plural_forms(code):
    """Arabic has six plural forms in every app, never two in one of them."""
    forms = {catalogue(app, code).metadata["Plural-Forms"] for app in APP_DIRS}
    assert len(forms) == 1


@pytest.mark.parametrize("app", APP_DIRS)
@pytest.mark.parametrize("code", COMPLETE)
def test_required_catalogues_are_complete(app, code):
    po = catalogue(app, code)
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert missing == []
    assert len(po.translated_entries()) > 0


@pytest.mark.parametrize(
    ("code", "expected"),
    [("nl", "Ga meteen naar de inhoud"), ("fr", "Aller au contenu principal")],
)
def test_compiled_catalogues_are_used(code, expected):
    with translation.override(code):
        assert translation.gettext("Skip to main content") == expected


# What makemessages finds, without GNU gettext: the functions its xgettext call is told about
# (matched by name, as xgettext does), as (context argument, msgid argument) positions.
FUNCTIONS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
# Django's templatize turns {% translate %}, {% blocktranslate %} and _("...") arguments of
# tags and filters into such calls.
TEMPLATE_CALL = re.compile(
    r"\b(_|n?p?gettext)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"),?)+)"
)
LITERAL = re.compile(r"""u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")

Key = tuple[str | None, str]


def python_strings(source: str) -> set[Key]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in FUNCTIONS:
            continue
        context_at, msgid_at = FUNCTIONS[name]
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if len(args) > msgid_at and isinstance(args[msgid_at], str):
            found.add((None if context_at is None else args[context_at], args[msgid_at]))
    return found


def template_strings(source: str, origin: str) -> set[Key]:
    found = set()
    for function, arguments in TEMPLATE_CALL.findall(templatize(source, origin=origin)):
        literals = [ast.literal_eval(literal) for literal in LITERAL.findall(arguments)]
        found.add((literals[0], literals[1]) if "p" in function else (None, literals[0]))
    return found


def marked_strings(app: str) -> set[Key]:
    """(msgctxt, msgid) of every string the app's code and templates mark for translation."""
    found = set()
    for path in APP_DIRS[app].rglob("*"):
        if path.suffix == ".py":
            found |= python_strings(path.read_text())
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            found |= template_strings(path.read_text(), origin=str(path))
    return found


def test_the_scan_finds_every_kind_of_marked_string():
    strings = marked_strings("buddypages") | marked_strings("buddysite")
    assert (None, "Skip to main content") in strings  # {% translate %}
    assert (None, "Pashto") in strings  # gettext_noop
    assert (None, "%(counter)s volunteer") in strings  # {% blocktranslate count %}
    assert (None, "Monday") in strings
    assert (None, "sign-up form") in strings  # |default:_("...")


@pytest.mark.parametrize("app", APP_DIRS)
@pytest.mark.parametrize("code", languages.LANGUAGE_CODES)
def test_catalogues_cover_every_marked_string(app, code):
    """A string marked in an app but absent from its catalogue was never added there."""
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue(app, code)}
    assert sorted(marked_strings(app) - known, key=str) == []
