"""Translate demo content through wagtail-localize, the way editors do.

The demo pages are real wagtail-localize translations (a TranslationSource
per page, a Translation per locale), so editors can open them in the
translation editor and re-sync them after changing the Dutch page.
"""

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


@transaction.atomic
def translate_instance(instance, locale: Locale, strings: dict[str, str], *, user=None):
    """Create or update ``instance``'s translation into ``locale``.

    ``strings`` maps each Dutch source string to its translation; strings it
    does not name stay in Dutch (wagtail-localize's fallback).
    """
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
    translation.import_po(po, user=user)
    if isinstance(instance, Page):
        # wagtail-localize publishes pages on commit, from a page object loaded
        # now: children added before the commit would be lost from its tree
        # counters. Save a draft and publish it at once instead.
        translation.save_target(user=user, publish=False)
        target = instance.get_translation(locale)
        target.get_latest_revision().publish(user=user)
        return target
    translation.save_target(user=user, publish=True)
    return instance.get_translation(locale)
