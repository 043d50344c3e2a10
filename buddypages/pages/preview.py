"""Previewing a draft in the municipality's own front end (a decoupled site or app).

Off unless ``BUDDYPAGES["HEADLESS_PREVIEW_URL"]`` is set. Then the plugin's pages get a
preview mode, "Your own front end", that opens that address with a token filled in. The token
is signed (``django.core.signing``), lasts ``HEADLESS_PREVIEW_SECONDS`` and names one page and
one saved revision (the latest draft when the editor previews): the front end sends it to
``GET /api/v3/preview/?token=...`` and gets that draft's content, nothing else.

It shows the draft as last saved: an editor saves a draft before previewing changes there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.core import signing
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from buddypages.conf import buddypages_setting

SALT = "buddypages.headless-preview"
MODE = "headless"
MODE_LABEL = _("Your own front end")


class PreviewExpired(Exception):
    """The token was genuine but is too old."""


class PreviewInvalid(Exception):
    """The token was not made by this site (edited, truncated, made up)."""


@dataclass(frozen=True)
class PreviewTarget:
    page_id: int
    revision_id: int | None


def headless_preview_url() -> str | None:
    return buddypages_setting("HEADLESS_PREVIEW_URL") or None


def preview_token(page) -> str:
    """A token for the page's latest saved revision (its live content if it has none)."""
    return signing.dumps({"p": page.pk, "r": page.latest_revision_id}, salt=SALT, compress=True)


def preview_target(token: str) -> PreviewTarget:
    try:
        data = signing.loads(
            token, salt=SALT, max_age=buddypages_setting("HEADLESS_PREVIEW_SECONDS")
        )
    except signing.SignatureExpired:
        raise PreviewExpired from None
    except signing.BadSignature:
        raise PreviewInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise PreviewInvalid
    revision = data.get("r")
    return PreviewTarget(
        page_id=data["p"], revision_id=revision if isinstance(revision, int) else None
    )


def front_end_url(page, token: str) -> str:
    """The front end's preview address for ``page`` with the token filled in."""
    values = {
        "token": quote(token, safe=""),
        "locale": quote(page.locale.language_code, safe=""),
        "type": quote((page.specific_class or type(page))._meta.label, safe=""),
        "id": page.pk,
    }
    return headless_preview_url().format(**values)


def headless_preview_response(page, request):
    """What the preview panel shows in this mode: the front end, with the draft's token."""
    url = front_end_url(page, preview_token(page)) if page.pk else None
    response = TemplateResponse(
        request, "buddypages/headless_preview.html", {"page": page, "front_end_url": url}
    )
    response["Cache-Control"] = "no-store"
    return response
