"""Wagtail API v2: pages, images and documents, read-only.

Pages are filtered by language with ``?locale=nl`` and by type with
``?type=buddypages.LanguageTipPage``; tips also by ``level=A1`` (a field
filter) and ``theme_key=doctor`` (the theme's stable key, the same in every
language). Personal data never goes through here.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class BuddyPagesAPIViewSet(PagesAPIViewSet):
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["theme_key"])

    def get_queryset(self):
        from buddypages.models import LanguageTipPage

        queryset = super().get_queryset()
        theme_key = self.request.GET.get("theme_key")
        if theme_key is not None:
            if not theme_key:
                raise BadRequestError("theme_key must not be empty")
            tips = LanguageTipPage.objects.filter(theme__key=theme_key).values("pk")
            queryset = queryset.filter(pk__in=tips)
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", BuddyPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
