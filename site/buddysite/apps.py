from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuddySiteConfig(AppConfig):
    name = "buddysite"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from buddypages.core import languages

        languages.register_extra_languages()

        from buddysite.admin_csp import patch_chooser_widgets

        patch_chooser_widgets()

        from buddysite.cache import connect_purge_receivers

        connect_purge_receivers()
