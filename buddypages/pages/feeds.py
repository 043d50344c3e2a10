"""Atom 1.0 feeds (RFC 4287): the language tips of one overview, and the parts every feed of
the plugin shares (the calendar's feed builds on them).

A feed is for social-media schedulers, feed readers and the editors of the info magazine.
It carries page content only: the author is the site's name, never a person.
"""

from __future__ import annotations

import re
import uuid

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, rfc3339_date
from django.utils.translation import gettext
from wagtail.models import Site

from buddypages.core.locales import locale_language_code

TIPS_IN_FEED = 20
# XML 1.0 has no place for these; a stray one pasted into a title must not break the feed.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    return NOT_IN_XML.sub("", str(value or ""))


def entry_id(translation_key: uuid.UUID, name: str) -> str:
    """A stable Atom id: the same for a page's every save and title, different per language
    (``name`` holds the language and, for an activity, the date)."""
    return f"urn:uuid:{uuid.uuid5(translation_key, name)}"


class AtomFeed(Atom1Feed):
    """Django's Atom feed, with plain-text summaries (``type="text"``: a scheduler posts
    them as they are) and categories that carry a stable term and a readable label.

    Items take ``summary`` (plain text) and ``labelled_categories`` ((term, label) pairs)
    instead of ``description`` and ``categories``, and ``language`` when an entry is in
    another language than the feed (``xml:lang``).
    """

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement(
            "link", "", {"rel": "alternate", "type": "text/html", "href": item["link"]}
        )
        handler.addQuickElement("id", item["unique_id"])
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        # atom:updated is required in every entry (RFC 4287 4.1.2).
        updated = item["updateddate"] or item["pubdate"] or timezone.now()
        handler.addQuickElement("updated", rfc3339_date(updated))
        if item.get("summary"):
            handler.addQuickElement("summary", item["summary"], {"type": "text"})
        for term, label in item.get("labelled_categories", ()):
            handler.addQuickElement("category", "", {"term": term, "label": label})


def new_feed(*, page, request, title: str, subtitle: str, language: str) -> AtomFeed:
    """An empty feed of ``page`` (its alternate link), at ``<page URL>feed/`` (its self link)."""
    site = Site.find_for_request(request)
    link = page.get_full_url(request)
    return AtomFeed(
        title=xml_text(title),
        link=link,
        description="",
        subtitle=xml_text(subtitle) or None,
        language=language,
        feed_url=link + page.reverse_subpage("feed_view"),
        feed_guid=entry_id(page.translation_key, f"feed/{language}"),
        author_name=xml_text(getattr(site, "site_name", "")) or gettext("Buddy programme"),
    )


def add_entry(
    feed: AtomFeed,
    *,
    title: str,
    link: str,
    unique_id: str,
    published,
    updated,
    summary: str,
    categories: list[tuple[str, str]],
    language: str = "",
) -> None:
    """``language``: the entry's own, when it is not the feed's (a tip still in Dutch)."""
    feed.add_item(
        title=xml_text(title),
        link=link,
        description=None,
        unique_id=unique_id,
        pubdate=published,
        updateddate=updated,
        summary=xml_text(summary),
        labelled_categories=[(xml_text(term), xml_text(label)) for term, label in categories],
        language=language,
    )


def feed_response(feed: AtomFeed) -> HttpResponse:
    """The feed as ``application/atom+xml``. It reads no query string, so the page cache
    stores it under its plain address (a request with a query string is answered alike)."""
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


def tip_summary(tip) -> str:
    """The Dutch phrase, then what it means in the feed's language."""
    return f"{tip.phrase}\n\n{tip.meaning}".strip()


def tips_feed_response(index, request) -> HttpResponse:
    """The newest live, public tips ``index`` (one language's tips overview) lists: its own and
    its tips library's, as the overview shows them."""
    language = locale_language_code(index.locale_id)
    with translation.override(language):
        feed = new_feed(
            page=index,
            request=request,
            title=index.title,
            subtitle=index.intro,
            language=language,
        )
        links = _LibraryLinks(index, request)
        for tip in index.public_listing(count=TIPS_IN_FEED):
            library_slug = getattr(tip, "library_slug", "")
            if library_slug:
                link = links.link(tip)
                if link is None:
                    continue  # its Dutch address does not answer either
                # Per municipality: the same library tip in two sites' feeds is two entries
                # with two links; it keeps its id once translated into the feed's language.
                unique_id = entry_id(
                    tip.translation_key, f"library/{index.translation_key}/tip/{language}"
                )
            else:
                link = tip.get_full_url(request)
                unique_id = entry_id(tip.translation_key, f"tip/{language}")
            categories = [(tip.level, tip.level)]
            if tip.theme is not None:
                categories.append((tip.theme.key, tip.theme.name))
            add_entry(
                feed,
                title=tip.title,
                link=link,
                unique_id=unique_id,
                published=tip.first_published_at,
                updated=tip.last_published_at or tip.first_published_at,
                summary=tip_summary(tip),
                categories=categories,
                language=getattr(tip, "other_language", ""),
            )
    return feed_response(feed)


class _LibraryLinks:
    """Where a library tip is read on the overview's own site: ``<overview>library/<slug>/``;
    one not translated into the overview's language yet (a Dutch tip) at the Dutch overview's
    address, where the overview's own address sends it. Each overview's address read once."""

    def __init__(self, index, request):
        self.index = index
        self.request = request
        self.overviews = {index.locale_id: index}
        self.bases = {}

    def link(self, tip) -> str | None:
        locale_id = tip.locale_id
        if locale_id not in self.overviews:
            self.overviews[locale_id] = self.index.get_translation_or_none(locale_id)
        overview = self.overviews[locale_id]
        if overview is None or not overview.live:
            return None
        if overview.pk not in self.bases:
            self.bases[overview.pk] = overview.get_full_url(self.request)
        if self.bases[overview.pk] is None:
            return None
        return self.bases[overview.pk] + overview.library_subpath(tip.library_slug)
