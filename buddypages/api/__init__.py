"""The headless API: Wagtail's API v2 (``buddypages.api.v2``, read-only, kept for existing
clients) and the documented API v3 (``buddypages.api.v3``: Wagtail's v3 API on Django Ninja
with this plugin's reads and public writes, one OpenAPI 3.1 document).

``from buddypages.api import api_router`` keeps working for hosts that imported the v2 router
from its old module.
"""

from buddypages.api.v2 import BuddyPagesAPIViewSet, api_router

__all__ = ["BuddyPagesAPIViewSet", "api_router"]
