"""System checks of the newsletter, registered by ``NewsletterConfig.ready()``. Ids:

- ``newsletter.E001``: a companion app is not in ``INSTALLED_APPS`` (django-anymail).
- ``newsletter.E002``: ``newsletter.urls`` is not included: the unsubscribe link of every
  issue (and its List-Unsubscribe header) leads nowhere.
- ``newsletter.E003``: it is included after Wagtail's pages, which answer its address first.
- ``newsletter.W002``: it is included outside ``i18n_patterns``.
- ``newsletter.W001``: the task backend runs every task at once, so scheduled sends are
  refused and a send runs inside the request of the coordinator who starts it.

The newsletter needs ``buddypages`` installed too; without it the newsletter's models cannot
even be imported, so no check could run: Django's own import error names it. The task
backend itself is checked by ``buddypages`` (``buddypages.E004``, ``buddypages.E005``).
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.core.checks import CheckMessage

from buddypages.checks import default_task_backend, url_include_messages

COMPANION_APPS = {
    "anymail": "the newsletter sends through django-anymail and listens to its tracking "
    "signal (deliveries, bounces, complaints from the email provider's webhooks)",
}


def check_companion_apps(app_configs=None, **kwargs) -> list[CheckMessage]:
    return [
        checks.Error(
            f"The newsletter needs {name!r} in INSTALLED_APPS: {why}.",
            hint=f'pip install django-anymail and add "{name}" to INSTALLED_APPS.',
            obj="newsletter",
            id="newsletter.E001",
        )
        for name, why in COMPANION_APPS.items()
        if not apps.is_installed(name)
    ]


def check_urls(app_configs=None, **kwargs) -> list[CheckMessage]:
    return url_include_messages(
        app="newsletter",
        names=("unsubscribe",),
        what="the unsubscribe link of every issue",
        include_line='path("", include("newsletter.urls"))',
    )


def check_task_backend(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Warns (``newsletter.W001``) when the default task backend cannot run tasks later.

    With Django-tasks' immediate backend (or no ``TASKS`` setting at all) a send cannot be
    scheduled for later (the send form refuses it), and a send to the whole list runs inside
    the web request of the coordinator who starts it. Right for a test suite, which wants the
    send done when the call returns; so the example host's test settings silence it, with
    ``SILENCED_SYSTEM_CHECKS = ["newsletter.W001"]`` and a comment. An explicit silence,
    rather than the check keeping quiet under ``DEBUG`` or tests, is what an adopter meets
    in every other Django app, and it keeps a development site from hiding, until
    production, that no worker was ever set up.
    """
    backend, error = default_task_backend("newsletter")
    if error is not None:
        return []  # buddypages.E004 says it once
    if backend.supports_defer:
        return []
    return [
        checks.Warning(
            f"The task backend {type(backend).__module__}.{type(backend).__qualname__} runs "
            "every task at once: sends scheduled for later are refused, and a send runs "
            "inside the web request of the person who starts it.",
            hint='Use TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} with '
            "a worker (manage.py db_worker); if sending at once is what you want, add "
            '"newsletter.W001" to SILENCED_SYSTEM_CHECKS.',
            obj="newsletter",
            id="newsletter.W001",
        )
    ]
