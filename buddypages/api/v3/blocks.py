"""StreamFields and rich text as the API gives them.

A stream is a list of ``{"type": ..., "value": ...}``; rich text is HTML with every link and
source absolute (a front end on another host can use it as it is); an image is an
:class:`~buddypages.api.v3.schemas.ImageOut` with the alt text the editor gave in that place;
a chosen page is ``{"id", "title", "url"}``; a partner is its public card. Blocks of other
kinds give Wagtail's own API representation.
"""

import re

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from buddypages.pages.blocks import PartnerChooserBlock

# href="/nl/..." and src="/media/..." (not protocol-relative "//host/...").
RELATIVE_LINK = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
# Joins rich texts so their links are looked up together; editors cannot type comments.
SEPARATOR = "<!--buddypages-api-separator-->"


def absolute_html(request, html: str) -> str:
    return RELATIVE_LINK.sub(
        lambda match: f'{match.group(1)}{request.build_absolute_uri(match.group(2))}"', html
    )


def rich_text_many(request, sources: list[str]) -> list[str]:
    """Rich texts as stored, expanded to HTML with absolute links, in one pass: the pages
    and documents they link to are fetched once for all of them."""
    if not sources:
        return []
    parts = expand_db_html(SEPARATOR.join(sources)).split(SEPARATOR)
    if len(parts) != len(sources):  # a stored text that contains the separator itself
        parts = [expand_db_html(source) for source in sources]
    return [absolute_html(request, part) for part in parts]


def rich_text(request, source: str) -> str:
    return rich_text_many(request, [source or ""])[0]


class BlockSerializer:
    """Turns stream values into JSON, with the request's host for absolute addresses.

    ``images`` is a :class:`~buddypages.api.v3.schemas.PageSerializer` (or anything with
    an ``image(image, spec)`` method).
    """

    IMAGE_SPEC = "max-1200x1200"

    def __init__(self, request, images):
        self.request = request
        self.images = images

    def stream(self, stream) -> list[dict]:
        return [
            {"type": child.block_type, "value": self.value(child.block, child.value)}
            for child in stream
        ]

    def image(self, image, alt: str | None = None) -> dict | None:
        data = self.images.image(image, self.IMAGE_SPEC)
        if data is not None and alt is not None:
            data["alt"] = alt
        return data

    def page(self, page) -> dict | None:
        if page is None:
            return None
        return {"id": page.pk, "title": page.title, "url": page.get_full_url(self.request)}

    def partner(self, partner) -> dict | None:
        if partner is None:
            return None
        logo = self.images.image(partner.logo, "max-240x80") if partner.logo_id else None
        if logo is not None:
            logo["alt"] = partner.name
        return {
            "id": partner.pk,
            "name": partner.name,
            "description": partner.description,
            "url": partner.url,
            "logo": logo,
        }

    def value(self, block, value):
        if isinstance(block, ImageBlock):
            if value is None:
                return None
            alt = "" if getattr(value, "decorative", False) else value.contextual_alt_text
            return self.image(value, alt or "")
        if isinstance(block, ImageChooserBlock):
            return self.image(value)
        if isinstance(block, blocks.RichTextBlock):
            source = value.source if isinstance(value, RichText) else str(value or "")
            return rich_text(self.request, source)
        if isinstance(block, blocks.StructBlock):
            return {
                name: self.value(block.child_blocks[name], child) for name, child in value.items()
            }
        if isinstance(block, blocks.ListBlock):
            return [self.value(block.child_block, child) for child in value]
        if isinstance(block, blocks.StreamBlock):
            return self.stream(value)
        if isinstance(block, blocks.PageChooserBlock):
            return self.page(value)
        if isinstance(block, PartnerChooserBlock):
            return self.partner(value)
        if isinstance(block, EmbedBlock):
            return {"url": value.url} if value else None
        return block.get_api_representation(value, context={"request": self.request})
