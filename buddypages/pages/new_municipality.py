"""Adding a municipality to an installation in one step: its home page, its Wagtail Site, its
settings, and its staff's group, which edits only the pages under its own home page and sees
only its own registry (``manage.py add_municipality``; the demo's second town is made alike).

Wagtail's page permissions are per page tree and know nothing of site access: a group given
page permissions on the root may edit every municipality's pages. The group made here has them
on its own home page only, in every language: each language's pages are a tree of their own
under that language's home page, so the permissions are given on each translation of the home
page, and a translation made later takes them over from the page it translates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Locale, Page, Site
from wagtail.signals import copy_for_translation_done

from buddypages.pages.access import SiteGrant
from buddypages.pages.models import HomePage
from buddypages.pages.municipality import MunicipalitySettings

# What a municipality's staff may do with its pages (Wagtail's page permissions).
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


@dataclass
class NewMunicipality:
    site: Site
    home: HomePage
    group: Group


def municipality_team_ensure(site: Site, *, name: str, like: Group | None = None) -> Group:
    """The group ``name`` of ``site``'s staff: may add, edit and publish the pages under the
    site's home page (none elsewhere), sees the site's people (a registry grant), and holds
    the permissions of ``like`` (e.g. the installation's coordinators' group), its media
    collections included. Run again, it adds what is missing and removes nothing."""
    group, _created = Group.objects.get_or_create(name=name)
    if like is not None and like.pk != group.pk:
        group.permissions.add(*like.permissions.all())
        for granted in GroupCollectionPermission.objects.filter(group=like):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection_id=granted.collection_id,
                permission_id=granted.permission_id,
            )
    pages_grant(group, site.root_page)
    SiteGrant.objects.get_or_create(site=site, group=group, level=SiteGrant.Level.REGISTRY)
    return group


def pages_grant(group: Group, top: Page) -> None:
    """``group`` may add, edit and publish ``top`` and the pages under it, in every language
    (``top`` and each of its translations beside it; never a page that is another site's
    own root)."""
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    other_roots = Site.objects.exclude(root_page=top).values("root_page")
    pages = Page.objects.filter(translation_key=top.translation_key, depth=top.depth).exclude(
        pk__in=other_roots
    )
    for page in pages:
        _copy_grants(page, [(group.pk, permission.pk) for permission in permissions])


def _copy_grants(page: Page, grants) -> None:
    for group_id, permission_id in grants:
        GroupPagePermission.objects.get_or_create(
            group_id=group_id, page=page, permission_id=permission_id
        )


def _translation_keeps_the_permissions(sender, source_obj, target_obj, **kwargs):
    """A new translation of a page at the top of the tree (a municipality's home page, the
    region's tips library) gets the page permissions of the page it translates: whoever edits
    the Dutch pages of a municipality edits its Arabic ones too, once they exist."""
    if not isinstance(target_obj, Page) or target_obj.depth != 2:
        return
    granted = GroupPagePermission.objects.filter(page=source_obj.pk)
    _copy_grants(target_obj, granted.values_list("group_id", "permission_id"))


copy_for_translation_done.connect(
    _translation_keeps_the_permissions, dispatch_uid="buddypages-translation-permissions"
)


def municipality_add(
    *,
    name: str,
    hostname: str,
    port: int = 443,
    languages: list[str] | None = None,
    group_name: str = "",
    like: Group | None = None,
) -> NewMunicipality:
    """A new municipality: a published Dutch home page titled ``name`` at the top of the page
    tree, a Site at ``hostname``:``port`` on it, its settings (name, ``languages``: empty for
    all of the installation's) and its staff's group (:func:`municipality_team_ensure`).

    Raises ValidationError (nothing made) for an empty name, a host name that is not one, a
    port outside 1-65535, a host and port another site has, or an unknown language."""
    name = name.strip()
    hostname = hostname.strip().lower()
    languages = list(dict.fromkeys(code.strip().lower() for code in languages or []))
    group_name = group_name.strip() or f"{name} staff"
    errors = {}
    if not name:
        errors["name"] = "Give the municipality a name."
    elif len(name) > MunicipalitySettings._meta.get_field("name").max_length:
        errors["name"] = "The name is too long."
    if not HOSTNAME.match(hostname):
        errors["hostname"] = f"{hostname!r} is not a host name (e.g. beekdorp.example.be)."
    elif Site.objects.filter(hostname=hostname, port=port).exists():
        errors["hostname"] = f"A site already answers at {hostname}:{port}."
    if not 1 <= port <= 65535:
        errors["port"] = f"{port} is not a port (1 to 65535)."
    known = [code for code, _name in settings.LANGUAGES]
    unknown = [code for code in languages if code not in known]
    if unknown:
        errors["languages"] = (
            f"Not a language of this installation: {', '.join(unknown)}. "
            f"Choose from: {', '.join(known)}."
        )
    if len(group_name) > Group._meta.get_field("name").max_length:
        errors["group"] = "The group's name is too long."
    elif Group.objects.filter(name=group_name).exists():
        # Never widen an existing group: its members would see this site's people too.
        errors["group"] = (
            f"A group {group_name!r} exists already; choose another name for this "
            "municipality's staff (--group)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        home = HomePage(
            title=name,
            slug=_free_slug(slugify(name) or "municipality"),
            locale=Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0],
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
        MunicipalitySettings.objects.update_or_create(
            site=site, defaults={"name": name, "languages": languages}
        )
        group = municipality_team_ensure(site, name=group_name, like=like)
    return NewMunicipality(site=site, home=home, group=group)


def _free_slug(slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3``, ... when a page at the top already has it."""
    taken = set(Page.get_first_root_node().get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def groups_editing_every_site() -> list[Group]:
    """Groups with page permissions on the root of the page tree: they edit every
    municipality's pages, whatever their site access says."""
    root = Page.get_first_root_node()
    return list(Group.objects.filter(page_permissions__page=root).distinct().order_by("name"))


def sites_without_staff() -> list[Site]:
    """Sites nobody is granted (a user or a group, their people): from the second site on,
    their coordinators see nobody until someone is."""
    granted = SiteGrant.objects.filter(level=SiteGrant.Level.REGISTRY).values("site")
    return list(Site.objects.exclude(pk__in=granted).order_by("site_name", "pk"))
