"""Partner vouchers in the Wagtail admin: offers, handing out, marking used, the report.
Coordinators only (model permissions on VoucherOffer); every change goes through one
service in ``buddypages.duos.vouchers`` and into the registry audit log."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from buddypages.core.admin_dates import CalendarDateColumn
from buddypages.core.permissions import require as _require
from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.duos import vouchers
from buddypages.duos.models import Duo, Voucher, VoucherOffer
from buddypages.duos.views import as_id
from buddypages.pages.access import (
    ALL,
    SealedViewMixin,
    SealedViewSetMixin,
    registry_site_ids,
    seal,
)
from buddypages.pages.municipality import visible_programmes
from buddypages.pages.snippets import Partner

VIEW = "buddypages.view_voucheroffer"
MANAGE = "buddypages.change_voucheroffer"
MAX_PER_DUO = 20


# --- Offers ------------------------------------------------------------------------------


class OfferForm(forms.ModelForm):
    programme = forms.ChoiceField(
        label=capfirst(_("programme")),
        required=False,
        help_text=_("Leave empty when every programme's duos may get it."),
    )

    class Meta:
        model = VoucherOffer
        fields = ["partner", "what", "quantity", "valid_until", "per_duo_limit"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("name")
        self.fields["partner"].required = True
        self.fields["quantity"].help_text = _(
            "Raising or lowering it later moves what is left by the same number."
        )
        choices = [
            (str(programme.translation_key), programme.title)
            for programme in visible_programmes(for_user)
        ]
        # An offer for every programme belongs to no site: only who sees every site makes one.
        if registry_site_ids(for_user) is ALL:
            choices.insert(0, ("", _("All programmes")))
        else:
            self.fields["programme"].required = True
            self.fields["programme"].help_text = ""
        self.fields["programme"].choices = choices
        if self.instance.programme_key:
            self.initial["programme"] = str(self.instance.programme_key)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if self.instance.pk and quantity < self.instance.handed_out:
            raise forms.ValidationError(
                ngettext(
                    "%(count)s voucher is already handed out: the quantity cannot be lower.",
                    "%(count)s vouchers are already handed out: the quantity cannot be lower.",
                    self.instance.handed_out,
                )
                % {"count": self.instance.handed_out}
            )
        return quantity

    def clean(self):
        cleaned = super().clean()
        self.instance.programme_key = cleaned.get("programme") or None
        return cleaned


class SealedOfferViewMixin(SealedViewMixin):
    """An offer view of the offers the user may see only (``vouchers.visible_offers``);
    another site's offer is not found (404)."""

    def seal_queryset(self, queryset):
        return vouchers.visible_offers(queryset, self.request.user)


class _SavesThroughService:
    """Create and edit both call ``voucher_offer_save``: the stock follows the quantity."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        return vouchers.voucher_offer_save(
            offer=self.form.instance,
            quantity=self.form.cleaned_data["quantity"],
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except vouchers.VoucherError as error:
            form.add_error("quantity", error.message)
            return self.form_invalid(form)


class OfferCreateView(_SavesThroughService, CreateView):
    pass


class OfferEditView(_SavesThroughService, EditView):
    pass


class OfferIndexView(IndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Report"), url=reverse("voucher_offers:report"), icon_name="table"),
        ]


class OfferViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    sealed_view_mixin = SealedOfferViewMixin
    """The offers, sealed by site: every view it makes shows the user's offers only."""

    model = VoucherOffer
    icon = "tag"
    menu_label = _("Vouchers")
    menu_order = 302
    add_to_admin_menu = True
    index_view_class = OfferIndexView
    add_view_class = OfferCreateView
    edit_view_class = OfferEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column("partner_name", label=_("partner")),
        TitleColumn(
            "what",
            label=_("what"),
            get_url=lambda offer: reverse("voucher_offers:offer", args=[offer.pk]),
        ),
        Column("quantity", label=_("how many")),
        Column("stock", label=_("left")),
        Column("used_count", label=_("used")),
        CalendarDateColumn("valid_until", label=_("valid until")),
    ]
    search_fields = ["partner_name", "what"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return OfferForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("offer/<int:pk>/", offer_view, name="offer"),
            path("duo/<int:pk>/", duo_vouchers_action, name="duo"),
            path("report/", report_view, name="report"),
        ]


# --- Handing out and marking used --------------------------------------------------------


def _counts(request, duos) -> dict[int, int]:
    """The number per duo typed on the form; anything that is not 0..MAX_PER_DUO is refused."""
    counts = {}
    for duo in duos:
        raw = (request.POST.get(f"count-{duo.pk}") or "0").strip()
        if not raw.isdigit() or int(raw) > MAX_PER_DUO:
            raise vouchers.VoucherError(
                _("Give a number from 0 to %(max)s for each duo.") % {"max": MAX_PER_DUO}
            )
        counts[duo.pk] = int(raw)
    return counts


