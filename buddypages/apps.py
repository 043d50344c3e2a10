from contextlib import suppress

from django.apps import AppConfig, apps
from django.core.checks import Tags, register
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BuddyPagesConfig(AppConfig):
    name = "buddypages"
    verbose_name = _("Buddy programme pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django imports this module before any model, so the wiring of the contexts is
        # imported here, once the models are loaded (the documented place), not at the top.
        from buddypages import checks as buddypages_checks
        from buddypages.calendar.models import ActivitySignup
        from buddypages.core import generation, languages, locales  # noqa: F401 (cache invalidation)
        from buddypages.duos import (  # noqa: F401 (the registry's signals)
            plans,
            receivers,
            referrals,
            vouchers,
        )
        from buddypages.duos.tasks import feedback_reminders_schedule
        from buddypages.pages import new_municipality  # noqa: F401 (translations' permissions)
        from buddypages.pages.municipality import MunicipalitySettings
        from buddypages.registry.tasks import retention_schedule

        # What a host forgot when it installed the plugin (buddypages/checks.py).
        register(buddypages_checks.check_companion_apps)
        register(buddypages_checks.check_urls, Tags.urls)
        register(buddypages_checks.check_task_backend)
        register(buddypages_checks.check_embed_origins)

        # Every cache and ETag carries the content generation; sign-ups change the places left,
        # a municipality's settings its look and languages.
        generation.connect_receivers(ActivitySignup, MunicipalitySettings)

        # Publish webhooks: signed events to the site's endpoints (buddypages.api.webhooks).
        from buddypages.api.webhooks import events as webhook_events

        webhook_events.connect(ActivitySignup)

        # Any origin may read the API; the host's CORS_ALLOWED_ORIGINS may also write.
        if apps.is_installed("corsheaders"):
            from buddypages.api.v3 import cors

            cors.connect()

        # Django lacks the names of Pashto, Tigrinya and Somali.
        languages.register_extra_languages()

        # Each context's nightly job, queued by a function of its own tasks module.
        self.nightly_jobs = (retention_schedule, feedback_reminders_schedule)
        post_migrate.connect(_schedule_nightly_jobs, sender=self)

    def schedule_nightly_jobs(self) -> None:
        """Make sure every nightly job waits in the task queue (once each)."""
        for schedule in self.nightly_jobs:
            schedule()


def _schedule_nightly_jobs(sender, **kwargs) -> None:
    """Every deployment migrates: make sure the nightly jobs are queued."""
    # DatabaseError: the task queue's own tables are not migrated yet.
    with suppress(DatabaseError):
        sender.schedule_nightly_jobs()
    # A deploy migrates: templates and static names may have changed, so caches start afresh.
    from buddypages.core.generation import bump_generation

    with suppress(DatabaseError):
        bump_generation()
