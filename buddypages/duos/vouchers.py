"""Partner vouchers: offers with a stock that never goes below zero, handed out to duos.
Owner: the voucher feature.

The stock of an offer changes only through conditional UPDATEs (``stock = stock - n WHERE
stock >= n``) inside a transaction that first locks the offer's row (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's immediate transactions already let one writer in at a time), and the
database's CHECK constraint (``stock >= 0``) is the last guard.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Count, F, Q
from django.dispatch import receiver
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from buddypages.core.qr import qr_svg
from buddypages.duos.models import Duo, Voucher, VoucherOffer
from buddypages.duos.selectors import programme_key_site_id
from buddypages.duos.services import DuoError, duo_audit, duo_from_token
from buddypages.pages.access import ALL, seal
from buddypages.pages.municipality import visible_programme_keys
from buddypages.registry.models import Participant
from buddypages.registry.signals import participant_exporting

# Easy to read aloud and to type from paper: no 0/O, no 1/I.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8  # 32**8: about a trillion codes, so guessing one is hopeless
CODE_PATTERN = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


class VoucherError(DuoError):
    """A hand-out or change that cannot be done; ``message`` says why, translated."""


NOT_YOURS = _("A duo you chose is not one of your municipality's: nothing was handed out.")


def voucher_code() -> str:
    """A new random code like ``K7QM-3XPA``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {voucher_code() for _n in range(count - len(codes))}
        codes |= fresh - set(Voucher.objects.filter(code__in=fresh).values_list("code", flat=True))
    return list(codes)


# --- Offers ------------------------------------------------------------------------------


def visible_offers(offers, user):
    """The offers ``user`` may see: those of the programmes of their sites. An offer for
    every programme belongs to no site, so only someone who sees every site sees it (it
    would show one municipality's duos, stock and use to another's coordinator)."""
    keys = visible_programme_keys(user)
    return offers if keys is ALL else offers.filter(programme_key__in=keys)


def voucher_offer_save(*, offer: VoucherOffer, quantity: int, user) -> VoucherOffer:
    """Create an offer (its stock is the quantity) or change one: a new quantity moves the
    stock by the difference, never below what is already handed out."""
    if quantity < 1:
        raise VoucherError(_("An offer has at least one voucher."))
    with transaction.atomic():
        if offer.pk is None:
            offer.quantity = offer.stock = quantity
            offer.save()
            duo_audit(
                user,
                f"voucher offer {offer.pk} created: {quantity}",
                count=quantity,
                site_id=programme_key_site_id(offer.programme_key),
            )
            return offer
        current = VoucherOffer.objects.select_for_update().get(pk=offer.pk)
        handed_out = current.handed_out
        if quantity < handed_out:
            raise VoucherError(
                ngettext(
                    "%(count)s voucher is already handed out: the quantity cannot be lower.",
                    "%(count)s vouchers are already handed out: the quantity cannot be lower.",
                    handed_out,
                )
                % {"count": handed_out}
            )
        difference = quantity - current.quantity
        offer.save(
            update_fields=[
                "partner",
                "partner_name",
                "what",
                "valid_until",
                "per_duo_limit",
                "programme_key",
            ]
        )
        moved = VoucherOffer.objects.filter(pk=offer.pk, stock__gte=-difference).update(
            quantity=F("quantity") + difference, stock=F("stock") + difference
        )
        if not moved:  # only if the lock above did not hold (it always should)
            raise VoucherError(_("Vouchers were handed out meanwhile: try again."))
        duo_audit(
            user,
            f"voucher offer {offer.pk} changed: quantity {quantity}",
            site_id=programme_key_site_id(offer.programme_key),
        )
    offer.refresh_from_db()
    return offer


# --- Handing out -------------------------------------------------------------------------