def _handed_out_message(count: int) -> str:
    return ngettext("%(count)s voucher handed out.", "%(count)s vouchers handed out.", count) % {
        "count": count
    }


def _mark(request, voucher: Voucher) -> None:
    used = request.POST.get("action") == "used"
    vouchers.voucher_mark_used(voucher=voucher, user=request.user, used=used)
    messages.success(
        request,
        _("Voucher %(code)s is marked as used.") % {"code": voucher.code}
        if used
        else _("Voucher %(code)s is no longer marked as used.") % {"code": voucher.code},
    )


def offer_view(request, pk: int):
    """One offer: hand it out to running duos (a number per duo) and see who has what."""
    _require(request, VIEW)
    offer = get_object_or_404(vouchers.visible_offers(VoucherOffer.objects, request.user), pk=pk)
    mine = seal(offer.vouchers.all(), request.user, via="duo__site")
    running = seal(Duo.objects.running(), request.user)
    running = running.select_related("newcomer", "volunteer").order_by("pk")
    if offer.programme_key:
        running = running.filter(programme_key=offer.programme_key)
    running = list(running)
    chosen: set[int] = set()
    status = 200
    if request.method == "POST":
        _require(request, MANAGE)
        try:
            if request.POST.get("action") in ("used", "unused"):
                voucher = get_object_or_404(mine, pk=as_id(request.POST.get("voucher")))
                _mark(request, voucher)
            else:
                chosen = {as_id(value) for value in request.POST.getlist("duo")} - {None}
                duos = [duo for duo in running if duo.pk in chosen]
                if len(duos) != len(chosen):
                    raise vouchers.VoucherError(vouchers.NOT_YOURS)
                made = vouchers.vouchers_hand_out(
                    offer=offer, duos=duos, count=_counts(request, duos), user=request.user
                )
                messages.success(request, _handed_out_message(len(made)))
            return redirect("voucher_offers:offer", pk)
        except vouchers.VoucherError as error:
            # Shown again with the duos ticked and the numbers typed, nothing to redo.
            messages.error(request, error.message)
            status = 400
    held = {}
    for voucher in mine:
        held[voucher.duo_id] = held.get(voucher.duo_id, 0) + 1
    today = timezone.localdate()
    handed = list(mine.select_related("duo__newcomer", "duo__volunteer", "offer"))
    for voucher in handed:
        voucher.status = voucher.state(today)
    return TemplateResponse(
        request,
        "buddypages/duos/admin/voucher_offer.html",
        {
            "offer": offer,
            "rows": [
                (
                    duo,
                    held.get(duo.pk, 0),
                    duo.pk in chosen,
                    request.POST.get(f"count-{duo.pk}", "1") if chosen else "1",
                )
                for duo in running
            ],
            "handed": handed,
            "expired": offer.is_expired(today),
            "can_manage": request.user.has_perm(MANAGE),
            "page_title": _("Hand out vouchers"),
            "page_subtitle": str(offer),
            "header_icon": "tag",
        },
        status=status,
    )


def duo_vouchers_action(request, pk: int):
    """From the coordinator's duo page: hand out vouchers of one offer, or mark one used."""
    _require(request, MANAGE)
    if request.method != "POST":
        return redirect("duos:inspect", pk)
    duo = get_object_or_404(seal(Duo.objects.all(), request.user), pk=pk)
    try:
        if request.POST.get("action") in ("used", "unused"):
            _mark(request, get_object_or_404(duo.vouchers, pk=as_id(request.POST.get("voucher"))))
        else:
            offers = vouchers.visible_offers(VoucherOffer.objects, request.user)
            offer = offers.filter(pk=as_id(request.POST.get("offer"))).first()
            if offer is None:
                raise vouchers.VoucherError(_("Choose an offer."))
            made = vouchers.vouchers_hand_out(
                offer=offer, duos=[duo], count=_counts(request, [duo]), user=request.user
            )
            messages.success(request, _handed_out_message(len(made)))
    except vouchers.VoucherError as error:
        messages.error(request, error.message)
    return redirect("duos:inspect", pk)


def report_view(request):
    """Per partner and offer: how many, handed out, used, left, expired unused."""
    _require(request, VIEW)
    return TemplateResponse(
        request,
        "buddypages/duos/admin/voucher_report.html",
        {
            "partners": vouchers.voucher_report(user=request.user),
            "page_title": _("Voucher report"),
            "header_icon": "tag",
        },
    )
