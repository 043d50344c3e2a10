"""The newsletter's public page: one-click unsubscribe (RFC 8058), linked from every issue.

Include it inside ``i18n_patterns``, before Wagtail's pages (see ``buddypages/urls.py``).
"""

from django.urls import path

from newsletter.views import unsubscribe_view

app_name = "newsletter"

urlpatterns = [
    path("newsletter/unsubscribe/<str:token>/", unsubscribe_view, name="unsubscribe"),
]
