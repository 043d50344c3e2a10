"""The content generation: one number that changes whenever what visitors may see changes.

Caches key their entries by it and the API's ETags carry it, so bumping it makes every cached
page and every ETag stale at once, in every web process, whatever the cache backend. Reading it
costs one primary-key lookup.

Receivers (Wagtail's and Django's signals, outside our own flow) bump it when pages and
snippets are published, unpublished, moved or deleted, when sites, locales, privacy rules and
media change, and for the models a context names (activity sign-ups change the places left).
"""

import time

from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

GENERATION_PK = 1


class ContentGeneration(models.Model):
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        app_label = "buddypages"
        default_permissions = ()
        verbose_name = _("content generation")

    def __str__(self) -> str:
        return str(self.value)


def current_generation() -> int:
    """One indexed read, written as SQL: every request of the page cache and every API ETag
    asks, and the ORM's query building costs thirty times the query itself here."""
    table = connection.ops.quote_name(ContentGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [GENERATION_PK])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


# This process's last read: [value, _clock() at the read]. See recent_generation().
_recent = [0, float("-inf")]
_clock = time.monotonic


def recent_generation(max_age: float) -> int:
    """The content generation as this process read it at most ``max_age`` seconds ago.

    For the hot path of a page cache: another process's publish reaches this one within
    ``max_age`` seconds; this process's own bumps at once. 0 reads it every time.
    """
    now = _clock()
    if now - _recent[1] >= max_age:
        _recent[:] = [current_generation(), now]
    return _recent[0]


def forget_recent_generation() -> None:
    _recent[1] = float("-inf")


def bump_generation() -> None:
    """Make every cached answer stale. Runs inside the caller's transaction."""
    updated = ContentGeneration.objects.filter(pk=GENERATION_PK).update(value=F("value") + 1)
    if not updated:
        ContentGeneration.objects.get_or_create(pk=GENERATION_PK, defaults={"value": 1})
    # Again once committed: a request of this process may read the old value meanwhile.
    forget_recent_generation()
    transaction.on_commit(forget_recent_generation)


def request_generation(request) -> int:
    """The content generation, read at most once per request."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = current_generation()
        if request is not None:
            request.content_generation = generation
    return generation


def content_changed(**kwargs) -> None:
    bump_generation()


def connect_receivers(*models_that_show) -> None:
    """Bump on every change visitors may see. Called once the app registry is ready.

    ``models_that_show``: models of the contexts whose rows change what a page or the API
    shows without a publish (activity sign-ups: the places left).
    """
    from django.apps import apps
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
    from wagtail.signals import (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    # Pages and snippets with drafts: publishing, unpublishing, moving, deleting.
    for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
        signal.connect(content_changed, dispatch_uid=f"buddypages-generation-{id(signal)}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="buddypages-generation-page")

    # Site structure, privacy, media, translatable snippets (partners, tip themes, ...).
    watched = [
        Site,
        Locale,
        PageViewRestriction,
        CollectionViewRestriction,
        get_image_model(),
        get_document_model(),
        *models_that_show,
    ]
    watched += [
        model
        for model in apps.get_models()
        if issubclass(model, TranslatableMixin) and not issubclass(model, Page)
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"buddypages-generation-{model._meta.label}",
            )
    for restriction in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            content_changed,
            sender=restriction.groups.through,
            dispatch_uid=f"buddypages-generation-{restriction._meta.label}-groups",
        )
