"""The language code of a Wagtail Locale id without a query per page view."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale

CACHE_KEY = "buddypages:locale-codes"
CACHE_SECONDS = 300


def locale_language_code(locale_id: int) -> str:
    codes = cache.get(CACHE_KEY)
    if codes is None or locale_id not in codes:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set(CACHE_KEY, codes, CACHE_SECONDS)
    return codes.get(locale_id) or Locale.get_default().language_code


def _forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)


post_save.connect(_forget, sender=Locale, dispatch_uid="buddypages-locale-codes-save")
post_delete.connect(_forget, sender=Locale, dispatch_uid="buddypages-locale-codes-delete")
