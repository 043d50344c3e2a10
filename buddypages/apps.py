from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuddyPagesConfig(AppConfig):
    name = "buddypages"
    verbose_name = _("Buddy programme pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the cache invalidation receivers of the cached reads.
        from buddypages import locales, selectors  # noqa: F401
