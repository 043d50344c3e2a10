"""Day and month names used by Django's ``date`` filter, marked for our catalogues.

The ``date`` filter (formats such as ``"l j F Y"`` and ``"D"``) takes its day
and month names from ``django/utils/dates.py``, which translates them through
Django's own catalogues. Django ships no catalogues for Pashto (ps), Tigrinya
(ti) or Somali (so), so on those pages the names came out in English.

Gettext looks up a msgid in the catalogues of every installed app as well
(earlier apps first), so marking the very msgids that ``django/utils/dates.py``
translates (without a context) puts them in this app's
``locale/*/LC_MESSAGES/django.po``, where they are translated.
Only the names in WEEKDAYS, WEEKDAYS_ABBR and MONTHS are marked here;
MONTHS_3 uses other msgids and MONTHS_AP/MONTHS_ALT use pgettext contexts.

This module is never imported: ``makemessages`` only scans it.
"""

from django.utils.translation import gettext_noop

DATE_NAMES = (
    # WEEKDAYS
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    # WEEKDAYS_ABBR
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
    # MONTHS
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
