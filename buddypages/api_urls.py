"""The read-only API: Wagtail's API v2 (pages, images, documents) with this plugin's filters
and JSON errors, and the activity occurrences. A host includes it at the prefix it likes::

    path("api/v2/", include("buddypages.api_urls")),

Outside ``i18n_patterns``: the API takes its language from ``?locale=``.
"""

from django.urls import path

from buddypages.api.v2 import api_router
from buddypages.api_views import occurrences_api

urlpatterns = [
    path("occurrences/", occurrences_api, name="api-occurrences"),
    path("", api_router.urls),
]
