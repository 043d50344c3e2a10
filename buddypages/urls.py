"""The plugin's public pages outside the page tree: a duo's meeting log and the newsletter
confirmation, both reached from links in emails.

Include them inside ``i18n_patterns``, before Wagtail's pages, so each link opens in the
language of the email that carried it::

    urlpatterns += i18n_patterns(
        path("", include("buddypages.urls")),
        path("", include("newsletter.urls")),
        path("", include(wagtail_urls)),
    )
"""

from django.urls import include, path, re_path

from buddypages.duos import closing, plans, referrals, vouchers
from buddypages.duos.views import duo_log_view
from buddypages.pages.municipality import stylesheet_view
from buddypages.pages.posters import sheet_view
from buddypages.registry.views import newsletter_confirm_view, note_acknowledge_view

app_name = "buddypages"

urlpatterns = [
    path("duo/<str:token>/", duo_log_view, name="duo-log"),
    path("duo/<str:token>/feedback/<str:moment>/", plans.feedback_view, name="duo-feedback"),
    path("duo/<str:token>/question/", referrals.question_view, name="duo-question"),
    path("duo/<str:token>/voucher/<str:code>/", vouchers.voucher_view, name="duo-voucher"),
    path(
        "duo/<str:token>/certificate/<str:language>/",
        closing.certificate_view,
        name="duo-certificate",
    ),
    path("volunteer-note/<str:token>/", note_acknowledge_view, name="volunteer-note"),
    path("newsletter/confirm/<str:token>/", newsletter_confirm_view, name="newsletter-confirm"),
    path("municipality.css", stylesheet_view, name="municipality-css"),
    path("embed/", include("buddypages.embed.urls")),
    path("screen/", include("buddypages.screen.urls")),
    # A programme's poster and flyer (Wagtail serves only addresses that end in a slash).
    re_path(r"^(?P<path>(?:[\w\-]+/)*)(?P<sheet>poster|flyer)\.pdf$", sheet_view, name="sheet"),
]
