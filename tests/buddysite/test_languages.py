import pytest
from django.utils.translation import get_language_bidi, get_language_info, override

from buddypages.core import languages


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        ("nl", "ltr"),
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("fa-af", "rtl"),  # Wagtail's exact-code lookup would say ltr
        ("ps", "rtl"),
        ("ti", "ltr"),  # Ethiopic script: left to right
        ("so", "ltr"),
        ("uk", "ltr"),
        ("ar_EG", "rtl"),
    ],
)
def test_direction_is_decided_by_base_language(code, direction):
    assert languages.text_direction(code) == direction


@pytest.mark.parametrize(
    ("code", "name"), [("ps", "پښتو"), ("ti", "ትግርኛ"), ("so", "Soomaali"), ("ar", "العربيّة")]
)
def test_languages_django_lacks_are_named_in_their_own_script(code, name):
    assert get_language_info(code)["name_local"] == name


def test_django_agrees_on_direction_for_pashto():
    with override("ps"):
        assert get_language_bidi()


def test_every_required_locale_is_configured(settings):
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[0] == "nl"
    assert set(codes) >= {"nl", "en", "fr", "ar", "uk", "ru", "tr", "fa", "ps", "ti", "so"}
    assert settings.LANGUAGE_CODE == "nl"
