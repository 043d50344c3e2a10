"""The headless API: Wagtail's API v2 (``buddypages.api.v2``, read-only, kept for existing
clients) and the documented API v3 (``buddypages.api.v3``: Wagtail's v3 API on Django Ninja
with this plugin's reads and public writes, one OpenAPI 3.1 document).

``from buddypages.api import api_router`` keeps working for hosts that imported the v2 router
from its old module.
"""

__all__ = ["BuddyPagesAPIViewSet", "api_router"]


def __getattr__(name):
    # Imported on first use: ``buddypages.models`` imports ``buddypages.api.webhooks.models``
    # while the app registry loads, before Wagtail's API v2 may be imported.
    if name in __all__:
        from buddypages.api import v2

        return getattr(v2, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
