"""Public views of the registry: confirming the newsletter from the email link."""

from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from buddypages.registry.services import RegistrationError, newsletter_confirm


@never_cache
@csrf_protect
def newsletter_confirm_view(request, token: str):
    """GET shows a button (mail scanners follow links); POST confirms."""
    context = {"done": False, "error": None}
    if request.method == "POST":
        try:
            newsletter_confirm(token=token)
            context["done"] = True
        except RegistrationError as error:
            context["error"] = error.message
    status = 400 if context["error"] else 200
    return TemplateResponse(
        request, "buddypages/registry/newsletter_confirm.html", context, status=status
    )


def note_acknowledge_view(request, token: str):
    """The volunteer's page to read and acknowledge the current information note."""
    from django.http import Http404

    raise Http404
