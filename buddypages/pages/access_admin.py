"""Settings › Site access: who may see which municipality's registry, or only its figures.

For whoever holds the grant model's permissions (superusers; an installation's administrator
group). Each change is in Wagtail's own log (who granted what, when)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from buddypages.pages.access import SiteGrant


class SiteGrantForm(WagtailAdminModelForm):
    class Meta:
        model = SiteGrant
        fields = ["site", "user", "group", "level"]
        widgets = {"level": forms.RadioSelect}
        help_texts = {
            "user": _("One person. Or leave empty and choose a group."),
            "group": _("Everyone in this group, now and later."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("site_name", "hostname")
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )
        self.fields["group"].queryset = Group.objects.order_by("name")


class SiteGrantViewSet(ModelViewSet):
    model = SiteGrant
    icon = "key"
    menu_label = _("Site access")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_filter = ["site", "level"]
    list_display = [
        "site",
        Column("who", label=_("who"), accessor="holder"),
        Column("level", label=_("may see"), accessor="get_level_display"),
    ]
    search_fields = ["user__username", "group__name", "site__site_name", "site__hostname"]
    search_backend_name = None
    ordering = ["site__site_name", "pk"]

    def get_form_class(self, for_update=False):
        return SiteGrantForm


class SiteAccessWarningPanel(Component):
    """On the dashboard of whoever grants access: several sites and no grant at all means
    every coordinator sees nobody (after an upgrade, or right after adding a second site)."""

    name = "site_access_warning"
    order = 10
    template_name = "buddypages/admin/site_access_warning.html"

    def __init__(self, sites: int):
        self.sites = sites

    def get_context_data(self, parent_context=None):
        return {"sites": self.sites}


def site_access_warning(user) -> SiteAccessWarningPanel | None:
    if not user.has_perm("buddypages.add_sitegrant"):
        return None
    sites = Site.objects.count()
    if sites < 2 or SiteGrant.objects.exists():
        return None
    return SiteAccessWarningPanel(sites)
