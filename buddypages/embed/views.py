"""The widgets: ``/embed.js`` and the frames it shows on the allowed sites.

Each frame is a small page of this site inside an iframe, so its CSP, its spam defences and
its form handling stay this site's. A frame's address carries what the widget needs in its
query string (``origin``: the embedding site, to record with a sign-up; the calendar's
``kind`` and ``audience``); every parameter is checked, and an address with anything else in
it is redirected to its clean form, so the page cache only ever stores clean addresses.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Locale, Site

from buddypages.calendar.occurrences import occurrences_between
from buddypages.calendar.pages import ActivityCalendarPage, ActivityPage
from buddypages.calendar.selectors import occurrence_places_left
from buddypages.core.locales import locale_language_code
from buddypages.embed.security import allow_framing, embedding_origin, same_origin_post
from buddypages.pages.models import ProgrammePage
from buddypages.pages.selectors import language_tip_of_the_week
from buddypages.registry.choices import Role
from buddypages.registry.models import Consent
from buddypages.registry.pages import RegistrationPage

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "buddypages" / "embed" / "embed.js"
# How far ahead the calendar widget looks, and how many dates it lists at most.
CALENDAR_DAYS = 90
CALENDAR_LIMIT = 8
ROLES = {Role.NEWCOMER.value, Role.VOLUNTEER.value}


# The script ---------------------------------------------------------------------------------


@require_GET
def script_view(request):
    """``/embed.js``: the same file for every site and language (the snippet says which
    widget, in which language). Browsers keep it an hour and then ask again."""
    body = SCRIPT.read_bytes()
    etag = quote_etag(f"{SCRIPT.stat().st_mtime_ns:x}-{len(body):x}")
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    response["Last-Modified"] = http_date(SCRIPT.stat().st_mtime)
    # Any site may load it with <script src>; it only ever opens this site's frames.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# Shared by the frames -----------------------------------------------------------------------


def _clean_query(request, allowed: dict) -> tuple[dict, bool]:
    """The query's known parameters that hold allowed values, and whether the query had
    anything else (then the caller redirects to the clean address)."""
    clean = {}
    for name, check in allowed.items():
        value = request.GET.get(name, "")
        cleaned = check(value) if value else ""
        if cleaned:
            clean[name] = cleaned
    dirty = any(name not in clean for name in request.GET) or any(
        len(request.GET.getlist(name)) > 1 or request.GET[name] != value
        for name, value in clean.items()
    )
    return clean, dirty


def _address(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def _frame(request, template: str, context: dict, *, status: int = 200, query=None):
    response = TemplateResponse(request, template, context, status=status)
    allow_framing(response)
    if query and status == 200:
        # Every parameter was checked (see _clean_query): a bounded set of addresses.
        response.cache_with_query = True
    return response


def _of_site(model, request):
    """The translation keys of the site's pages of ``model``. A site's root page is in its
    default language; the other languages' pages are translations of pages under it."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return model.objects.in_site(site).values("translation_key")


# The sign-up form ---------------------------------------------------------------------------


def _registration_page(request, programme_slug: str, role: str):
    """The live sign-up page for ``role`` of the programme with this slug, in the active
    language (in the programme's own language when it has no translation: the caller
    redirects there), with its programme. Http404 when there is none."""
    if role not in ROLES:
        raise Http404
    # The snippet names the programme by its slug in any of its languages.
    named = (
        ProgrammePage.objects.filter(translation_key__in=_of_site(ProgrammePage, request))
        .filter(slug=programme_slug)
        .values("translation_key")
    )
    programmes = ProgrammePage.objects.live().filter(translation_key__in=named)
    programme = programmes.filter(locale__language_code=translation.get_language()).first()
    if programme is None:
        # Not in this language: the caller redirects to the programme's own language.
        programme = programmes.order_by("pk").first()
        if programme is None:
            raise Http404
    # public(): no form of a page (or a section) behind a password or a login.
    page = RegistrationPage.objects.live().public().child_of(programme).filter(role=role).first()
    if page is None:
        raise Http404
    return page, programme


def _other_language(request, page, name: str, kwargs: dict, query: dict):
    """A redirect to the frame in ``page``'s language, when it is not the active one."""
    language = locale_language_code(page.locale_id)
    if language == translation.get_language():
        return None
    with translation.override(language):
        return redirect(_address(reverse(name, kwargs=kwargs), query))


