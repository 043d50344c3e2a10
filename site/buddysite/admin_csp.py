"""Wagtail's chooser widgets without inline scripts, so the admin works under the CSP.

Wagtail 8 renders each chooser (page, image, document, snippet) as its HTML plus
``<script>new ImageChooser(id, options)</script>``. The Content-Security-Policy
blocks inline scripts, so the widget renders a hidden element carrying the same
constructor name, id and options instead, and ``buddysite/admin-init.js`` makes
the same call. Widgets that build their own script (``render_js_init``
overridden, e.g. the workflow task chooser) keep Wagtail's rendering.
Templates with inline scripts are overridden in templates/wagtailadmin/.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser

CONSTRUCTORS = frozenset(
    {"Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"}
)
_original_render = BaseChooser.render


def _render(self, name, value, attrs=None, renderer=None):
    if (
        type(self).render_js_init is not BaseChooser.render_js_init
        or self.js_constructor not in CONSTRUCTORS
    ):
        return _original_render(self, name, value, attrs, renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as error:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from error
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    options = self.get_js_init_options(id_, name, value_data)
    return format_html(
        '{}<span hidden data-buddy-init="chooser" data-buddy-constructor="{}" '
        'data-buddy-id="{}" data-buddy-options="{}"></span>',
        mark_safe(widget_html),  # noqa: S308 (Wagtail's own rendering, as before)
        self.js_constructor,
        id_,
        json.dumps(options),
    )


def patch_chooser_widgets() -> None:
    BaseChooser.render = _render
