"""Printable posters (A4) and flyers (A5) of a programme, as PDF. Being built (issue 16)."""

from django.http import Http404

POSTER = "poster"
FLYER = "flyer"


def sheet_response(page, request, *, sheet: str):
    raise Http404
