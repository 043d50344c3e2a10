"""The waiting-room screen, inside the language prefix (``/<lang>/screen/``)."""

from django.urls import path

from buddypages.screen.views import screen_slides_view, screen_view

urlpatterns = [
    path("", screen_view, name="screen"),
    path("slides/", screen_slides_view, name="screen-slides"),
]
