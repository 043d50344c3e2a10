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

        post_migrate.connect(_schedule_retention, sender=self)


def _schedule_retention(**kwargs) -> None:
    """Every deployment migrates: make sure tonight's retention run is queued."""
    from django.db import DatabaseError

    from buddypages.registry.tasks import retention_schedule

    # DatabaseError: the task queue's own tables are not migrated yet.
    with suppress(DatabaseError):
        retention_schedule()
