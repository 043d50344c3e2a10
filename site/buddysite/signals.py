"""Invalidate the anonymous page cache when what visitors may see changes.

Signals from Wagtail and Django (outside our own flow), so receivers are the
right tool. Each bumps the content generation, which every cache key carries.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    TranslatableMixin,
)
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from buddysite.cache import bump_generation


def content_changed(**kwargs) -> None:
    bump_generation()


# Pages and snippets with drafts: publishing, unpublishing, moving, deleting.
for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
    signal.connect(content_changed, dispatch_uid=f"buddysite-cache-{id(signal)}")
post_delete.connect(content_changed, sender=Page, dispatch_uid="buddysite-cache-page-delete")

# Site structure, privacy, and the media pages and the API point at.
for model in (
    Site,
    Locale,
    PageViewRestriction,
    CollectionViewRestriction,
    get_image_model(),
    get_document_model(),
):
    for signal in (post_save, post_delete):
        signal.connect(
            content_changed, sender=model, dispatch_uid=f"buddysite-cache-{model._meta.label}"
        )
for restriction in (PageViewRestriction, CollectionViewRestriction):
    m2m_changed.connect(
        content_changed,
        sender=restriction.groups.through,
        dispatch_uid=f"buddysite-cache-{restriction._meta.label}-groups",
    )


def connect_snippet_receivers() -> None:
    """Translatable snippets (partners, tip themes, ...) appear on pages: bump on change.

    Called once the app registry is ready, so every app's models are known.
    """
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, TranslatableMixin) and not issubclass(model, Page):
            for signal in (post_save, post_delete):
                signal.connect(
                    content_changed,
                    sender=model,
                    dispatch_uid=f"buddysite-cache-{model._meta.label}",
                )


@receiver(post_migrate, dispatch_uid="buddysite-cache-deploy")
def deployed(sender, app_config, **kwargs) -> None:
    """A deploy runs ``migrate``: templates and static names may have changed."""
    if app_config.label == "buddysite":
        bump_generation()
