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


@pytest.fixture
def somali_untranslated(demo):
    """The demo without its Somali home page, so an editor can translate it afresh."""
    Translation.objects.filter(target_locale__language_code="so").delete()
    Page.objects.get(pk=demo.home_pages["so"].pk).delete()
    return Locale.objects.get(language_code="so")


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_editor_submits_translates_and_publishes(
    client, demo, somali_untranslated, model, django_capture_on_commit_callbacks
):
    client.force_login(get_user_model().objects.get(username="editor"))
    source = model.objects.filter(locale__language_code="nl").live().first()
    locale = somali_untranslated

    submit_url = f"/admin/localize/submit/page/{source.pk}/"
    assert client.get(submit_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url, {"locales": [locale.pk], "include_subtree": False})
    assert response.status_code == 302

    translated = source.get_translation(locale)
    translation = Translation.objects.get(
        source__object_id=source.translation_key, target_locale=locale
    )
    edit = client.get(f"/admin/pages/{translated.pk}/edit/")
    assert edit.status_code == 200
    assert "js-translation-editor" in edit.content.decode()  # wagtail-localize, not the form

    # The translator fills in the title and publishes, as the editor's form does.
    po = translation.export_po()
    for entry in po:
        if entry.msgid == source.title:
            entry.msgstr = "Tijaabo: Nederlands wada jir"
    translation.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    translated.refresh_from_db()
    page = client.get(translated.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tijaabo: Nederlands wada jir" in body
    assert '<html lang="so" dir="ltr">' in body
