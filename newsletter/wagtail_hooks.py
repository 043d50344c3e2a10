from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from newsletter.admin_views import send_a_test_view
from newsletter.models import NewsletterIssuePage


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [path("newsletter/test/<int:page_id>/", send_a_test_view, name="newsletter_test_send")]


@hooks.register("register_page_header_buttons")
def send_a_test_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, NewsletterIssuePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Send a test"),
            reverse("newsletter_test_send", args=[page.pk]),
            icon_name="mail",
            priority=80,
        )
