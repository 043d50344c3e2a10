"""Wagtail pages, registry and matching for municipal buddy programmes, by bounded context.

Dependency direction, one way down (import-linter holds it, see ``.importlinter``):
``newsletter`` → ``buddypages.duos`` → ``buddypages.registry`` → ``buddypages.calendar`` →
``buddypages.pages`` → ``buddypages.core`` (with ``buddypages.conf``); nothing imports upward,
not even inside a function, and neither app imports the example host (``buddysite``).

- ``core``: shared helpers (languages, locales, mail, permissions, clients, scheduling).
- ``pages``: home page, programme pages, language tips, their blocks and snippets, the
  page mixins every context uses.
- ``calendar``: calendar and activity pages, occurrences, iCalendar, activity sign-ups.
- ``registry``: the registration page, participants, consents, intake, retention, audit.
- ``duos``: matching, duos, the meeting log and the 40-hour proof.
- ``embed`` and ``screen`` (above the others, beside each other): the widgets other sites
  embed (``/embed.js`` and its frames) and the waiting-room screen.

In a context, ``models.py`` holds its data rows and ``pages.py`` (where there is one) its
Wagtail page types, whose routes call the context's services. A lower context that must
react to a higher one sends a signal (``registry.signals``) or calls a Wagtail hook the
higher one registers. The modules at this top level (``apps``, ``models``,
``wagtail_hooks``, ``urls``, ``checks``, ``api_urls``, ``api``, ``api_views``, management
commands, template tags) wire the contexts together and may import any of them; no context
imports them.
``models`` imports every context's models so Django finds them under the one app label
``buddypages`` (tables and migrations unchanged).
"""
