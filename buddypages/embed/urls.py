"""The widgets' frames, inside the language prefix (``/<lang>/embed/...``)."""

from django.urls import path

from buddypages.embed import views

urlpatterns = [
    path(
        "signup/<slug:programme>/<str:role>/",
        views.signup_view,
        name="embed-signup",
    ),
    path(
        "signup/<slug:programme>/<str:role>/thanks/",
        views.signup_thanks_view,
        name="embed-signup-thanks",
    ),
    path("calendar/", views.calendar_view, name="embed-calendar"),
    path("tip/", views.tip_view, name="embed-tip"),
]
