"""The plugin's system checks name what a host forgot: an app, the URL include, a task queue."""

import pytest
from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.test import override_settings
from django.urls import include, path
from wagtail import urls as wagtail_urls

from buddypages import checks

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WithoutTheInclude:
    urlpatterns = i18n_patterns(path("", include(wagtail_urls)))


class IncludedAfterWagtail:
    urlpatterns = i18n_patterns(
        path("", include(wagtail_urls)),
        path("", include("buddypages.urls")),
    )


class IncludedWithoutLanguage:
    urlpatterns = [
        path("", include("buddypages.urls")),
        *i18n_patterns(path("", include(wagtail_urls))),
    ]


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.fixture
def uninstall(monkeypatch):
    """``uninstall("app")``: the app registry answers as if the app were not installed.

    Not ``modify_settings(INSTALLED_APPS=...)``: that populates the registry again, running
    every app's ``ready()`` a second time, which the API's router refuses.
    """

    def remove(*names: str) -> None:
        installed = apps.is_installed
        monkeypatch.setattr(
            apps, "is_installed", lambda name: name not in names and installed(name)
        )

    return remove


def test_the_example_host_has_everything_the_plugin_needs():
    assert checks.check_companion_apps() == []
    assert checks.check_urls() == []
    with override_settings(TASKS=DATABASE):
        assert checks.check_task_backend() == []


@pytest.mark.parametrize("app", ["wagtail_localize", "wagtail.contrib.routable_page"])
def test_a_missing_companion_app_is_named_with_the_line_to_add(uninstall, app):
    uninstall(app)
    messages = checks.check_companion_apps()
    assert ids(messages) == ["buddypages.E001"]
    assert repr(app) in messages[0].msg
    assert messages[0].hint == f'Add "{app}" to INSTALLED_APPS.'


@override_settings(ROOT_URLCONF=WithoutTheInclude)
def test_without_the_url_include_the_error_gives_the_line_to_add():
    (message,) = checks.check_urls()
    assert message.id == "buddypages.E002"
    assert "meeting log" in message.msg
    assert 'path("", include("buddypages.urls"))' in message.hint
    assert "i18n_patterns" in message.hint


@override_settings(ROOT_URLCONF=IncludedAfterWagtail)
def test_an_include_behind_wagtails_pages_is_an_error():
    (message,) = checks.check_urls()
    assert message.id == "buddypages.E003"
    assert "/duo/check/" in message.msg
    assert "wagtail_serve" in message.msg
    assert message.hint.startswith('Move path("", include("buddypages.urls")) before')


@override_settings(ROOT_URLCONF=IncludedWithoutLanguage)
def test_an_include_outside_i18n_patterns_is_a_warning():
    assert ids(checks.check_urls()) == ["buddypages.W002"]


@override_settings(TASKS=IMMEDIATE)
def test_a_backend_that_runs_tasks_at_once_warns_that_nothing_runs_at_night():
    (message,) = checks.check_task_backend()
    assert message.id == "buddypages.W001"
    assert "ImmediateBackend" in message.msg
    assert "retention" in message.msg
    assert "SILENCED_SYSTEM_CHECKS" in message.hint


def test_the_test_settings_silence_the_warnings_of_the_immediate_backend(settings):
    # Documented in site/buddysite/settings/test.py; an adopter's settings do not.
    assert "buddypages.W001" in settings.SILENCED_SYSTEM_CHECKS


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_deferring_backend_other_than_the_database_queue_is_an_error():
    (message,) = checks.check_task_backend()
    assert message.id == "buddypages.E005"
    assert "DummyBackend" in message.msg
    assert "not django_tasks_db.DatabaseBackend" in message.msg


@override_settings(TASKS=DATABASE)
def test_the_database_backend_without_its_app_is_an_error(uninstall):
    uninstall("django_tasks_db")
    (message,) = checks.check_task_backend()
    assert message.id == "buddypages.E005"
    assert '"django_tasks_db" is not in INSTALLED_APPS' in message.msg


@override_settings(TASKS={"default": {"BACKEND": "no.such.Backend"}})
def test_a_task_backend_that_cannot_load_is_an_error():
    (message,) = checks.check_task_backend()
    assert message.id == "buddypages.E004"
    assert "no.such.Backend" in message.msg