@csrf_exempt  # no cookies in a frame of another site: same_origin_post() protects the post
@require_http_methods(["GET", "HEAD", "POST"])
def signup_view(request, programme: str, role: str):
    request.sensitive_post_parameters = "__ALL__"
    query, dirty = _clean_query(request, {"origin": embedding_origin})
    kwargs = {"programme": programme, "role": role}
    if request.method == "POST":
        return _signup_post(request, kwargs, query)
    if dirty:
        return redirect(_address(request.path, query))
    page, parent = _registration_page(request, programme, role)
    moved = _other_language(request, page, "buddypages:embed-signup", kwargs, query)
    if moved:
        return moved
    return _frame(
        request,
        "buddypages/embed/signup.html",
        {"page": page, "form": page.registration_form(), "origin": query.get("origin", "")},
        query=query,
    )


def _signup_post(request, kwargs: dict, query: dict):
    if not same_origin_post(request):
        return _frame(
            request,
            "buddypages/embed/refused.html",
            {"message": _("This form can only be sent from its own page. Reload the page.")},
            status=403,
        )
    page, _programme = _registration_page(request, kwargs["programme"], kwargs["role"])
    # The form says where it was shown; only an allowed origin is kept.
    origin = embedding_origin(request.POST.get("embed_origin", "")) or query.get("origin", "")
    form = page.registration_form(request.POST)
    status = page.register(request, form, method=Consent.Method.EMBED, origin=origin)
    if status is None:
        thanks = reverse("buddypages:embed-signup-thanks", kwargs=kwargs)
        return redirect(_address(thanks, {"origin": origin} if origin else {}))
    return _frame(
        request,
        "buddypages/embed/signup.html",
        {"page": page, "form": form, "origin": origin},
        status=status,
    )


@require_GET
def signup_thanks_view(request, programme: str, role: str):
    query, dirty = _clean_query(request, {"origin": embedding_origin})
    if dirty:
        return redirect(_address(request.path, query))
    page, parent = _registration_page(request, programme, role)
    return _frame(
        request,
        "buddypages/embed/signup_thanks.html",
        {"page": page, "programme": parent},
        query=query,
    )


# The calendar -------------------------------------------------------------------------------


def _choice(choices):
    codes = {code for code, _label in choices}
    return lambda value: value if value in codes else ""


@require_GET
def calendar_view(request):
    query, dirty = _clean_query(
        request,
        {
            "origin": embedding_origin,
            "kind": _choice(ActivityPage.KINDS),
            "audience": _choice(ActivityPage.AUDIENCES),
        },
    )
    if dirty:
        return redirect(_address(request.path, query))
    calendar = (
        ActivityCalendarPage.objects.live()
        .public()
        .filter(translation_key__in=_of_site(ActivityCalendarPage, request))
        .filter(locale__language_code=translation.get_language())
        .first()
    )
    activities = calendar.activities() if calendar else ActivityPage.objects.none()
    if query.get("kind"):
        activities = activities.filter(kind=query["kind"])
    if query.get("audience"):
        activities = activities.filter(audience__in=[query["audience"], "everyone"])
    now = timezone.now()
    found = occurrences_between(
        list(activities), after=now, before=now + timedelta(days=CALENDAR_DAYS)
    )[:CALENDAR_LIMIT]
    return _frame(
        request,
        "buddypages/embed/calendar.html",
        {
            "calendar": calendar,
            "occurrences": list(zip(found, occurrence_places_left(found), strict=True)),
            "kind_label": dict(ActivityPage.KINDS).get(query.get("kind", ""), ""),
            "audience_label": dict(ActivityPage.AUDIENCES).get(query.get("audience", ""), ""),
        },
        query=query,
    )


# The tip of the week ------------------------------------------------------------------------


def _tip_of_the_week(request):
    """The tip of the week of the municipality whose address the widget is loaded from."""
    site = Site.find_for_request(request)
    return language_tip_of_the_week(
        locale=Locale.get_active(), site_id=site.pk if site is not None else None
    )


@require_GET
def tip_view(request):
    query, dirty = _clean_query(request, {"origin": embedding_origin})
    if dirty:
        return redirect(_address(request.path, query))
    return _frame(
        request,
        "buddypages/embed/tip.html",
        {"tip": _tip_of_the_week(request)},
        query=query,
    )
