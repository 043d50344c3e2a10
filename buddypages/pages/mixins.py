"""Page mixins shared by every context's pages (and the newsletter's)."""

from django.shortcuts import redirect
from django.utils import translation

from buddypages.core.locales import locale_language_code
from buddypages.pages import preview


class LanguageConsistentPageMixin:
    """Serve a page only under its own language's URL prefix.

    Wagtail falls back to the Dutch page when a translation is missing or
    unpublished (``Page.localized``), which would show Dutch content under
    ``/fr/`` with French menus. Redirect to the page's own URL instead, so
    the address, ``lang`` and every string on the page agree.
    """

    def serve(self, request, *args, **kwargs):
        if translation.get_language() != locale_language_code(self.locale_id):
            url = self.get_url(request)
            if url and url != request.path:
                return redirect(url)
        return super().serve(request, *args, **kwargs)

    def remember_view_restrictions(self) -> None:
        """Read this page's privacy rules now, so that they travel with a remembered route
        (:mod:`buddypages.pages.routing`) and the view asks the database nothing."""
        self._remembered_view_restrictions = list(super().get_view_restrictions())

    def get_view_restrictions(self):
        remembered = getattr(self, "_remembered_view_restrictions", None)
        if remembered is not None:
            return remembered
        return super().get_view_restrictions()

    # Preview in the municipality's own front end, when configured (buddypages.pages.preview).
    @property
    def preview_modes(self):
        modes = super().preview_modes
        if preview.headless_preview_url():
            modes = [*modes, (preview.MODE, preview.MODE_LABEL)]
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name == preview.MODE and preview.headless_preview_url():
            return preview.headless_preview_response(self, request)
        return super().serve_preview(request, mode_name)
