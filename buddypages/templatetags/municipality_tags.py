"""The municipality of the site being shown, for layouts: ``{% load municipality_tags %}``.

``{% municipality as m %}`` gives the site's settings (``m.display_name``, ``m.logo``,
``m.colour_version``...) or None when the site has none saved; the layout then looks as it
did before sites had settings.
"""

from django import template

from buddypages.pages.municipality import municipality_for_request, site_languages

register = template.Library()


@register.simple_tag(takes_context=True)
def municipality(context):
    return municipality_for_request(context.get("request"))


@register.simple_tag(takes_context=True)
def municipality_languages(context) -> list[str]:
    """The language codes the site being shown offers (all without settings)."""
    found = municipality_for_request(context.get("request"))
    return found.site_languages() if found is not None else site_languages(None)
