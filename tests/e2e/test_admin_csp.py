"""The admin works under the Content-Security-Policy: no violations on its main screens."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password-123"  # noqa: S105


@pytest.fixture
def coordinator(demo_site):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="coordinator")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_admin_screens_raise_no_csp_violations(browser, demo_site, coordinator):
    from buddypages.models import ProgrammePage

    context = browser.new_context(base_url=demo_site)
    violations = []
    try:
        page = context.new_page()

        def record(message):
            if "Content Security Policy" in message.text or "Refused to" in message.text:
                violations.append(f"{page.url}: {message.text[:100]}")

        page.on("console", record)
        page.goto("/admin/login/")
        page.fill("#id_username", "coordinator")
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(f"{demo_site}/admin/")
        programme = ProgrammePage.objects.get(locale__language_code="nl")
        for url in (
            "/admin/",
            "/admin/participants/",
            f"/admin/pages/{programme.pk}/edit/",
            "/admin/matching/",
            "/admin/duos/",
            "/admin/2fa/",
        ):
            response = page.goto(url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            expect(page.locator("main")).to_be_visible()
        # A page with date pickers and an inline panel: both still work.
        from buddypages.models import ActivityPage

        activity = ActivityPage.objects.filter(locale__language_code="nl").first()
        page.goto(f"/admin/pages/{activity.pk}/edit/")
        forms = page.locator("#id_occurrence_changes-FORMS > *")
        before = forms.count()
        page.locator("#id_occurrence_changes-ADD").click()
        expect(forms).to_have_count(before + 1)
        # Each date field got its picker (started by buddysite/admin-init.js).
        assert page.locator(".xdsoft_datetimepicker").count() >= 2
        # And the translation screens of wagtail-localize.
        page.goto(f"/admin/localize/submit/page/{programme.pk}/")
        expect(page.locator("input[name=select_all]")).to_be_visible()
        page.check("input[name=select_all]")  # the moved script ticks every language
        expect(page.locator("input[name=locales]").first).to_be_checked()
        english = ProgrammePage.objects.get(locale__language_code="en")
        response = page.goto(f"/admin/pages/{english.pk}/edit/")  # the translation editor
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        expect(page.locator("main")).to_be_visible()
        assert violations == []
    finally:
        context.close()
