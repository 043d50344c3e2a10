"""An editor picks the languages of a poster in the programme page's panel and downloads it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password-123"  # noqa: S105


@pytest.fixture
def editor(demo_site):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="editor")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_ticked_languages_go_into_the_poster_and_flyer_links(browser, demo_site, editor):
    from buddypages.models import ProgrammePage

    programme = ProgrammePage.objects.get(locale__language_code="nl")
    context = browser.new_context(base_url=demo_site)
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(f"{demo_site}/admin/")
        page.goto(f"/admin/pages/{programme.pk}/edit/")
        panel = page.locator("[data-bp-sheets]")
        poster, flyer = panel.locator("[data-bp-sheet]").all()
        for code in ("ar", "ti"):
            panel.locator(f"[data-bp-sheet-language][value={code}]").check()
        expect(poster).to_have_attribute("href", f"{programme.url}poster.pdf?langs=nl,ar,ti")
        expect(flyer).to_have_attribute("href", f"{programme.url}flyer.pdf?langs=nl,ar,ti")
        response = page.request.get(poster.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")

        # Five languages are one too many: the panel says so and the links do nothing.
        for code in ("uk", "fa"):
            panel.locator(f"[data-bp-sheet-language][value={code}]").check()
        message = panel.locator("[data-bp-sheet-message]")
        expect(message).to_be_visible()
        expect(message).to_contain_text("4")
        expect(poster).to_have_attribute("aria-disabled", "true")
        panel.locator("[data-bp-sheet-language][value=fa]").uncheck()
        expect(message).to_be_hidden()
        expect(poster).not_to_have_attribute("aria-disabled", "true")
    finally:
        context.close()
