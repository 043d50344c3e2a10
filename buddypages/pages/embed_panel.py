"""The "Embed" panel: the copy-paste snippet of a page's widget, for each of its languages.

A communications officer pastes a snippet into the municipality's own website: a plain link
(what visitors without JavaScript get) and ``/embed.js``, which puts the widget's frame in
the link's place (``buddypages.embed``). The panel only builds addresses; it reads no
personal data.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel

from buddypages.conf import buddypages_setting
from buddypages.core.locales import locale_language_code

SIGNUP = "signup"
CALENDAR = "calendar"
TIP = "tip"
# The sign-up pages' roles (the registry's Role values; pages cannot import the registry).
ROLE_LABELS = {
    "newcomer": gettext_lazy("Sign up as a newcomer"),
    "volunteer": gettext_lazy("Sign up as a volunteer buddy"),
}
WIDGET_LABELS = {
    CALENDAR: gettext_lazy("Our activities"),
    TIP: gettext_lazy("Dutch tip of the week"),
}


def snippet(*, link: str, frame: str, script: str, label: str) -> str:
    """The HTML an editor pastes: the fallback link and the script that replaces it."""
    return format_html(
        '<a href="{}" data-buddy-widget="{}">{}</a>\n<script src="{}" async></script>',
        link,
        frame,
        label,
        script,
    )


def _widgets(page, widget: str, root: str, script: str) -> list[dict]:
    """The snippets of one language version of the page (a programme has one per role)."""
    if widget == SIGNUP:
        targets = [
            (
                child.full_url,
                reverse(
                    "buddypages:embed-signup", kwargs={"programme": page.slug, "role": child.role}
                ),
                str(ROLE_LABELS.get(child.role, child.title)),
            )
            for child in page.get_children().live().specific()
            if getattr(child, "role", None) in ROLE_LABELS
        ]
    else:
        targets = [
            (page.full_url, reverse(f"buddypages:embed-{widget}"), str(WIDGET_LABELS[widget]))
        ]
    return [
        {
            "label": label,
            "frame": root + frame,
            "code": snippet(link=link, frame=root + frame, script=script, label=label),
        }
        for link, frame, label in targets
    ]


class EmbedPanel(Panel):
    """Show the snippets of this page's widget: ``SIGNUP`` (a programme's sign-up forms),
    ``CALENDAR`` (the activity calendar) or ``TIP`` (the tip of the week)."""

    def __init__(self, widget: str, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Embed on another website"))
        super().__init__(**kwargs)
        self.widget = widget

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "widget": self.widget}

    class BoundPanel(Panel.BoundPanel):
        template_name = "buddypages/admin/embed_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["languages"] = self.languages()
            context["reason"] = self.no_snippets_reason()
            context["allowed_origins"] = buddypages_setting("EMBED_ALLOWED_ORIGINS")
            return context

        def languages(self) -> list[dict]:
            page = self.instance
            if page is None or page.pk is None or not page.live:
                return []
            site = page.get_site()
            if site is None:
                return []
            try:
                script = site.root_url + reverse("buddypages_embed:script")
            except NoReverseMatch:
                return []
            found = []
            for version in page.get_translations(inclusive=True).live().specific():
                code = locale_language_code(version.locale_id)
                with translation.override(code):
                    try:
                        widgets = _widgets(version, self.panel.widget, site.root_url, script)
                    except NoReverseMatch:
                        return []
                found.append(
                    {
                        "code": code,
                        "name": get_language_info(code)["name_translated"],
                        "widgets": widgets,
                    }
                )
            return sorted(found, key=lambda item: (item["code"] != page.locale.language_code,))

        def no_snippets_reason(self) -> str:
            page = self.instance
            if page is None or page.pk is None or not page.live:
                return _("Publish this page first: the snippets appear here once it is live.")
            return _(
                "The widgets are not switched on in this website. Ask your IT team to add "
                "buddypages.embed.script_urls to its addresses (see the guide on embedding)."
            )
