"""Atom feeds of upcoming activities. Being built (issue 16)."""

from django.http import Http404


def activities_feed_response(calendar, request):
    raise Http404
