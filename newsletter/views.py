"""One-click unsubscribe (RFC 8058): GET shows a button, POST acts, no cookie or CSRF token."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from newsletter import services


@never_cache
@csrf_exempt  # mail providers POST here with no cookies; the signed token is the proof
def unsubscribe_view(request, token: str):
    try:
        participant = services.participant_for_token(token)
    except services.UnsubscribeError as error:
        return TemplateResponse(
            request, "newsletter/unsubscribe.html", {"error": error.message}, status=400
        )
    if participant is None:
        return TemplateResponse(request, "newsletter/unsubscribe.html", {"test": True})
    if request.method == "POST":
        # A one-click POST from a mail program carries "List-Unsubscribe=One-Click".
        if request.POST.get("action") == "resubscribe":
            services.newsletter_resubscribe(participant=participant)
            done = "resubscribed"
        else:
            services.newsletter_unsubscribe(participant=participant)
            done = "unsubscribed"
        return redirect(f"{request.path}?done={done}")
    return TemplateResponse(
        request,
        "newsletter/unsubscribe.html",
        {"subscribed": services.is_subscribed(participant), "done": request.GET.get("done")},
    )
