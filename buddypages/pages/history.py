"""Wagtail's own history of the records of people, sealed per municipality.

Wagtail logs every change made in the admin (Reports › Site history, an object's History tab).
Its standard log is one table for the whole installation, shown to every user with permissions
on the model: a coordinator of one municipality would read who did what in another. Records of
people (participants, duos, sign-ups, sends, ...) are therefore logged here instead: each entry
keeps the record's site, only the users who may see that site read it (superusers: all), and
the entry names the record by its kind and number, never by the person's name (a name in a log
would outlive the person's erasure).

A context registers its models with :func:`log_per_site` from the ``register_log_actions`` hook.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from buddypages.pages.access import seal, site_field

# How a record without a site of its own reaches one: through the record it belongs to.
PARENTS = ("participant", "duo", "send", "newcomer")


def site_id_of(instance) -> int | None:
    """The site a record belongs to: its own, or its parent's (a meeting: its duo's)."""
    if hasattr(instance, "site_id"):
        return instance.site_id
    for parent in PARENTS:
        related = getattr(instance, parent, None) if hasattr(instance, f"{parent}_id") else None
        if related is not None:  # a delivery without a participant still has its send
            return site_id_of(related)
    return None


class SiteLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs["object_id"] = str(instance.pk)
        kwargs["site_id"] = site_id_of(instance)
        kwargs["title"] = f"{capfirst(instance._meta.verbose_name)} {instance.pk}"
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        """The entries of the record types the user holds a permission on, of their sites.

        Wagtail's own check caches the allowed types on the user under one name for every log
        model, so it is not reused here: this log holds other types than its standard one."""
        if user.is_superuser:
            return self.all()
        allowed = getattr(user, "_buddypages_history_types", None)
        if allowed is None:
            used = self.order_by().values_list("content_type_id", flat=True).distinct()
            allowed = {
                content_type.pk
                for content_type in ContentType.objects.filter(pk__in=list(used))
                if any(
                    user.has_perm(f"{content_type.app_label}.{codename}")
                    for codename in content_type.permission_set.values_list("codename", flat=True)
                )
            }
            user._buddypages_history_types = allowed
        return seal(self.filter(content_type_id__in=allowed), user)


class SiteLogEntry(BaseLogEntry):
    """One entry of Wagtail's history about a record of a person, kept with its site."""

    object_id = models.CharField(max_length=255, db_index=True)
    site = site_field()

    objects = SiteLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        app_label = "buddypages"
        ordering = ["-timestamp", "-id"]
        verbose_name = _("history entry of a person's record")
        verbose_name_plural = _("history entries of people's records")

    def __str__(self) -> str:
        return f"{self.action} {self.label}"


def log_per_site(actions, *models) -> None:
    """From the ``register_log_actions`` hook: ``models`` are logged in :class:`SiteLogEntry`."""
    for model in models:
        actions.register_model(model, SiteLogEntry)
