"""``GET /api/v3/preview/?token=``: a draft, for the municipality's own front end to preview.

Off (404) unless ``BUDDYPAGES["HEADLESS_PREVIEW_URL"]`` is set. The token comes from the
editor's preview (see :mod:`buddypages.pages.preview`): it opens one saved revision of one
page of the site this address belongs to, for a short time. Answers are never cached.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Page

from buddypages.api.v3.errors import problem
from buddypages.api.v3.schemas import request_site
from buddypages.pages import preview

router = Router(tags=["preview"])


class PreviewQuery(Schema):
    token: str = Field(
        max_length=2000, description="The token the editor's preview put in the front end's URL."
    )


@router.get(
    "/preview/",
    response={200: PageDetailSchema},
    operation_id="get_preview",
    summary="A draft, by preview token",
)
def get_preview(request, query: Query[PreviewQuery], response: HttpResponse):
    """The content of the draft the token names, as the page detail of the pages API.

    A token that was edited or made up answers 403; one that has expired answers 401 (ask
    the editor to preview again). Only the site this address belongs to is searched.
    """
    if not preview.headless_preview_url():
        raise Http404
    try:
        target = preview.preview_target(query.token)
    except preview.PreviewExpired:
        return _denied(401, _("This preview link has expired: preview the page again."))
    except preview.PreviewInvalid:
        return _denied(403, _("This preview link is not valid."))
    site = request_site(request)
    root = site.root_page
    roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
    page = Page.objects.filter(pk=target.page_id).first()
    if page is None or not any(page.path.startswith(path) for path in roots):
        raise Http404
    page = page.specific
    revision = None
    if target.revision_id is not None:
        revision = page.revisions.filter(pk=target.revision_id).first()
        if revision is None:
            raise Http404
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return revision.as_object() if revision is not None else page


def _denied(status: int, detail: str):
    answer = problem(status, detail)
    answer["Cache-Control"] = "no-store"
    return answer
