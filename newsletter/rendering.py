"""Rendering an issue per recipient, fast.

Each issue is rendered once per *variant* (language x recipient kind x in a
duo or not): the template, the blocks, the language tip and the upcoming
activities, then CSS inlining. Personal parts are left as markers, and each
recipient's message is that variant with the markers replaced (first name,
buddy's first name, unsubscribe link). So 10,000 messages cost a few dozen
template renders plus 10,000 string replacements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape, unescape

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from buddypages.calendar.selectors import upcoming_activity_occurrences
from buddypages.core.languages import text_direction
from buddypages.core.mail import absolute_url, message_id, site_root_url
from buddypages.pages.municipality import page_site_id, sender_for_page
from buddypages.pages.selectors import language_tip_for_newsletter
from newsletter.conf import list_id, newsletter_setting
from newsletter.tokens import unsubscribe_token
from newsletter.training_suggestion import TrainingSuggestions

FIRST_NAME = "%%FIRST_NAME%%"
BUDDY_NAME = "%%BUDDY_FIRST_NAME%%"
UNSUBSCRIBE_URL = "%%UNSUBSCRIBE_URL%%"
# A block for one recipient only (the next basic training for a volunteer who misses it).
PERSONAL_NOTE = "%%PERSONAL_NOTE%%"
# Who reads which activities: the activity's audience values per recipient kind.
ACTIVITY_AUDIENCES = {
    "newcomer": ("everyone", "newcomers"),
    "volunteer": ("everyone", "volunteers"),
    "subscriber": ("everyone",),
}
INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Recipient:
    email: str
    first_name: str
    language: str
    kind: str = "subscriber"  # newcomer, volunteer or subscriber
    buddy_first_name: str = ""  # set for members of a running duo
    participant_id: int | None = None  # None for test sends


@dataclass(frozen=True)
class Variant:
    language: str
    subject: str
    html: str
    text: str


class IssueRenderer:
    """Renders one issue (all its translations) for any number of recipients."""

    def __init__(self, issue, *, send_time: datetime | None = None):
        from newsletter.models import NewsletterIssuePage

        self.send_time = send_time or timezone.now()
        translations = NewsletterIssuePage.objects.filter(translation_key=issue.translation_key)
        self.pages = {
            page.locale.language_code: page for page in translations.select_related("locale")
        }
        self.source = self.pages.get(settings.LANGUAGE_CODE) or issue
        # The municipality's sender when its site has one, else BUDDY_NEWSLETTER's.
        self.sender = sender_for_page(self.source)
        # Every link goes to the issue's site (its municipality's host); read once per send.
        self.site_id = page_site_id(self.source)
        self.root_url = site_root_url(self.site_id)
        self.list_id = list_id(self.site_id)
        self._variants: dict[tuple, Variant] = {}
        self.training = TrainingSuggestions(send_time=self.send_time, site_id=self.site_id)

    def page_for(self, language: str):
        """The issue in ``language``, falling back to Dutch."""
        page = self.pages.get(language)
        if page is None or not (page.live or page.pk == self.source.pk):
            page = self.source
        return page.get_latest_revision_as_object() if not page.live else page

    def variant(self, language: str, kind: str, in_duo: bool) -> Variant:
        key = (language, kind, in_duo)
        if key not in self._variants:
            self._variants[key] = self._render(language, kind, in_duo)
        return self._variants[key]

    def _render(self, language: str, kind: str, in_duo: bool) -> Variant:
        page = self.page_for(language)
        content_language = page.locale.language_code
        with translation.override(content_language):
            context = self.context(page, kind=kind, in_duo=in_duo, personal=True)
            html = render_to_string("newsletter/email/issue.html", context)
            text = render_to_string("newsletter/email/issue.txt", context)
        return Variant(
            language=content_language,
            subject=page.subject,
            html=INLINER.inline(html),
            text=_tidy_text(text),
        )

    def context(self, page, *, kind: str, in_duo: bool, personal: bool) -> dict:
        locale = page.locale
        audiences = ACTIVITY_AUDIENCES.get(kind, ("everyone",))
        if in_duo:
            audiences = (*audiences, "duos")
        blocks = []
        for block in page.body:
            item = {"type": block.block_type, "value": block.value}
            if block.block_type == "language_tip":
                tip = language_tip_for_newsletter(
                    block.value.get("tip"), locale=locale, site_id=self.site_id
                )
                item["tip"] = tip
                item["tip_url"] = self.absolute_url(tip.url) if tip else ""
            elif block.block_type == "upcoming_activities":
                found = upcoming_activity_occurrences(
                    locale=locale,
                    after=self.send_time,
                    before=self.send_time + timedelta(weeks=block.value["weeks"]),
                    audiences=audiences,
                    limit=None,
                )
                # The issue's own municipality's activities (the calendar holds every site's).
                item["occurrences"] = [
                    {"occurrence": o, "url": self.absolute_url(o.activity.url)}
                    for o in found
                    if self.site_id is None or page_site_id(o.activity) == self.site_id
                ][: block.value["limit"]]
            elif block.block_type == "image":
                rendition = block.value["image"].get_rendition("width-600")
                item["image_url"] = self.absolute_url(rendition.url)
                item["image_width"] = rendition.width
                item["image_height"] = rendition.height
            elif block.block_type == "call_to_action":
                target = block.value.get("page")
                if target is not None:
                    target = target.localized
                item["url"] = (
                    self.absolute_url(target.url) if target is not None else block.value["url"]
                )
            elif block.block_type == "text":
                item["html"] = _absolute_links(str(block.value), self.root_url)
                item["text"] = _text_with_links(str(block.value), self.root_url)
            blocks.append(item)
        language = locale.language_code
        return {
            "page": page,
            "blocks": blocks,
            "language": language,
            "direction": text_direction(language),
            "personal": personal,
            "in_duo": in_duo,
            # Newsletter-only readers (role "reader") gave no name: greet them without one.
            "named": kind != "reader",
            "first_name": FIRST_NAME,
            "buddy_first_name": BUDDY_NAME,
            "unsubscribe_url": UNSUBSCRIBE_URL,
            "personal_note": PERSONAL_NOTE if personal and kind == "volunteer" else "",
            "web_url": self.absolute_url(page.url or ""),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }

    def absolute_url(self, url: str) -> str:
        return absolute_url(url, site=self.site_id)

    def message(self, recipient: Recipient) -> EmailMultiAlternatives:
        variant = self.variant(recipient.language, recipient.kind, bool(recipient.buddy_first_name))
        url = self.root_url + unsubscribe_path(recipient, variant.language)
        note_html, note_text = self.training.block(
            participant_id=recipient.participant_id, kind=recipient.kind, language=variant.language
        )
        html = (
            variant.html.replace(PERSONAL_NOTE, note_html)
            .replace(FIRST_NAME, escape(recipient.first_name))
            .replace(BUDDY_NAME, escape(recipient.buddy_first_name))
            .replace(UNSUBSCRIBE_URL, escape(url))
        )
        text = (
            variant.text.replace(f"\n{PERSONAL_NOTE}\n", f"\n{note_text}\n" if note_text else "")
            .replace(FIRST_NAME, recipient.first_name)
            .replace(BUDDY_NAME, recipient.buddy_first_name)
            .replace(UNSUBSCRIBE_URL, url)
        )
        from_email = self.sender.from_email or newsletter_setting("FROM_EMAIL")
        message = EmailMultiAlternatives(
            variant.subject,
            text,
            from_email,
            [recipient.email],
            reply_to=list(self.sender.reply_to) or None,
            headers={
                "Message-ID": message_id(from_email),
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": self.list_id,
                "Content-Language": variant.language,
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def unsubscribe_path(recipient: Recipient, language: str) -> str:
    """The one-click unsubscribe link's path (``IssueRenderer.root_url`` goes in front)."""
    token = unsubscribe_token(recipient.participant_id or 0, recipient.email)
    with translation.override(language):
        return reverse("newsletter:unsubscribe", args=[token])


