"""Demo: action plans with feedback at both moments, a referral guide, partner vouchers."""


def ensure_plans(programme, locales) -> None:
    """Goal options (translated) and action plans with feedback for the demo duos."""


def ensure_referrals(locales) -> None:
    """At least 12 local services in nl and ar (and the other demo languages you can)."""
    from buddysite.demo.referrals import ensure_referral_guide

    ensure_referral_guide(locales)


def ensure_vouchers(programme, partners) -> None:
    """Two partners' voucher offers, some handed out to demo duos, some used."""