def vouchers_hand_out(
    *, offer: VoucherOffer, duos: Iterable[Duo], count: int | Mapping[int, int] = 1, user
) -> list[Voucher]:
    """Give ``count`` vouchers of ``offer`` to each duo (or ``count[duo.pk]`` each): all or
    nothing. Refused, with the reason, when the offer has expired, too few are left, a duo
    is not running, is of a site ``user`` may not see, or would get more than the offer's
    limit per duo."""
    duos = list(duos)
    wanted = {
        duo.pk: (count.get(duo.pk, 0) if isinstance(count, Mapping) else count) for duo in duos
    }
    if any(not isinstance(n, int) or n < 0 for n in wanted.values()):
        raise VoucherError(_("Give a number of vouchers of 0 or more."))
    wanted = {pk: n for pk, n in wanted.items() if n}
    if not wanted:
        raise VoucherError(_("Choose at least one duo and how many vouchers."))
    total = sum(wanted.values())
    today = timezone.localdate()
    with transaction.atomic():
        # One hand-out per offer at a time: the limit per duo holds under concurrency too.
        current = VoucherOffer.objects.select_for_update().get(pk=offer.pk)
        if current.is_expired(today):
            raise VoucherError(_("This offer has expired: no more vouchers can be handed out."))
        # ``user`` None: a command or the demo hands out, not a coordinator.
        sealed = seal(Duo.objects.filter(pk__in=wanted), user) if user is not None else None
        if sealed is not None and sealed.count() != len(wanted):
            raise VoucherError(NOT_YOURS)
        running = list(Duo.objects.running().filter(pk__in=wanted).select_related("newcomer"))
        if len(running) != len(wanted):
            raise VoucherError(_("Vouchers go only to running duos."))
        if current.programme_key and any(
            duo.programme_key != current.programme_key for duo in running
        ):
            raise VoucherError(_("This offer is for another programme."))
        held = dict(
            Voucher.objects.filter(offer=current, duo_id__in=wanted)
            .values_list("duo_id")
            .annotate(n=Count("pk"))
            .values_list("duo_id", "n")
        )
        over = [
            duo for duo in running if held.get(duo.pk, 0) + wanted[duo.pk] > current.per_duo_limit
        ]
        if over:
            raise VoucherError(
                ngettext(
                    "At most %(limit)s voucher per duo: %(duos)s would get more.",
                    "At most %(limit)s vouchers per duo: %(duos)s would get more.",
                    current.per_duo_limit,
                )
                % {"limit": current.per_duo_limit, "duos": ", ".join(str(duo) for duo in over)}
            )
        taken = VoucherOffer.objects.filter(pk=current.pk, stock__gte=total).update(
            stock=F("stock") - total
        )
        if not taken:
            left = VoucherOffer.objects.get(pk=current.pk).stock
            if not left:
                raise VoucherError(_("No vouchers left: nothing was handed out."))
            raise VoucherError(
                ngettext(
                    "Only %(left)s voucher left: nothing was handed out.",
                    "Only %(left)s vouchers left: nothing was handed out.",
                    left,
                )
                % {"left": left}
            )
        codes = iter(_new_codes(total))
        now = timezone.now()
        vouchers = Voucher.objects.bulk_create(
            Voucher(
                offer=current,
                duo=duo,
                code=next(codes),
                handed_out_at=now,
                handed_out_by=user if user is not None and user.is_authenticated else None,
            )
            for duo in running
            for _n in range(wanted[duo.pk])
        )
        for duo in running:
            duo_audit(
                user,
                f"voucher offer {current.pk}: {wanted[duo.pk]} handed out to duo {duo.pk}",
                participant=duo.newcomer,
                count=wanted[duo.pk],
            )
    offer.stock = current.stock - total
    return vouchers


