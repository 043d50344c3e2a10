from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

PLACES = [(1, _("Only me")), (2, _("Me and my buddy (two places)"))]


class ActivitySignupForm(forms.Form):
    """Sign up for one date of an activity. Works without JavaScript."""

    occurrence = forms.ChoiceField(label=_("Date"))
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the confirmation and a link to cancel here."),
    )
    places = forms.TypedChoiceField(
        label=_("How many places?"),
        choices=PLACES,
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    # A field people never see; robots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurrence"].choices = [(o.start.isoformat(), o.start) for o in occurrences]

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."))
        return ""

    def clean_occurrence(self):
        try:
            return datetime.fromisoformat(self.cleaned_data["occurrence"])
        except ValueError:
            raise forms.ValidationError(_("Choose one of the dates.")) from None
