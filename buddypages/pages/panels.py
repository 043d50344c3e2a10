"""Admin panels of the programme page that are not form fields."""

from django.conf import settings
from django.utils.translation import get_language_info, gettext_lazy
from wagtail.admin.panels import Panel
from wagtail.models import Page

from buddypages.core.languages import text_direction
from buddypages.pages.posters import MAX_LANGUAGES, page_language


class SheetPanel(Panel):
    """Download the programme's poster (A4) and flyer (A5) in the languages an editor ticks.

    The links open ``poster.pdf?langs=...`` of the published page; a small script
    (``buddypages/js/sheet_panel.js``) writes the ticked languages into them.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Posters and flyers"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "buddypages/admin/sheet_panel.html"

        class Media:
            js = ["buddypages/js/sheet_panel.js"]
            # The languages' own names (ትግርኛ, پښتو) on a computer without those scripts.
            css = {"all": ["buddypages/css/fonts.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            url = page.get_url(request=self.request) if page.pk and page.live else None
            own = page_language(page) if page.pk else settings.LANGUAGE_CODE
            translated = set()
            if url:
                translated = set(
                    Page.objects.live()
                    .filter(translation_key=page.translation_key)
                    .values_list("locale__language_code", flat=True)
                )
            languages = []
            for code, _name in settings.LANGUAGES:
                info = get_language_info(code)
                languages.append(
                    {
                        "code": code,
                        "name": info["name_translated"],
                        "name_local": info["name_local"],
                        "dir": text_direction(code),
                        "checked": code == own,
                        "translated": code in translated,
                    }
                )
            context.update(
                base_url=url,
                languages=languages,
                own_language=own,
                max_languages=MAX_LANGUAGES,
            )
            return context
