"""Demo: action plans with feedback at both moments, a referral guide, partner vouchers."""


def ensure_plans(programme, locales) -> None:
    """Goal options (translated) and action plans with feedback for the demo duos."""
    from buddysite.demo.plans import ensure_plans as ensure_action_plans

    ensure_action_plans(programme, locales)


def ensure_referrals(locales) -> None:
    """At least 12 local services in nl and ar (and the other demo languages you can)."""
    from buddysite.demo.referrals import ensure_referral_guide

    ensure_referral_guide(locales)


def ensure_vouchers(programme, partners) -> None:
    """Two partners' voucher offers, some handed out to demo duos, some used."""
    # Imported here: the other demo steps in this module share its top lines.
    from datetime import timedelta

    from django.utils import timezone

    from buddypages.duos import vouchers
    from buddypages.duos.models import Duo, VoucherOffer

    by_name = {partner.name: partner for partner in partners}
    today = timezone.localdate()
    duos = list(Duo.objects.running().filter(programme_key=programme.translation_key))
    # (partner, what, how many, at most per duo, valid for days, duos that get one, used)
    offers = [
        ("Sportcentrum De Heide", "Twee tickets voor het zwembad", 30, 2, 120, 5, 2),
        ("Bibliotheek Heidestad", "Een ticket voor de filmavond in de bib", 12, 1, 60, 4, 1),
        # Already over: the report shows what was never used.
        ("Sportcentrum De Heide", "Een beurtenkaart voor de sporthal", 10, 1, -14, 3, 1),
    ]
    for name, what, quantity, limit, days, given, used in offers:
        partner = by_name.get(name)
        if partner is None or VoucherOffer.objects.filter(partner_name=name, what=what).exists():
            continue
        offer = vouchers.voucher_offer_save(
            offer=VoucherOffer(
                partner=partner,
                what=what,
                per_duo_limit=limit,
                programme_key=programme.translation_key,
                valid_until=today + timedelta(days=max(days, 1)),
            ),
            quantity=quantity,
            user=None,
        )
        if duos[:given]:
            handed = vouchers.vouchers_hand_out(offer=offer, duos=duos[:given], user=None)
            for voucher in handed[:used]:
                vouchers.voucher_mark_used(voucher=voucher, user=None)
        if days < 0:
            VoucherOffer.objects.filter(pk=offer.pk).update(
                valid_until=today + timedelta(days=days)
            )
