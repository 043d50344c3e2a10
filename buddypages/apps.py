from contextlib import suppress

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BuddyPagesConfig(AppConfig):
    name = "buddypages"
    verbose_name = _("Buddy programme pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the cache invalidation receivers of the cached reads.
        from buddypages import locales, selectors  # noqa: F401
        from buddypages.core import languages

        # Django lacks the names of Pashto, Tigrinya and Somali.
        languages.register_extra_languages()

        post_migrate.connect(_schedule_nightly_jobs, sender=self)


def _schedule_nightly_jobs(**kwargs) -> None:
    """Every deployment migrates: make sure the nightly jobs are queued."""
    from django.db import DatabaseError

    from buddypages.scheduling import schedule_all

    # DatabaseError: the task queue's own tables are not migrated yet.
    with suppress(DatabaseError):
        schedule_all()
