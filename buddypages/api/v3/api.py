"""One Ninja API for ``/api/v3/``: Wagtail's v3 API (pages, schema, sites, whoami) with this
plugin's endpoints added to it, so one ``/api/v3/openapi.json`` describes everything.

Other apps add their routers with the ``register_buddypages_api_v3`` Wagtail hook (the
newsletter adds its archive and subscriptions this way), so the plugin never imports them::

    @hooks.register("register_buddypages_api_v3")
    def add_routes(api):
        api.add_router("/", router)
"""

from ninja.renderers import JSONRenderer
from wagtail import hooks

from buddypages.api.v3 import errors, openapi

_api = None

DESCRIPTION = """\
The buddy programme's content and public forms, for a municipality's own website, app and
screens.

**Reads** (programmes, language tips, activities and their dates, the newsletter archive,
the referral guide, navigation, pages by address, form descriptions) are anonymous, in every
language (`?locale=ar`), for the site the request's host name belongs to (or `?site=`). They
carry an `ETag` and answer `304 Not Modified` to `If-None-Match`; any origin may read them.

**Writes** (sign-up, activity sign-up and its cancellation, newsletter subscription and
unsubscription) are anonymous too, from the origins the site allows. Each goes through the
same rules as the site's own forms: consent records, confirmation emails in the person's
language, duplicate merging, spam checks and rate limits. Fetch a form token
(`GET /api/v3/forms/token/`) before showing a form and send it back with the answers.

**Errors** are problem details (RFC 9457) in the language asked for (`?locale=` or
`Accept-Language`), with one entry per invalid field in `errors`.
"""


class UTF8JSONRenderer(JSONRenderer):
    """JSON in UTF-8 as it is: an Arabic or Tigrinya answer escaped as ``\\uXXXX`` would be
    about three times as large, on the phones with the least data."""

    json_dumps_params = {"ensure_ascii": False}


def get_api():
    """Wagtail's v3 API with this plugin's routers and error handlers, built once."""
    global _api
    if _api is not None:
        return _api
    from wagtail.api.v3.api import api

    from buddypages.api.v3 import content, forms, pages, preview, referrals, signups

    api.title = "Buddy programme API"
    api.description = DESCRIPTION
    api.renderer = UTF8JSONRenderer()
    errors.install(api)
    openapi.install(api)
    api.add_router("/", pages.router)
    api.add_router("/", content.router)
    api.add_router("/", forms.router)
    api.add_router("/", signups.router)
    api.add_router("/", preview.router)
    api.add_router("/", referrals.router)
    for register in hooks.get_hooks("register_buddypages_api_v3"):
        register(api)
    _api = api
    return api
