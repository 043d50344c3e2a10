"""The languages the site speaks, and which way each one is written.

Imported by the settings, so it must not import anything from Django that
needs configured settings.
"""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_noop

# Dutch is the source language: content is written in Dutch first and the
# site falls back to it.
SOURCE_LANGUAGE = "nl"

# Languages Django does not know yet. Names are given in their own script so
# the language switcher can show them to people who read only that script.
EXTRA_LANG_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}

# Order is the order of the language switcher: the source language first.
LANGUAGE_CODES = ["nl", "en", "fr", "ar", "uk", "ru", "tr", "fa", "ps", "ti", "so"]

# Base languages written right to left. Tigrinya (Ethiopic script) is not
# here: it is left to right and needs fonts, not mirroring.
RTL_BASE_LANGUAGES = frozenset({"ar", "fa", "ps", "he", "ur", "ckb", "ug", "dv", "sd", "yi"})


def register_extra_languages() -> None:
    """Teach Django the names of the languages it lacks (idempotent)."""
    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def base_language(code: str) -> str:
    """``fa-af`` -> ``fa``; ``pt_BR`` -> ``pt``."""
    return code.replace("_", "-").split("-", 1)[0].lower()


def is_rtl(code: str) -> bool:
    """Direction by base language.

    Wagtail's ``Locale.is_bidi`` looks the exact code up in
    ``LANGUAGES_BIDI``, so it calls ``fa-af`` left to right; this does not.
    """
    return base_language(code) in RTL_BASE_LANGUAGES


def text_direction(code: str) -> str:
    return "rtl" if is_rtl(code) else "ltr"


def languages_setting() -> list[tuple[str, object]]:
    """The ``LANGUAGES`` setting: codes with their English names, translated lazily.

    The admin shows these names in the editor's language (Django's catalogues
    know most; ours add Pashto, Tigrinya and Somali). The public language
    switcher shows ``name_local`` instead: each language in its own script.
    """
    from django.utils.translation import gettext_lazy

    register_extra_languages()
    return [(code, gettext_lazy(LANG_INFO[code]["name"])) for code in LANGUAGE_CODES]


# Marked so makemessages puts them in our catalogues (Django's lack them).
EXTRA_LANGUAGE_NAMES = [gettext_noop("Pashto"), gettext_noop("Tigrinya"), gettext_noop("Somali")]


def bidi_setting() -> list[str]:
    """The ``LANGUAGES_BIDI`` setting, used by Django's ``get_language_bidi``."""
    return sorted(RTL_BASE_LANGUAGES | {"ar-dz", "fa-af"})


def site_languages() -> list[tuple[str, object]]:
    """The host's ``LANGUAGES``, for model fields' ``choices``: a callable, so the migration
    names this function instead of freezing one host's list (another host would otherwise
    see a migration to make)."""
    return list(settings.LANGUAGES)


def site_language() -> str:
    """The host's ``LANGUAGE_CODE``, as a field default, for the same reason."""
    return settings.LANGUAGE_CODE
