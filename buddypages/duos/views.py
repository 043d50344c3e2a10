"""The private meeting-log page of a duo member (reached through a signed link)."""

from datetime import date

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from buddypages.core.numbers import as_id
from buddypages.duos import closing, plans, referrals, vouchers
from buddypages.duos.models import PROOF_HOURS, Meeting
from buddypages.duos.services import DuoError, duo_from_token, meeting_confirm, meeting_log

DURATIONS = [
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1.5 hours")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
    (360, _("6 hours")),
]


class DatePickerInput(forms.DateInput):
    """The browser's date picker, whose value must be an ISO date (YYYY-MM-DD) or empty.

    Django writes dates in the language's format (04-12-2026 in Dutch), which the picker
    cannot show; and a mistyped date sent back ("yesterday") is left out, as a browser would.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                return value if date.fromisoformat(value).isoformat() == value else None
            except ValueError:
                return None
        return super().format_value(value)


class MeetingForm(forms.Form):
    date = forms.DateField(
        label=_("When did you meet?"), initial=timezone.localdate, widget=DatePickerInput
    )
    minutes = forms.TypedChoiceField(
        label=_("How long?"), choices=DURATIONS, coerce=int, initial=60
    )
    activity = forms.CharField(
        label=_("What did you do? (optional)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. coffee and a walk in the park")}),
    )


@never_cache
@csrf_protect
def duo_log_view(request, token: str):
    try:
        duo, role = duo_from_token(token)
    except DuoError as error:
        return TemplateResponse(
            request, "buddypages/duos/log.html", {"error": error.message}, status=404
        )
    form = MeetingForm()
    message = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                meeting = duo.meetings.filter(pk=as_id(request.POST.get("meeting"))).first()
                if meeting is None:
                    raise DuoError(_("We could not find this meeting."))
                meeting_confirm(meeting=meeting, by=role)
                return redirect(request.path + "?done=confirmed")
            form = MeetingForm(request.POST)
            if form.is_valid():
                meeting_log(
                    duo=duo,
                    by=role,
                    on=form.cleaned_data["date"],
                    minutes=form.cleaned_data["minutes"],
                    activity=form.cleaned_data["activity"],
                )
                return redirect(request.path + "?done=logged")
            status = 400
        except DuoError as error:
            message = error.message
            status = 400
    meetings = list(duo.meetings.all())
    context = {
        "duo": duo,
        "role": role,
        "me": duo.member(role),
        "buddy": duo.member(duo.other_role(role)),
        "meetings": meetings,
        "to_confirm": [m for m in meetings if not m.is_confirmed and m.logged_by not in (role,)],
        "form": form,
        "message": message,
        "done": request.GET.get("done"),
        "hours": duo.confirmed_hours(),
        "goal": PROOF_HOURS,
        "percent": duo.progress_percent(),
        "today": date.today(),
        "Meeting": Meeting,
    }
    # Each section of the page fills its own part of the context.
    for section in (plans, referrals, vouchers, closing):
        context.update(section.duo_page_context(request, duo, role))
    return TemplateResponse(request, "buddypages/duos/log.html", context, status=status)
