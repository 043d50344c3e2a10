from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from buddysite.views import favicon, healthz, search

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", include("buddypages.api_urls")),
    path("api/v3/", include("buddypages.api.v3.urls")),
    # The widgets' script for other sites: /embed.js (its frames are under /<lang>/embed/).
    path("", include("buddypages.embed.script_urls")),
    # The email provider's tracking webhooks: /anymail/<esp>/tracking/ (basic auth
    # with ANYMAIL_WEBHOOK_SECRET, plus the provider's signature where it signs).
    path("anymail/", include("anymail.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page carries its language: /nl/..., /ar/... A bare "/" is
# redirected by LocaleMiddleware to the visitor's preferred language.
urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    # The plugin's pages reached from emails: the duo log, the newsletter confirmation
    # (buddypages:...) and unsubscribe (newsletter:...).
    path("", include("buddypages.urls")),
    path("", include("newsletter.urls")),
    # Wagtail's page views, with the route to the plugin's pages remembered until content changes.
    path("", include("buddypages.pages.routing")),
    prefix_default_language=True,
)

# JSON under /api/, Django's pages in the visitor's language elsewhere.
handler400 = "buddysite.errors.bad_request"
handler403 = "buddysite.errors.permission_denied"
handler404 = "buddysite.errors.page_not_found"
handler500 = "buddysite.errors.server_error"
