"""buddypages.urls: the pages reached from emails, namespaced, in the reader's language."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import translation

from buddypages.duos.views import duo_log_view
from buddypages.registry.views import newsletter_confirm_view


def test_the_duo_log_and_the_newsletter_confirmation_have_namespaced_language_prefixed_urls():
    with translation.override("ar"):
        assert reverse("buddypages:duo-log", args=["t0k"]) == "/ar/duo/t0k/"
        assert reverse("buddypages:newsletter-confirm", args=["t0k"]) == (
            "/ar/newsletter/confirm/t0k/"
        )
        # i18n_patterns answer in the active language
        assert resolve("/ar/duo/t0k/").func is duo_log_view
        assert resolve("/ar/newsletter/confirm/t0k/").func is newsletter_confirm_view


@pytest.mark.parametrize("old_name", ["duo-log", "registry-newsletter-confirm"])
def test_the_names_without_namespace_are_gone(old_name):
    with pytest.raises(NoReverseMatch):
        reverse(old_name, args=["t0k"])
