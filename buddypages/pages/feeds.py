"""Atom feeds of language tips. Being built (issue 16)."""

from django.http import Http404


def tips_feed_response(index, request):
    raise Http404
