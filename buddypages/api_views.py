"""``/api/v2/occurrences/``: activity occurrences in a date range, recurrences expanded."""

from datetime import date, datetime, time, timedelta

from django.http import JsonResponse
from wagtail.models import Locale

from buddypages.calendar.occurrences import TIMEZONE, aware, occurrences_between
from buddypages.calendar.pages import ActivityPage
from buddypages.core.queries import clean_request_query

MAX_DAYS = 366
KNOWN_PARAMETERS = {"start", "end", "locale", "kind", "audience", "format"}


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"message": message}, status=400)


def occurrences_api(request):
    """``?start=2026-12-01&end=2027-01-01&locale=nl[&kind=..][&audience=..]``.

    ``end`` is exclusive; at most a year. Every occurrence gives the activity's
    id (for ``/api/v2/pages/<id>/``), title, start and end in ISO 8601. Errors
    are JSON too, ``{"message": ...}``, like the rest of the API.
    """
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"message": f"method {request.method} not allowed"}, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    clean_request_query(request)
    unknown = sorted(set(request.GET) - KNOWN_PARAMETERS)
    if unknown:
        return _bad(f"unknown parameters: {', '.join(unknown)}")
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        return _bad("start and end must be dates like 2026-12-01")
    if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100):
        return _bad("start and end must be between the years 2000 and 2100")
    if end <= start:
        return _bad("end must be after start")
    if (end - start) > timedelta(days=MAX_DAYS):
        return _bad(f"ask for at most {MAX_DAYS} days at a time")
    activities = ActivityPage.objects.live().public().prefetch_related("occurrence_changes")
    language = request.GET.get("locale")
    if language:
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            return _bad(f"unknown locale {language!r}")
        activities = activities.filter(locale=locale)
    for field in ("kind", "audience"):
        if request.GET.get(field):
            activities = activities.filter(**{field: request.GET[field]})
    found = occurrences_between(
        list(activities),
        after=aware(datetime.combine(start, time())),
        before=aware(datetime.combine(end, time())),
    )
    items = [
        {
            "id": o.activity.pk,
            "title": o.activity.title,
            "locale": language or None,
            "kind": o.activity.kind,
            "audience": o.activity.audience,
            "all_day": o.activity.all_day,
            "start": o.start.astimezone(TIMEZONE).isoformat(),
            "end": o.end.astimezone(TIMEZONE).isoformat(),
            "moved": o.moved,
            "html_url": o.activity.get_full_url(request),
        }
        for o in found
    ]
    return JsonResponse({"meta": {"total_count": len(items)}, "items": items})
