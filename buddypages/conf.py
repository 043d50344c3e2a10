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
    # Where the host includes ``buddypages.api.v3.urls``: any origin may read below it
    # (writes only from the origins in django-cors-headers' CORS_ALLOWED_ORIGINS).
    "API_PREFIX": "/api/v3/",
    # Publish webhooks: seconds to wait before each retry of a failed delivery (after the
    # last one, the delivery has failed), and how long one POST may take.
    "WEBHOOK_RETRY_SECONDS": (60, 300, 1800, 7200, 21600),
    "WEBHOOK_TIMEOUT": 10,
    # Preview in the municipality's own front end: its preview address, with {token} (and
    # optionally {locale}, {type}, {id}) filled in, e.g.
    # "https://www.gemeente.be/preview?token={token}&locale={locale}". None: off.
    "HEADLESS_PREVIEW_URL": None,
    # How long a preview token opens its draft, in seconds.
    "HEADLESS_PREVIEW_SECONDS": 3600,
    # The sites that may show the widgets (``/embed.js``): their origins, e.g.
    # ["https://www.gemeente.be"]. The widgets' frames name them in the CSP's
    # frame-ancestors; every other site is refused by the browser. Empty: this site only.
    "EMBED_ALLOWED_ORIGINS": [],
}


def buddypages_setting(name: str):
    return {**DEFAULTS, **getattr(settings, "BUDDYPAGES", {})}[name]
