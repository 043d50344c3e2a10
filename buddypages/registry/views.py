"""Public views of the registry: confirming the newsletter from the email link, and a
volunteer reading and acknowledging the information note."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from buddypages.registry import volunteer_services
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


@never_cache
@csrf_protect
def note_acknowledge_view(request, token: str):
    """The volunteer's page to read and acknowledge the current information note.

    GET shows the note (mail scanners follow links); POST with the box ticked records
    the acknowledgement. An older link shows the version in force today."""
    participant = volunteer_services.note_token_participant(token)
    if participant is None:
        return TemplateResponse(
            request, "buddypages/registry/volunteer_note.html", {"invalid": True}, status=404
        )
    language = get_language()
    current = volunteer_services.note_current(
        programme_key=participant.programme_key, language=language
    )
    context = {"current": current, "error": None, "status": 200}
    if current is not None:
        acknowledged = volunteer_services.acknowledged_current(participant, current.note)
        if request.method == "POST" and not acknowledged:
            if request.POST.get("read") == "yes":
                volunteer_services.note_acknowledge(
                    participant=participant, note=current.note, language=language
                )
                return redirect(request.path + "?done=1")
            context["error"] = _("Tick the box to say you read the note.")
            context["status"] = 400
        context.update(
            acknowledged=acknowledged
            or volunteer_services.acknowledged_current(participant, current.note),
            just_done=request.GET.get("done") == "1",
            policy=volunteer_services.policy_in_force(participant.programme_key),
            first_name=participant.first_name,
        )
    return TemplateResponse(
        request,
        "buddypages/registry/volunteer_note.html",
        context,
        status=context.pop("status"),
    )
