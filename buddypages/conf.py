"""The plugin's own settings: one namespaced dict, ``BUDDYPAGES``, read on every use (so tests
that change settings see the change). The registry (``BUDDY_REGISTRY``) and the newsletter
(``BUDDY_NEWSLETTER``) have theirs in ``buddypages/registry/conf.py`` and ``newsletter/conf.py``.
"""

from django.conf import settings

DEFAULTS = {
    # Proxies in front of the site that append to X-Forwarded-For: the client address for
    # the sign-up rate limit (and, in the example host, the login lockout) is read past them.
    "TRUSTED_PROXY_COUNT": 0,
    # Registry, matching and duo screens need a verified second factor (django-otp) when the
    # host has django_otp installed. False only for a demo on one's own machine.
    "REQUIRE_TWO_FACTOR": True,
    # Where a coordinator without a verified second factor is sent (``?next=`` is added);
    # None: back to the admin's dashboard with a message that says why.
    "TWO_FACTOR_URL": None,
    # Where ``load_demo`` keeps the demo accounts' generated password (None: not kept, a new
    # one each run). DEMO_PASSWORD in the environment always wins.
    "DEMO_PASSWORD_FILE": None,
}


def buddypages_setting(name: str):
    return {**DEFAULTS, **getattr(settings, "BUDDYPAGES", {})}[name]
