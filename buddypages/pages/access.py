"""Which municipalities (Wagtail Sites) a user may see: the seal around each site's registry.

Every personal record (participants and what hangs from them, duos and their meetings,
activity sign-ups, newsletter sends and deliveries, suppressions, audit entries) belongs to one
site. A coordinator is granted sites, alone or through a group (:class:`SiteGrant`):

* ``registry``: the site's people, duos, sign-ups, sends, and its figures;
* ``figures``: only the site's aggregated figures (the yearly report), never a person.

Superusers see every site. An installation with a single site needs no grants: the model
permissions decide, as before there were several. From the second site on, only grants count,
so adding a municipality never opens the first one's registry to the second's coordinators.

Every admin list, detail, export, chooser, dashboard panel and task reads through
:func:`seal` (querysets) or :func:`require_site` (one object), with the lookup that leads
from its model to the site: ``"site"``, ``"participant__site"``, ``"duo__site"``, ...
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

ALL = None  # no seal: every site (a superuser, or an installation with one site)


def site_field(**options) -> models.ForeignKey:
    """The ``site`` of a sealed record: set when it is made, kept when the site's pages go."""
    return models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The municipality this belongs to; only its coordinators see it."),
        **options,
    )


class SiteGrant(models.Model):
    """A user, or every member of a group, may see one site, wholly or its figures only."""

    class Level(models.TextChoices):
        REGISTRY = "registry", _("Its people and figures (coordinator)")
        FIGURES = "figures", _("Its aggregated figures only (region)")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="buddypages_site_grants",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="buddypages_site_grants",
    )
    level = models.CharField(
        _("may see"), max_length=10, choices=Level.choices, default=Level.REGISTRY
    )

    class Meta:
        verbose_name = _("site access")
        verbose_name_plural = _("site access")
        ordering = ["site__site_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="site_grant_user_or_group",
                violation_error_message=_("Choose a user or a group, not both."),
            ),
            models.UniqueConstraint(
                fields=["site", "user", "level"],
                condition=Q(user__isnull=False),
                name="one_site_grant_per_user",
                violation_error_message=_("This user already has this access to this site."),
            ),
            models.UniqueConstraint(
                fields=["site", "group", "level"],
                condition=Q(group__isnull=False),
                name="one_site_grant_per_group",
                violation_error_message=_("This group already has this access to this site."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder()}: {self.site} ({self.get_level_display()})"

    def holder(self) -> str:
        """The user's name, or the group's with a word saying it is one."""
        if self.user_id:
            return self.user.get_username()
        return str(_("group %(name)s") % {"name": self.group.name})


def _grants(user) -> dict[str, frozenset[int]]:
    """The user's grants by level, read once per user object (so once per request)."""
    cached = getattr(user, "_buddypages_site_grants", None)
    if cached is None:
        rows = SiteGrant.objects.filter(
            Q(user_id=user.pk) | Q(group__in=user.groups.all())
        ).values_list("level", "site_id")
        cached = {level: set() for level in SiteGrant.Level.values}
        for level, site_id in rows:
            cached[level].add(site_id)
        cached = {level: frozenset(ids) for level, ids in cached.items()}
        if not any(cached.values()) and Site.objects.count() <= 1:
            cached = dict.fromkeys(SiteGrant.Level.values, ALL)
        user._buddypages_site_grants = cached
    return cached


def registry_site_ids(user) -> frozenset[int] | None:
    """The sites whose people ``user`` may see; ``ALL`` (None) for every site."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL
    return _grants(user)[SiteGrant.Level.REGISTRY]


def report_site_ids(user) -> frozenset[int] | None:
    """The sites whose aggregated figures ``user`` may read (a coordinator's own, a region's)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    registry = registry_site_ids(user)
    if registry is ALL:
        return ALL
    figures = _grants(user)[SiteGrant.Level.FIGURES]
    return ALL if figures is ALL else registry | figures


def forget_grants(user) -> None:
    """Read the grants again on the next question (after they were changed)."""
    user.__dict__.pop("_buddypages_site_grants", None)


def seal(queryset, user, *, via: str = "site"):
    """``queryset`` narrowed to the sites ``user`` may see; ``via`` leads from its model to the
    site (``"site"``, ``"participant__site"``, ``"duo__site"``, ...)."""
    site_ids = registry_site_ids(user)
    if site_ids is ALL:
        return queryset
    return queryset.filter(**{f"{via}__in": site_ids})


def may_see_site(user, site_id: int | None) -> bool:
    site_ids = registry_site_ids(user)
    return site_ids is ALL or (site_id is not None and site_id in site_ids)


def require_site(user, obj, *, via: str = "site"):
    """``obj`` itself, or Http404 when it belongs to a site ``user`` may not see: a coordinator
    of another municipality learns nothing, not even that the number exists."""
    site_ids = registry_site_ids(user)
    if site_ids is ALL:
        return obj
    if via == "site":
        allowed = obj.site_id in site_ids
    else:
        allowed = seal(type(obj)._default_manager.filter(pk=obj.pk), user, via=via).exists()
    if not allowed:
        raise Http404
    return obj


def visible_sites(user, *, figures: bool = False):
    """The sites ``user`` may see (their registries, or with ``figures`` their reports)."""
    site_ids = report_site_ids(user) if figures else registry_site_ids(user)
    sites = Site.objects.select_related("root_page").order_by("-is_default_site", "site_name")
    return sites if site_ids is ALL else sites.filter(pk__in=site_ids)


def seal_pages(pages, user):
    """``pages`` (a page QuerySet) narrowed to the trees of the sites ``user`` may see (each
    site's home page and its translations), as ``Page.get_site()`` assigns them: a page
    under another site's root nested inside a visible tree belongs to that other site."""
    site_ids = registry_site_ids(user)
    if site_ids is ALL:
        return pages
    return pages_of_sites(pages, site_ids)


def pages_of_sites(pages, site_ids):
    """``pages`` narrowed to the trees of the sites ``site_ids`` (see :func:`seal_pages`)."""
    roots = Site.get_site_root_paths()
    inside = Q(pk__in=[])
    for mine in (root for root in roots if root.site_id in site_ids):
        tree = Q(url_path__startswith=mine.root_path)
        for other in roots:
            if (
                other.site_id not in site_ids
                and len(other.root_path) > len(mine.root_path)
                and other.root_path.startswith(mine.root_path)
            ):
                tree &= ~Q(url_path__startswith=other.root_path)
        inside |= tree
    return pages.filter(inside)


class SealedViewMixin:
    """For a Wagtail generic view of a sealed model: its list shows, and its object is found,
    only within the user's sites (``Http404`` otherwise). A model sealed another way (through
    its programme, say) overrides :meth:`seal_queryset`."""

    sealed_via = "site"

    def seal_queryset(self, queryset):
        return seal(queryset, self.request.user, via=self.sealed_via)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if queryset.model is not self.model:
            # The history and usage views list log entries and references of an object that
            # get_object has already sealed.
            return queryset
        return self.seal_queryset(queryset)

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if not self.seal_queryset(type(row)._default_manager.filter(pk=row.pk)).exists():
            raise Http404
        return row


class SealedViewSetMixin:
    """For a Wagtail ``ModelViewSet`` of a sealed model: every view it makes (index, results,
    export, inspect, edit, delete, history, usage) is sealed by ``sealed_view_mixin`` (by
    default through ``sealed_via``)."""

    sealed_via = "site"
    sealed_view_mixin = SealedViewMixin

    def construct_view(self, view_class, **kwargs):
        sealed_class = type(
            f"Sealed{view_class.__name__}",
            (self.sealed_view_mixin, view_class),
            {"sealed_via": self.sealed_via, "__module__": view_class.__module__},
        )
        return super().construct_view(sealed_class, **kwargs)
