from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from buddypages.core.permissions import ModelPermissionPolicyWithout
from buddypages.core.twofactor import guarded
from buddypages.pages.access import may_see_site
from buddypages.pages.history import log_per_site
from buddypages.reports.selectors import REACH_HOOK
from newsletter.admin_sends import (
    SendViewSet,
    SuppressionViewSet,
    send_progress_view,
    send_start_view,
)
from newsletter.admin_views import send_a_test_view
from newsletter.models import Delivery, NewsletterIssuePage, Send, Suppression
from newsletter.reach import newsletter_reach


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [
        # Editors send themselves a test copy: no personal data on that screen.
        path("newsletter/test/<int:page_id>/", send_a_test_view, name="newsletter_test_send"),
        *guarded(
            [
                path(
                    "newsletter/send/<int:page_id>/", send_start_view, name="newsletter_send_start"
                ),
                path(
                    "newsletter/sends/<int:send_id>/progress/",
                    send_progress_view,
                    name="newsletter_send_progress",
                ),
            ]
        ),
    ]


@hooks.register("register_page_header_buttons")
def send_a_test_button(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, NewsletterIssuePage):
        return
    site = page.get_site()
    # Both write to (or about) the issue's municipality: offered to those who may see it.
    if page.permissions_for_user(user).can_edit() and may_see_site(user, site.pk if site else None):
        yield Button(
            _("Send a test"),
            reverse("newsletter_test_send", args=[page.pk]),
            icon_name="mail",
            priority=80,
        )
        if user.has_perm("newsletter.add_send"):
            yield Button(
                _("Send the newsletter"),
                reverse("newsletter_send_start", args=[page.pk]),
                icon_name="mail",
                priority=81,
            )


# Sends start from the send form; their rows are the audit trail.
register_permission_policy(Send, ModelPermissionPolicyWithout(Send, denied={"add", "delete"}))


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return [SendViewSet("newsletter_sends"), SuppressionViewSet("newsletter_suppressions")]


@hooks.register("register_log_actions")
def register_send_actions(actions):
    actions.register_action("newsletter.send_issue", _("Send the newsletter"), _("Sent"))
    actions.register_action(
        "newsletter.schedule_issue", _("Schedule the newsletter"), _("Scheduled")
    )
    actions.register_action("newsletter.pause_send", _("Pause the send"), _("Paused"))
    actions.register_action("newsletter.resume_send", _("Resume the send"), _("Resumed"))
    actions.register_action("newsletter.cancel_send", _("Cancel the send"), _("Cancelled"))
    actions.register_action("newsletter.test_send", _("Send a test"), _("Test sent"))
    # Sends, their recipients and suppressed addresses: logged per site, by number.
    log_per_site(actions, Send, Delivery, Suppression)


@hooks.register("register_buddypages_api_v3")
def register_newsletter_api(api):
    """The archive, the subscription form, subscribe and unsubscribe under ``/api/v3/``."""
    from newsletter.api import router

    api.add_router("/", router)


# Its reach in the plugin's yearly report (the report never imports the newsletter).
hooks.register(REACH_HOOK, newsletter_reach)
