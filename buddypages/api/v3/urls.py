"""``/api/v3/``: a host includes it at the prefix it likes, outside ``i18n_patterns``::

path("api/v3/", include("buddypages.api.v3.urls")),
"""

from buddypages.api.v3.api import get_api
from buddypages.api.v3.http import wrap_patterns

_patterns, _app_name, app_name = get_api().urls  # reversed by its namespace, "wagtailapi_v3"
urlpatterns = wrap_patterns(_patterns)
