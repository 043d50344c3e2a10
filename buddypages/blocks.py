"""Block paths the migrations name (``buddypages.blocks.DutchCharBlock``, ...): the blocks
live in ``buddypages.pages.blocks``; this module keeps those paths importable. New code
imports from ``buddypages.pages.blocks``."""

from buddypages.pages.blocks import DutchCharBlock, PartnerChooserBlock

__all__ = ["DutchCharBlock", "PartnerChooserBlock"]
