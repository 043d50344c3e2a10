from django.apps import AppConfig
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from newsletter import checks as newsletter_checks

        # Connects the receiver of anymail's tracking signal.
        from newsletter import webhooks  # noqa: F401

        # What a host forgot when it installed the newsletter (newsletter/checks.py).
        register(newsletter_checks.check_companion_apps)
        register(newsletter_checks.check_urls, Tags.urls)
        register(newsletter_checks.check_task_backend)
