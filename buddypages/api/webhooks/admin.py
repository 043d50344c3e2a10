"""Webhooks in the Wagtail admin: endpoints (add, edit, delete, send a test event, the secret
shown once) and the delivery log (read-only, filtered by status and endpoint, retry now).

Who: whoever holds the endpoint's model permissions (coordinators, and superusers), for the
sites they may see (``buddypages.pages.access``); the log is read by those who may view
deliveries. Events carry no personal data, so these screens need no second factor.
"""

import json
from datetime import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from buddypages.api.webhooks import services
from buddypages.api.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from buddypages.core.permissions import ModelPermissionPolicyWithout
from buddypages.pages.access import SealedViewSetMixin, seal, visible_sites

SHOW_SECRET_SESSION_KEY = "buddypages-webhook-show-secret-{pk}"  # noqa: S105 (a flag)

# Permission codenames, for the demo's coordinators and for hosts' groups.
PERMISSIONS = (
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookendpoint",
    "view_webhookdelivery",
)

# Deliveries come from events; nobody writes or removes them by hand (endpoints take theirs).
delivery_permission_policy = ModelPermissionPolicyWithout(
    WebhookDelivery, denied={"add", "change", "delete"}
)


def _can_manage(user) -> bool:
    return user.has_perm("buddypages.change_webhookendpoint")


class WebhookEndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address that receives the events (POST)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("events"),
        choices=[choice for choice in EventType.choices if choice[0] != EventType.TEST],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The events to send; none chosen: all of them."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["site", "url", "description", "active", "event_types"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:  # a municipality's endpoints are for its own pages
            self.fields["site"].queryset = visible_sites(self.for_user)


class EndpointCreateView(CreateView):
    def get_success_url(self):
        # The secret, once: the next screen shows it, then it is hidden for good.
        self.request.session[SHOW_SECRET_SESSION_KEY.format(pk=self.object.pk)] = True
        return reverse("webhook_endpoints:secret", args=[self.object.pk])


class EndpointIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if _can_manage(self.request.user):
            buttons.append(
                MenuItem(
                    _("Signing secret"),
                    url=reverse("webhook_endpoints:secret", args=[instance.pk]),
                    icon_name="key",
                    priority=40,
                )
            )
            buttons.append(
                MenuItem(
                    _("Send a test event"),
                    url=reverse("webhook_endpoints:test", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=45,
                )
            )
        buttons.append(
            MenuItem(
                _("Deliveries"),
                url=reverse("webhook_deliveries:index") + f"?endpoint={instance.pk}",
                icon_name="list-ul",
                priority=50,
            )
        )
        return buttons


class EndpointFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(
        label=capfirst(_("site")), queryset=lambda request: visible_sites(request.user)
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["site", "active"]


class DeliveryFilterSet(WagtailFilterSet):
    endpoint = django_filters.ModelChoiceFilter(
        label=capfirst(_("endpoint")),
        queryset=lambda request: seal(WebhookEndpoint.objects.all(), request.user),
    )

    class Meta:
        model = WebhookDelivery
        fields = ["status", "endpoint", "event_type"]


class WebhookEndpointViewSet(SealedViewSetMixin, ModelViewSet):
    model = WebhookEndpoint
    sealed_via = "site"
    icon = "link"
    menu_label = _("Endpoints")
    add_view_class = EndpointCreateView
    index_view_class = EndpointIndexView
    list_display = [
        "url",
        "description",
        "site",
        Column("event_types", label=capfirst(_("events")), accessor="event_types_display"),
        "active",
    ]
    filterset_class = EndpointFilterSet
    search_fields = ["url", "description"]
    search_backend_name = None
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("secret/<int:pk>/", endpoint_secret, name="secret"),
            path("test/<int:pk>/", endpoint_test, name="test"),
        ]


def endpoint_secret(request, pk: int):
    """The endpoint's signing secret, shown once after it is made; a new one on request."""
    if not _can_manage(request.user):
        raise PermissionDenied
    endpoint = get_object_or_404(seal(WebhookEndpoint.objects.all(), request.user), pk=pk)
    if request.method == "POST":
        endpoint.secret = WebhookEndpoint._meta.get_field("secret").default()
        endpoint.save(update_fields=["secret"])
        request.session[SHOW_SECRET_SESSION_KEY.format(pk=pk)] = True
        messages.warning(
            request, _("A new secret is made: the old one no longer signs the events.")
        )
        return redirect("webhook_endpoints:secret", pk)
    show = request.session.pop(SHOW_SECRET_SESSION_KEY.format(pk=pk), False)
    response = TemplateResponse(
        request,
        "buddypages/api/webhook_secret.html",
        {
            "endpoint": endpoint,
            "secret": endpoint.secret if show else None,
            "page_title": _("Signing secret"),
            "page_subtitle": str(endpoint),
            "header_icon": "key",
            "edit_url": reverse("webhook_endpoints:edit", args=[pk]),
            "test_url": reverse("webhook_endpoints:test", args=[pk]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def endpoint_test(request, pk: int):
    """Send a test event to the endpoint (after a confirmation); it shows in the log."""
    if not _can_manage(request.user):
        raise PermissionDenied
    endpoint = get_object_or_404(seal(WebhookEndpoint.objects.all(), request.user), pk=pk)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "buddypages/api/webhook_test.html",
            {
                "endpoint": endpoint,
                "page_title": _("Send a test event"),
                "page_subtitle": str(endpoint),
                "header_icon": "resubmit",
            },
        )
    services.endpoint_send_test(endpoint=endpoint)
    messages.success(request, _("A test event is on its way; its delivery is listed here."))
    return redirect(reverse("webhook_deliveries:index") + f"?endpoint={endpoint.pk}")


def _local_time(delivery) -> str:
    moment = delivery.next_attempt_at
    if moment is None or delivery.status != WebhookDelivery.Status.PENDING:
        return ""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _attempt_time(value: str | None) -> str:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return value or ""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class DeliveryInspectView(InspectView):
    template_name = "buddypages/api/webhook_delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_retry"] = _can_manage(self.request.user) and self.object.status in (
            WebhookDelivery.Status.PENDING,
            WebhookDelivery.Status.FAILED,
        )
        context["retry_url"] = reverse("webhook_deliveries:retry", args=[self.object.pk])
        context["payload_json"] = json.dumps(self.object.payload, ensure_ascii=False, indent=2)
        context["attempts"] = [
            {**attempt, "at": _attempt_time(attempt.get("at"))} for attempt in self.object.log
        ]
        return context


class WebhookDeliveryViewSet(SealedViewSetMixin, ModelViewSet):
    """Every event sent, its attempts and the last answer: read-only."""

    model = WebhookDelivery
    sealed_via = "endpoint__site"
    icon = "history"
    menu_label = _("Delivery log")
    inspect_view_class = DeliveryInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "last_response_code",
        "last_error",
        "created_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_display = [
        DateColumn("created_at", label=capfirst(_("created at"))),
        Column("event_type", label=capfirst(_("event")), accessor="get_event_type_display"),
        "endpoint",
        Column("status", label=capfirst(_("status")), accessor="get_status_display"),
        "attempts",
        "last_response_code",
        # A moment ahead (Wagtail's DateColumn would say "Just now"): the time itself.
        Column("next_attempt_at", label=capfirst(_("next attempt at")), accessor=_local_time),
        DateColumn("delivered_at", label=capfirst(_("delivered at"))),
    ]
    filterset_class = DeliveryFilterSet
    form_fields = []
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50

    def get_queryset(self, request):
        return WebhookDelivery.objects.select_related("endpoint")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", delivery_retry, name="retry"),
        ]


@require_POST
def delivery_retry(request, pk: int):
    if not _can_manage(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(
        seal(WebhookDelivery.objects.all(), request.user, via="endpoint__site"), pk=pk
    )
    if services.delivery_retry_now(delivery=delivery):
        messages.success(request, _("The delivery is tried again now."))
    else:
        messages.error(request, _("This delivery is already delivered or being sent."))
    return redirect("webhook_deliveries:inspect", pk)


class WebhooksViewSetGroup(ViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "link"
    menu_order = 400
    items = (
        WebhookEndpointViewSet("webhook_endpoints"),
        WebhookDeliveryViewSet("webhook_deliveries"),
    )
