from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuddySiteConfig(AppConfig):
    name = "buddysite"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from buddypages.core import languages
        from buddysite import signals  # noqa: F401

        languages.register_extra_languages()
        signals.connect_snippet_receivers()

        from buddysite.admin_csp import patch_chooser_widgets

        patch_chooser_widgets()
