"""Day and month names in the ``date`` filter come from our catalogues.

Django has no catalogues for Pashto, Tigrinya or Somali, so
``buddysite/date_names.py`` marks the msgids of ``django/utils/dates.py`` and
``locale/`` translates them with the Unicode CLDR names.
"""

from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import translation

DAY = date(2026, 12, 9)  # a Wednesday


@pytest.mark.parametrize(
    ("code", "long_date", "weekday_abbr"),
    [
        ("so", "Arbaco 9 Diseembar 2026", "Arbc"),
        ("ti", "ረቡዕ 9 ታሕሳስ 2026", "ረቡ"),
        ("ps", "چهارشنبه 9 دسمبر 2026", "چهارشنبه"),
    ],
)
def test_languages_django_lacks_get_their_own_day_and_month_names(code, long_date, weekday_abbr):
    with translation.override(code):
        assert date_filter(DAY, "l j F Y") == long_date
        assert date_filter(DAY, "D") == weekday_abbr


def test_django_own_names_are_unchanged():
    with translation.override("nl"):
        assert date_filter(DAY, "l j F Y") == "woensdag 9 december 2026"
        assert date_filter(DAY, "D") == "wo"
