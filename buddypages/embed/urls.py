"""The widgets' frames, inside the language prefix (``/<lang>/embed/...``)."""

urlpatterns = []
