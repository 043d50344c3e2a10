"""Errors: the answers visitors and API clients get, and reports without personal data.

Django's error emails (and any handler built on its exception reporter) show
the POST data and every local variable of the traceback. Ours hold names,
addresses and intake notes, so outside DEBUG both are replaced wholesale.

The error views (``handler400`` and the others in ``buddysite.urls``) answer
under ``/api/`` with JSON like the API's own errors, ``{"message": "..."}``, and
with Django's pages in the visitor's language everywhere else.
"""

from django.http import JsonResponse
from django.views import defaults
from django.views.debug import SafeExceptionReporterFilter

from buddysite.addresses import API_PREFIX


def _api_error(request, status: int, message: str):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"message": message}, status=status)
    return None


def bad_request(request, exception):
    return _api_error(request, 400, "bad request") or defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _api_error(request, 403, "permission denied") or defaults.permission_denied(
        request, exception
    )


def page_not_found(request, exception):
    return _api_error(request, 404, "not found") or defaults.page_not_found(request, exception)


def server_error(request):
    return _api_error(request, 500, "server error") or defaults.server_error(request)


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
