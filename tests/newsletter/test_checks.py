"""The newsletter's system checks: anymail, the unsubscribe URL, a queue for sends later."""

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.test import override_settings
from django.urls import include, path
from wagtail import urls as wagtail_urls

from newsletter import checks

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WithoutTheInclude:
    urlpatterns = i18n_patterns(
        path("", include("buddypages.urls")),
        path("", include(wagtail_urls)),
    )


class IncludedAfterWagtail:
    urlpatterns = i18n_patterns(
        path("", include("buddypages.urls")),
        path("", include(wagtail_urls)),
        path("", include("newsletter.urls")),
    )


def test_the_example_host_has_everything_the_newsletter_needs():
    assert checks.check_companion_apps() == []
    assert checks.check_urls() == []
    with override_settings(TASKS=DATABASE):
        assert checks.check_task_backend() == []


def test_without_anymail_the_error_says_what_it_is_for(monkeypatch):
    # Patched, not modify_settings(INSTALLED_APPS=...): populating the app registry again
    # runs every ready() twice, which the API's router refuses.
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "anymail" and installed(name))
    (message,) = checks.check_companion_apps()
    assert message.id == "newsletter.E001"
    assert "'anymail'" in message.msg
    assert "webhooks" in message.msg
    assert '"anymail"' in message.hint


@override_settings(ROOT_URLCONF=WithoutTheInclude)
def test_without_the_url_include_the_error_gives_the_line_to_add():
    (message,) = checks.check_urls()
    assert message.id == "newsletter.E002"
    assert "unsubscribe" in message.msg
    assert 'path("", include("newsletter.urls"))' in message.hint


@override_settings(ROOT_URLCONF=IncludedAfterWagtail)
def test_an_include_behind_wagtails_pages_is_an_error():
    (message,) = checks.check_urls()
    assert message.id == "newsletter.E003"
    assert "/newsletter/unsubscribe/check/" in message.msg


@override_settings(TASKS=IMMEDIATE)
def test_a_backend_that_runs_tasks_at_once_warns_that_scheduled_sends_are_refused():
    (message,) = checks.check_task_backend()
    assert message.id == "newsletter.W001"
    assert "scheduled for later are refused" in message.msg
    assert '"newsletter.W001" to SILENCED_SYSTEM_CHECKS' in message.hint


def test_the_test_settings_silence_the_deferral_warning_on_purpose(settings):
    assert "newsletter.W001" in settings.SILENCED_SYSTEM_CHECKS


@override_settings(TASKS={"default": {"BACKEND": "no.such.Backend"}})
def test_a_backend_that_cannot_load_is_left_to_the_plugins_check():
    assert checks.check_task_backend() == []
