"""System checks that name what a host forgot when it installed the plugin.

``manage.py check`` (and ``runserver``, ``migrate``) runs them; ``BuddyPagesConfig.ready()``
registers them. Ids:

- ``buddypages.E001``: a companion app the plugin's code needs is not in ``INSTALLED_APPS``.
- ``buddypages.E002``: ``buddypages.urls`` is not included, so links in emails lead nowhere.
- ``buddypages.E003``: it is included after Wagtail's pages, which answer its addresses first.
- ``buddypages.W002``: it is included outside ``i18n_patterns`` (links lose their language).
- ``buddypages.E004``: the default task backend cannot be loaded.
- ``buddypages.E005``: the task backend runs tasks later but is not django-tasks-db's, whose
  queue the plugin reads to keep one nightly job waiting.
- ``buddypages.W001``: the task backend runs every task at once, so no nightly job (the
  retention of personal data, feedback reminders) is ever scheduled.
- ``buddypages.W003``: an entry of ``BUDDYPAGES["EMBED_ALLOWED_ORIGINS"]`` is not an origin
  (``https://host[:port]``), so no site of that name may show the widgets.

``newsletter.checks`` uses ``url_include_messages`` for the newsletter's own URLs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

from buddypages.embed.security import malformed_origins

# Apps whose models, blocks, template tags or admin the plugin's own code uses, with why.
# Not listed: modelcluster and taggit (Wagtail's own requirements: the plugin imports
# modelcluster's ParentalKey as a library, which needs no app entry, and never uses taggit),
# django_tasks (a library here; see the task checks).
COMPANION_APPS = {
    "wagtail_localize": "pages and snippets are translated with wagtail-localize "
    "(synchronised fields, the demo's translations)",
    "wagtail.contrib.routable_page": "the calendar, activity and registration pages are "
    "routable pages (RoutablePageMixin, {% routablepageurl %})",
    "wagtail.snippets": "language-tip themes and partners are snippets",
    "wagtail.images": "pages and tips carry images (image blocks, renditions in the API)",
    "wagtail.embeds": "page bodies have a video (embed) block",
    "wagtail.contrib.settings": "each site's municipality (name, logo, colours, email "
    "sender, languages) is a site setting, edited under Settings",
}

INCLUDE_LINE = 'path("", include("buddypages.urls"))'
# A made-up token: reversing needs one, and a check must not sign a real one.
PROBE_TOKEN = "check"  # noqa: S105 (not a secret)


def check_companion_apps(app_configs=None, **kwargs) -> list[CheckMessage]:
    return [
        checks.Error(
            f"The buddy programme plugin needs {name!r} in INSTALLED_APPS: {why}.",
            hint=f'Add "{name}" to INSTALLED_APPS.',
            obj="buddypages",
            id="buddypages.E001",
        )
        for name, why in COMPANION_APPS.items()
        if not apps.is_installed(name)
    ]


def check_urls(app_configs=None, **kwargs) -> list[CheckMessage]:
    return url_include_messages(
        app="buddypages",
        names=("duo-log", "newsletter-confirm"),
        what="a duo's meeting log and the newsletter confirmation, linked from emails",
        include_line=INCLUDE_LINE,
    )


def url_include_messages(
    *, app: str, names: Iterable[str], what: str, include_line: str
) -> list[CheckMessage]:
    """E002/E003/W002 of ``app`` for the URL names of its ``urls`` module (namespace ``app``).

    An app whose pages are shown in the reader's language is included inside
    ``i18n_patterns`` and before Wagtail's catch-all page URL.
    """
    where = (
        f"Add {include_line} inside i18n_patterns(...) in your ROOT_URLCONF "
        f'({settings.ROOT_URLCONF}), before path("", include(wagtail_urls)).'
    )
    paths = {}
    for name in names:
        try:
            paths[name] = reverse(f"{app}:{name}", kwargs={"token": PROBE_TOKEN})
        except NoReverseMatch:
            return [
                checks.Error(
                    f"{app}.urls is not included, so {what} have no address.",
                    hint=where,
                    obj=app,
                    id=f"{app}.E002",
                )
            ]
    messages: list[CheckMessage] = []
    for name, path in paths.items():
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.namespace != app or match.url_name != name:
            messages.append(
                checks.Error(
                    f"{path} is answered by {match.view_name if match else 'nothing'!r}, "
                    f"not by {app}:{name}: {app}.urls is included after a pattern that "
                    "takes its addresses (Wagtail's pages answer every address).",
                    hint=f'Move {include_line} before path("", include(wagtail_urls)).',
                    obj=app,
                    id=f"{app}.E003",
                )
            )
            break
    if not messages and not _language_prefixed(app, next(iter(paths))):
        messages.append(
            checks.Warning(
                f"{app}.urls is included outside i18n_patterns: {what} open in the "
                "browser's language, not in the language of the email that links to them.",
                hint=where,
                obj=app,
                id=f"{app}.W002",
            )
        )
    return messages


def _language_prefixed(app: str, name: str) -> bool:
    """Whether ``app:name`` carries a language prefix (in a language that has one)."""
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    if not others:
        return True  # one language: nothing to lose
    with translation.override(others[0]):
        path = reverse(f"{app}:{name}", kwargs={"token": PROBE_TOKEN})
    return path.startswith(f"/{others[0]}/")


def check_task_backend(app_configs=None, **kwargs) -> list[CheckMessage]:
    """The default task backend runs the plugin's nightly jobs.

    Warns (``buddypages.W001``) when it runs every task at once (Django-tasks' immediate
    backend, also what a host without a ``TASKS`` setting gets): the retention of personal
    data is then never applied by itself. A site that runs ``manage.py apply_retention`` from
    cron instead, or a test suite that wants tasks to run at once, silences it with
    ``SILENCED_SYSTEM_CHECKS = ["buddypages.W001"]``, Django's documented switch, rather
    than the check guessing from ``DEBUG`` (a development site with the immediate backend
    would otherwise hide the missing worker until production).
    """
    backend, error = default_task_backend("buddypages")
    if error is not None:
        return [error]
    if not backend.supports_defer:
        return [
            checks.Warning(
                f"The task backend {_backend_name(backend)} runs every task at once: the "
                "nightly jobs (deleting personal data after the retention period, feedback "
                "reminders) are never scheduled.",
                hint='Use TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} '
                "with a worker (manage.py db_worker), or run manage.py apply_retention daily "
                'from cron and add "buddypages.W001" to SILENCED_SYSTEM_CHECKS.',
                obj="buddypages",
                id="buddypages.W001",
            )
        ]
    problem = _database_queue_problem(backend)
    if problem:
        return [
            checks.Error(
                f"The task backend {_backend_name(backend)} runs tasks later, but {problem}: "
                "the plugin looks up its waiting nightly jobs and the newsletter's delayed "
                "steps in django-tasks-db's queue.",
                hint='Use TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} '
                'with "django_tasks_db" in INSTALLED_APPS.',
                obj="buddypages",
                id="buddypages.E005",
            )
        ]
    return []


def default_task_backend(app: str):
    """(the default task backend, None), or (None, ``app``.E004 naming why it cannot load)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks.exceptions import InvalidTaskBackendError

    try:
        return task_backends[DEFAULT_TASK_BACKEND_ALIAS], None
    except (InvalidTaskBackendError, KeyError, TypeError) as error:
        return None, checks.Error(
            f"The default task backend (TASKS[{DEFAULT_TASK_BACKEND_ALIAS!r}]) cannot be "
            f"loaded: {error}",
            hint='For example TASKS = {"default": {"BACKEND": '
            '"django_tasks_db.DatabaseBackend"}} with "django_tasks_db" in INSTALLED_APPS.',
            obj=app,
            id=f"{app}.E004",
        )


def _backend_name(backend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _database_queue_problem(backend) -> str:
    """Why the queue of django-tasks-db is not where the plugin looks, or ""."""
    try:
        from django_tasks_db import DatabaseBackend
    except ImportError:
        return "django-tasks-db is not installed"
    if not isinstance(backend, DatabaseBackend):
        return "it is not django_tasks_db.DatabaseBackend"
    if not apps.is_installed("django_tasks_db"):
        return '"django_tasks_db" is not in INSTALLED_APPS'
    return ""


def check_embed_origins(app_configs=None, **kwargs) -> list[CheckMessage]:
    return [
        checks.Warning(
            f"BUDDYPAGES['EMBED_ALLOWED_ORIGINS'] holds {value!r}, which is not an origin: "
            "no website of that name may show the widgets.",
            hint="Write each as scheme and host, e.g. https://www.gemeente.be (no path).",
            obj="buddypages",
            id="buddypages.W003",
        )
        for value in malformed_origins()
    ]
