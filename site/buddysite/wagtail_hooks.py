from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from buddysite import twofactor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("2fa/", twofactor.manage_view, name="twofactor_manage"),
        path("2fa/setup/", twofactor.setup_view, name="twofactor_setup"),
        path("2fa/verify/", twofactor.verify_view, name="twofactor_verify"),
    ]


@hooks.register("register_admin_menu_item")
def register_two_factor_menu_item():
    return MenuItem(_("Two-step login"), "/admin/2fa/", icon_name="lock", order=9000)


@hooks.register("insert_global_admin_js")
def admin_init_script():
    """Starts the widgets whose inline scripts the CSP blocks (see templates/wagtailadmin/)."""
    return format_html('<script src="{}"></script>', static("buddysite/admin-init.js"))
