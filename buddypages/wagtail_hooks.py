from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from buddypages.snippets import LanguageTipTheme, Partner


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    list_display = ["name", "url"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class LanguageTipThemeViewSet(SnippetViewSet):
    model = LanguageTipTheme
    icon = "tag"
    menu_label = _("Tip themes")
    list_display = ["name", "key", "sort_order"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(PartnerViewSet)
register_snippet(LanguageTipThemeViewSet)