def voucher_mark_used(*, voucher: Voucher, user, used: bool = True) -> Voucher:
    """Record that the partner took the voucher (``used=False`` undoes it); the offer
    counts it too, so the report survives the duo's erasure."""
    with transaction.atomic():
        if used:
            changed = Voucher.objects.filter(pk=voucher.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            step = 1
        else:
            changed = Voucher.objects.filter(pk=voucher.pk, used_at__isnull=False).update(
                used_at=None
            )
            step = -1
        if changed:
            offers = VoucherOffer.objects.filter(pk=voucher.offer_id)
            if step < 0:
                offers = offers.filter(used_count__gt=0)
            offers.update(used_count=F("used_count") + step)
            duo_audit(
                user,
                f"voucher {voucher.pk} {'used' if used else 'not used'}",
                participant=voucher.duo.newcomer,
            )
    voucher.refresh_from_db()
    return voucher


# --- Report ------------------------------------------------------------------------------


def voucher_report(on: date | None = None, *, user=None) -> list[dict]:
    """Per partner, per offer: quantity, handed out, used, left, expired unused. Counted
    from the offers alone, so the figures stay when duos are erased. With ``user``, the
    offers they may see only (:func:`visible_offers`)."""
    on = on or timezone.localdate()
    partners: dict[str, dict] = {}
    offers = VoucherOffer.objects.order_by("partner_name", "valid_until", "pk")
    if user is not None:
        offers = visible_offers(offers, user)
    for offer in offers:
        expired = offer.is_expired(on)
        row = {
            "offer": offer,
            "quantity": offer.quantity,
            "handed_out": offer.handed_out,
            "used": offer.used_count,
            "left": offer.stock,
            # Handed out, never used, and too late now.
            "expired_unused": offer.handed_out - offer.used_count if expired else 0,
            "expired": expired,
        }
        group = partners.setdefault(
            offer.partner_name, {"partner": offer.partner_name, "offers": []}
        )
        group["offers"].append(row)
    for group in partners.values():
        for key in ("quantity", "handed_out", "used", "left", "expired_unused"):
            group[key] = sum(row[key] for row in group["offers"])
    return list(partners.values())


# --- The duo page ------------------------------------------------------------------------


def duo_vouchers(duo: Duo) -> list[Voucher]:
    return list(duo.vouchers.select_related("offer").order_by("offer__valid_until", "pk"))


def duo_page_context(request, duo, role: str) -> dict:
    """What the duo page's voucher section needs (template
    ``buddypages/duos/sections/vouchers.html``)."""
    token = request.resolver_match.kwargs.get("token", "") if request.resolver_match else ""
    today = timezone.localdate()
    vouchers = duo_vouchers(duo)
    for voucher in vouchers:
        voucher.status = voucher.state(today)
        voucher.url = reverse(
            "buddypages:duo-voucher", kwargs={"token": token, "code": voucher.code}
        )
    return {"vouchers": vouchers}


def duo_admin_context(request, duo) -> dict:
    """What this feature's section of the coordinator's duo page needs (template
    ``buddypages/duos/admin/sections/<feature>.html``)."""
    if not request.user.has_perm("buddypages.view_voucheroffer"):
        return {}
    today = timezone.localdate()
    vouchers = duo_vouchers(duo)
    for voucher in vouchers:
        voucher.status = voucher.state(today)
    offers = visible_offers(VoucherOffer.objects.available(today), request.user).filter(
        Q(programme_key=duo.programme_key) | Q(programme_key__isnull=True)
    )
    return {
        "vouchers_section": True,
        "duo_vouchers": vouchers,
        "voucher_offers": list(offers)
        if duo.status in (Duo.Status.ACTIVE, Duo.Status.PAUSED)
        else [],
        "can_hand_out_vouchers": request.user.has_perm("buddypages.change_voucheroffer"),
    }


@never_cache
def voucher_view(request, token: str, code: str):
    """The printable voucher under the member's private duo link: the code, big, and its QR."""
    try:
        duo, _role = duo_from_token(token)
    except DuoError as error:
        return TemplateResponse(
            request, "buddypages/duos/voucher.html", {"error": error.message}, status=404
        )
    voucher = (
        duo.vouchers.select_related("offer").filter(code=code.upper()).first()
        if CODE_PATTERN.match(code.upper())
        else None
    )
    if voucher is None:
        return TemplateResponse(
            request,
            "buddypages/duos/voucher.html",
            {"error": gettext("We could not find this voucher."), "back": _back(token)},
            status=404,
        )
    svg = qr_svg(voucher.code, title=gettext("QR code of the voucher code"), scale=1)
    return TemplateResponse(
        request,
        "buddypages/duos/voucher.html",
        {
            "voucher": voucher,
            "status": voucher.state(),
            "qr": mark_safe(_scalable(svg)),  # noqa: S308 (segno escapes the title)
            "back": _back(token),
        },
    )


def _back(token: str) -> str:
    return reverse("buddypages:duo-log", kwargs={"token": token})


_FIXED_SIZE = re.compile(r'^<svg width="(\d+)" height="(\d+)"')


def _scalable(svg: str) -> str:
    """A viewBox instead of a fixed size, so CSS can make the code as big as the screen."""
    return _FIXED_SIZE.sub(r'<svg viewBox="0 0 \1 \2" role="img"', svg, count=1)


# --- The person's data export -------------------------------------------------------------


@receiver(participant_exporting, sender=Participant, dispatch_uid="buddypages-duos-vouchers-export")
def export_vouchers(sender, participant: Participant, when, **kwargs) -> dict:
    """The vouchers of this person's duos (erasure deletes them with the duo)."""
    mine = (
        Voucher.objects.filter(Q(duo__newcomer=participant) | Q(duo__volunteer=participant))
        .select_related("offer")
        .order_by("handed_out_at", "pk")
    )
    return {
        "vouchers": [
            {
                "partner": voucher.offer.partner_name,
                "what": voucher.offer.what,
                "code": voucher.code,
                "valid_until": when(voucher.offer.valid_until),
                "handed_out_at": when(voucher.handed_out_at),
                "used_at": when(voucher.used_at),
            }
            for voucher in mine
        ]
    }
