from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", include("buddypages.api_urls")),
    path("api/v3/", include("buddypages.api.v3.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("buddypages.urls")),
    path("", include(wagtail_urls)),
)
