"""What an event says, and the receivers that queue one when a page or an activity changes.

An event is ``{"type", "timestamp", "data"}``; ``data`` names a page: its id, type, locale,
public address and path, the site's host name and its address in the API. Never a person:
an event about sign-ups carries the activity and the date, not who signed up.

Only the plugin's own page types send events: pages of the ``buddypages`` and
``newsletter`` apps. Only the endpoints of the page's own site receive them.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from buddypages.api.webhooks import purge
from buddypages.api.webhooks.models import EventType

logger = logging.getLogger(__name__)

PLUGIN_APPS = ("buddypages", "newsletter")
ACTIVITY_PAGE = "buddypages.ActivityPage"


def is_plugin_page(model) -> bool:
    """Pages of the plugin's apps; Wagtail's own and the host's pages send nothing."""
    return (
        model is not None
        and issubclass(model, Page)
        and model is not Page
        and model._meta.app_label in PLUGIN_APPS
    )


def page_site(page) -> Site | None:
    """The Wagtail Site a page is served under (a translated home counts as the site's)."""
    site = page.get_site()
    if site is not None:
        return site
    for candidate in Site.objects.select_related("root_page"):
        root = candidate.root_page
        roots = Page.objects.filter(translation_key=root.translation_key)
        if any(page.path.startswith(other.path) for other in roots):
            return candidate
    return None


def api_detail_url(site: Site, page_id: int) -> str | None:
    try:
        path = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page_id})
    except NoReverseMatch:  # the host did not include the API
        return None
    return site.root_url + path


def page_data(page, site: Site) -> dict:
    """The ``data`` of an event about ``page``: where it is, never what anyone sent."""
    model = page.specific_class or type(page)
    url = page.get_full_url()
    return {
        "id": page.pk,
        "type": model._meta.label,
        "locale": page.locale.language_code,
        "url": url,
        "path": page.get_url(current_site=site) if url else None,
        "site": site.hostname,
        "api_url": api_detail_url(site, page.pk),
    }


def event(event_type: str, data: dict) -> dict:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def page_event(event_type: str, page, **extra) -> None:
    """Queue ``event_type`` about ``page`` for its site's endpoints, once committed; about a
    tip of a tips library outside every site, for each site whose tips page includes it (with
    its address there)."""
    from buddypages.api.webhooks.services import events_queue

    site = page_site(page)
    shown = [(site, page_data(page, site))] if site is not None else library_tip_sites(page)
    urls = []
    for site, data in shown:
        events_queue(site_id=site.pk, events=[event(event_type, {**data, **extra})])
        # The API's answers about the page, in a front-end cache (the page's own addresses
        # are wagtail.contrib.frontend_cache's on publish and unpublish).
        if purge.enabled():
            urls += purge.page_api_urls(page, site, path=data["path"])
    if urls:
        transaction.on_commit(lambda: purge.purge_urls(urls))


def library_tip_sites(page) -> list[tuple[Site, dict]]:
    """For a tip of a tips library: each site that shows it (its tips page includes the
    library), with the tip's ``data`` there (its address on that site). Else nothing."""
    from buddypages.models import LanguageTipIndexPage, LanguageTipPage

    if not isinstance(page, LanguageTipPage):
        return []
    library = page.get_parent().specific_deferred
    if not isinstance(library, LanguageTipIndexPage):
        return []
    shown = []
    for overview in library.showing_this_library():
        if overview.locale_id != page.locale_id:
            continue  # another language's tips page shows this tip's translation, if any
        site = page_site(overview)
        address = overview.library_tip_address(page)
        if site is None or not address:
            continue
        path = urlsplit(address).path
        shown.append((site, {**page_data(page, site), "url": address, "path": path}))
    return shown


# --- Receivers (Wagtail's and Django's signals) ----------------------------------------------


def published(sender, instance, **kwargs) -> None:
    if not is_plugin_page(sender):
        return
    page_event(EventType.PAGE_PUBLISHED, instance)
    if sender._meta.label == ACTIVITY_PAGE:
        page_event(EventType.ACTIVITY_UPDATED, instance)


def unpublished(sender, instance, **kwargs) -> None:
    if is_plugin_page(sender):
        page_event(EventType.PAGE_UNPUBLISHED, instance)


def moved(sender, instance, url_path_before="", **kwargs) -> None:
    if is_plugin_page(sender):
        page_event(EventType.PAGE_MOVED, instance)


def deleted(sender, instance, **kwargs) -> None:
    # Before the delete: the page's site and address are still there to be read. Each
    # page of a deleted branch arrives here with its own model as the sender.
    if is_plugin_page(sender):
        page_event(EventType.PAGE_DELETED, instance)


def signup_changed(sender, instance, **kwargs) -> None:
    """A sign-up changed the places left of one date of an activity (in every language)."""
    key = (instance.activity_id, instance.occurrence_start)
    transaction.on_commit(lambda: _places_changed(key))


def _places_changed(key) -> None:
    from django.apps import apps

    activity_id, start = key
    model = apps.get_model("buddypages", "ActivityPage")
    activity = model.objects.filter(pk=activity_id).first()
    if activity is None:
        return
    extra = {"occurrence_start": start.isoformat() if start else None}
    for page in model.objects.filter(translation_key=activity.translation_key).live():
        page_event(EventType.ACTIVITY_PLACES_CHANGED, page, **extra)


def connect(signup_model) -> None:
    """Connect the receivers (``buddypages.apps``). ``signup_model``: the calendar's sign-ups."""
    uid = "buddypages-webhooks"
    page_published.connect(published, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(unpublished, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(moved, dispatch_uid=f"{uid}-moved")
    pre_delete.connect(deleted, dispatch_uid=f"{uid}-deleted")
    for signal in (post_save, post_delete):
        signal.connect(signup_changed, sender=signup_model, dispatch_uid=f"{uid}-{id(signal)}")
