"""newsletter.urls: the unsubscribe page, namespaced, in the reader's language."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import translation

from newsletter.views import unsubscribe_view


def test_unsubscribe_has_a_namespaced_language_prefixed_url():
    with translation.override("fr"):
        assert reverse("newsletter:unsubscribe", args=["t0k"]) == (
            "/fr/newsletter/unsubscribe/t0k/"
        )
    with translation.override("ti"):  # i18n_patterns answer in the active language
        assert resolve("/ti/newsletter/unsubscribe/t0k/").func is unsubscribe_view
    with pytest.raises(NoReverseMatch):
        reverse("newsletter-unsubscribe", args=["t0k"])
