"""The waiting-room screen, inside the language prefix (``/<lang>/screen/``)."""

urlpatterns = []
