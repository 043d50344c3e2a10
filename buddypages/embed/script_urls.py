"""``/embed.js``: outside the language prefix, one address for every language.

Include it at the root of the host's URLs, outside ``i18n_patterns``::

    path("", include("buddypages.embed.script_urls")),
"""

from django.urls import path

from buddypages.embed import views

app_name = "buddypages_embed"

urlpatterns = [path("embed.js", views.script_view, name="script")]