_HREF = re.compile(r'href="(/[^"]*)"')
_LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S)


def _absolute_links(html: str, base: str) -> str:
    return _HREF.sub(lambda m: f'href="{base}{m.group(1)}"', html)


def _text_with_links(html: str, base: str) -> str:
    """Rich text as plain text, each link written out after its words."""
    html = _absolute_links(html, base)
    html = _LINK.sub(lambda m: f"{strip_tags(m.group(2))} ({m.group(1)})", html)
    html = re.sub(r"</(p|h2|h3|li)>", "\n", html)
    html = re.sub(r"<li>", "- ", html)
    return unescape(strip_tags(html)).strip()


def _tidy_text(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- Previews and the web version -------------------------------------------------------

PREVIEW_PEOPLE = {
    "duo_newcomer": Recipient("amina@example.org", "Amina", "nl", "newcomer", "Lotte"),
    "volunteer": Recipient("jan@example.org", "Jan", "nl", "volunteer"),
    "subscriber": Recipient("sam@example.org", "Sam", "nl", "subscriber"),
}


def preview_html(page, *, kind: str) -> str:
    """The email as a recipient of ``kind`` would get it, in the page's language, fake names."""
    person = PREVIEW_PEOPLE.get(kind, PREVIEW_PEOPLE["subscriber"])
    renderer = IssueRenderer(page)
    renderer.pages[page.locale.language_code] = page  # the draft being previewed
    recipient = Recipient(
        email=person.email,
        first_name=person.first_name,
        language=page.locale.language_code,
        kind=person.kind,
        buddy_first_name=person.buddy_first_name,
    )
    message = renderer.message(recipient)
    return message.alternatives[0][0]


def web_version_html(page) -> str:
    """The issue's content for its public page: no greeting, no personal links."""
    renderer = IssueRenderer(page, send_time=page.sent_at or timezone.now())
    with translation.override(page.locale.language_code):
        context = renderer.context(page, kind="subscriber", in_duo=False, personal=False)
        return render_to_string("newsletter/email/content.html", context)


def sample_message(issue, *, to: str, language: str, kind: str = "subscriber"):
    """One test copy of ``issue`` in ``language`` to ``to`` (no unsubscribe effect)."""
    person = PREVIEW_PEOPLE.get(kind, PREVIEW_PEOPLE["subscriber"])
    recipient = Recipient(
        email=to,
        first_name=person.first_name,
        language=language,
        kind=person.kind,
        buddy_first_name=person.buddy_first_name,
    )
    message = IssueRenderer(issue).message(recipient)
    # Not all capitals: spam filters hold a subject whose only Latin letters are capitals
    # (an Arabic subject after "[TEST]") against the message.
    message.subject = f"[Test] {message.subject}"
    return message
