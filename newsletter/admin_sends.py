"""Sending from the admin: start (now or later), live progress, pause, resume, cancel."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.duos.selectors import newsletter_audience
from buddypages.pages.access import (
    ALL,
    SealedViewSetMixin,
    may_see_site,
    registry_site_ids,
    require_site,
    visible_sites,
)
from buddypages.registry.services import site_programmes
from newsletter import outbox
from newsletter.audiences import AUDIENCES
from newsletter.models import NewsletterIssuePage, Send, Suppression

SEND_PERMISSION = "newsletter.add_send"
AUDIENCE_LABELS = {
    "duos": _("Active duos (both members)"),
    "newcomers": _("Newcomers"),
    "volunteers": _("Volunteers"),
    "waiting": _("People waiting for a match"),
    "subscribers": _("Newsletter subscribers"),
    "everyone": _("Everyone who may receive mail"),
}


class SendForm(forms.Form):
    """What to send to whom, among the people of the issue's site only (with how many
    each audience reaches there)."""

    audiences = forms.MultipleChoiceField(
        label=_("audiences"),
        choices=[(name, AUDIENCE_LABELS[name]) for name in AUDIENCES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Someone in several audiences gets one copy."),
    )
    programme = forms.ModelChoiceField(
        label=_("only this programme"), queryset=None, required=False
    )
    at = forms.DateTimeField(
        label=_("send at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        site_id = site.pk if site else None
        self.fields["audiences"].choices = [
            (name, f"{AUDIENCE_LABELS[name]} ({_audience_count(name, site_id)})")
            for name in AUDIENCES
        ]
        self.fields["programme"].queryset = site_programmes(site)


def _audience_count(name: str, site_id) -> int:
    """How many the audience reaches, counted as the send will (``outbox.send_start``)."""
    return newsletter_audience(name, site_id=site_id).count()


def _require(request, permission=SEND_PERMISSION):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def send_start_view(request, page_id: int):
    _require(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    site = issue.get_site()
    if not may_see_site(request.user, site.pk if site else None):
        raise Http404  # it would go to another municipality's people
    form = SendForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        try:
            send = outbox.send_start(
                issue=issue,
                audiences=form.cleaned_data["audiences"],
                programme_key=programme.translation_key if programme else None,
                at=form.cleaned_data["at"],
                user=request.user,
            )
        except outbox.SendError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sending to %(count)s people.") % {"count": send.total})
            return redirect("newsletter_send_progress", send.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/send_start.html",
        {
            "issue": issue,
            "form": form,
            "page_title": _("Send the newsletter"),
            "header_icon": "mail",
        },
        status=400 if request.method == "POST" else 200,
    )


def progress_data(send: Send) -> dict:
    counts = send.counts()
    done = counts["sent"] + counts["delivered"] + counts["opened"]
    return {
        "status": send.status,
        "status_label": str(send.get_status_display()),
        "total": send.total,
        "queued": counts["queued"] + counts["claimed"],
        "sent": done,
        "failed": counts["failed"],
        "bounced": counts["bounced"] + counts["complained"],
        "suppressed": counts["suppressed"],
        "cancelled": counts["cancelled"],
        "percent": round(100 * (send.total - counts["queued"] - counts["claimed"]) / send.total)
        if send.total
        else 100,
    }


def send_progress_view(request, send_id: int):
    _require(request, "newsletter.view_send")
    send = require_site(request.user, get_object_or_404(Send, pk=send_id))
    if request.method == "POST":
        _require(request, "newsletter.change_send")
        action = request.POST.get("action")
        handlers = {
            "pause": outbox.send_pause,
            "resume": outbox.send_resume,
            "cancel": outbox.send_cancel,
        }
        try:
            if action not in handlers:
                raise outbox.SendError(_("Unknown action."))
            handlers[action](send=send, user=request.user)
        except outbox.SendError as error:
            messages.error(request, error.message)
        return redirect("newsletter_send_progress", send.pk)
    if request.GET.get("format") == "json":
        return JsonResponse(progress_data(send))
    return TemplateResponse(
        request,
        "newsletter/admin/send_progress.html",
        {
            "send": send,
            "progress": progress_data(send),
            "failures": send.deliveries.filter(
                status__in=["failed", "bounced", "complained"]
            ).order_by("pk")[:50],
            "can_change": request.user.has_perm("newsletter.change_send"),
            "page_title": _("Newsletter send"),
            "page_subtitle": send.subject,
            "header_icon": "mail",
            "now": timezone.now(),
        },
    )


class SendViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    sealed_via = "site"
    model = Send
    icon = "mail"
    menu_label = _("Newsletter sends")
    menu_order = 330
    add_to_admin_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []
    list_display = [
        "subject",
        Column("status", label=_("status"), accessor="get_status_display"),
        "total",
        "send_after",
        "created_by",
    ]
    list_filter = ["status"]

    def get_edit_url(self, instance):  # the progress page is where a send is followed
        return None


class SuppressionForm(WagtailAdminModelForm):
    """An address added by hand belongs to one of the user's sites (a superuser may leave
    it empty: every site)."""

    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none(), required=False)

    class Meta:
        model = Suppression
        fields = ["email", "reason", "detail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = visible_sites(self.for_user)
        if self.instance.pk is not None:
            del self.fields["site"]  # another site: remove the address and add it there
        elif registry_site_ids(self.for_user) is not ALL and len(sites) == 1:
            del self.fields["site"]
            self.instance.site = sites[0]
        else:
            self.fields["site"].queryset = sites
            self.fields["site"].required = registry_site_ids(self.for_user) is not ALL

    def clean(self):
        cleaned = super().clean()
        if "site" in self.fields:
            self.instance.site = cleaned.get("site")
        email = cleaned["email"] = (cleaned.get("email") or "").strip().lower()
        if (
            email
            and Suppression.objects.filter(email__iexact=email, site=self.instance.site)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("email", _("This address is already suppressed for this site."))
        return cleaned


class SuppressionViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """Addresses that bounced or complained: never mailed until a coordinator removes them."""

    sealed_via = "site"
    model = Suppression
    icon = "warning"
    menu_label = _("Suppressed addresses")
    menu_order = 335
    add_to_admin_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = ["email", "reason", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return SuppressionForm
