"""Invalidate the anonymous page cache when published content changes.

Signals from Wagtail (outside our own flow), so receivers are the right tool.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from buddysite.cache import bump_generation


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(published)
@receiver(unpublished)
def content_changed(sender, **kwargs) -> None:
    bump_generation()


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump_generation()


@receiver(post_save, sender=Site)
@receiver(post_save, sender=Locale)
@receiver(post_delete, sender=Site)
@receiver(post_delete, sender=Locale)
def structure_changed(sender, **kwargs) -> None:
    bump_generation()
