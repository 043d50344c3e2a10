"""wagtail-localize's workflow works for every page type: submit, translate, publish."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from buddypages.models import HomePage

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    model
    for model in apps.get_app_config("buddypages").get_models()
    if issubclass(model, Page) and model is not Page
]


def test_every_page_type_is_listed():
    assert HomePage in PAGE_TYPES


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_editor_submits_and_edits_a_translation(
    client, demo, model, django_capture_on_commit_callbacks
):
    editor = get_user_model().objects.get(username="editor")
    client.force_login(editor)
    source = model.objects.get(locale__language_code="nl")
    # A fresh locale with no translation yet.
    locale = Locale.objects.create(language_code="fa-af")

    submit_url = f"/admin/localize/submit/page/{source.pk}/"
    assert client.get(submit_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url, {"locales": [locale.pk]})
    assert response.status_code == 302

    translated = source.get_translation(locale)
    assert Translation.objects.filter(
        source__object_id=source.translation_key, target_locale=locale
    ).exists()
    edit = client.get(f"/admin/pages/{translated.pk}/edit/")
    assert edit.status_code == 200
    assert "wagtail-localize" in edit.content.decode() or "translation" in edit.content.decode()
