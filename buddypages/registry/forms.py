"""The registration form: a fixed Django form (not Wagtail's form builder) whose
answers become typed registry records."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from buddypages.registry.choices import (
    AVAILABILITY_SLOTS,
    DAY_PARTS,
    DAYS,
    SPOKEN_LANGUAGES,
    AgeBand,
    BuddyGender,
    DutchLevel,
    Gender,
    Household,
    Role,
)
from buddypages.registry.conf import registry_setting

STARTED_SALT = "buddypages.registration.started"
# Bidirectional embeddings, overrides and isolates: they can make a name look
# different from what it is (an "RTL override" attack). Plain right-to-left
# text needs none of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?\w+;")


def _clean_text(value: str, *, multiline: bool) -> str:
    """NFC-normalised text without control characters, bidi overrides or markup;
    single-line fields also get their inner spaces collapsed."""
    value = unicodedata.normalize("NFC", value)
    allowed = {"\n", "\r", "\t"} if multiline else {"\t"}
    if any(
        (unicodedata.category(char) == "Cc" and char not in allowed) or char in BIDI_CONTROLS
        for char in value
    ):
        raise forms.ValidationError(
            _("This contains invisible control characters. Type the text again, please."),
            code="control_characters",
        )
    if MARKUP.search(value):
        raise forms.ValidationError(_("Please write plain text, without HTML code."), code="markup")
    if multiline:
        return value.replace("\r\n", "\n").strip()
    return " ".join(value.split())


class PlainTextField(forms.CharField):
    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return _clean_text(value, multiline=self.multiline) if value else value


class AvailabilityWidget(forms.CheckboxSelectMultiple):
    """A week as a table: a row per day, a column per part of the day."""

    template_name = "buddypages/registry/availability_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(value or [])
        base_id = (attrs or {}).get("id", f"id_{name}")
        context["rows"] = [
            {
                "label": day_label,
                "cells": [
                    {
                        "value": f"{day}_{part}",
                        "id": f"{base_id}_{day}_{part}",
                        "checked": f"{day}_{part}" in chosen,
                        "label": f"{day_label} {str(part_label).lower()}",
                    }
                    for part, part_label in DAY_PARTS
                ],
            }
            for day, day_label in DAYS
        ]
        context["parts"] = [label for _value, label in DAY_PARTS]
        return context


def started_token() -> str:
    return signing.TimestampSigner(salt=STARTED_SALT).sign("form")


def started_check(value: str) -> str:
    """``value`` if it is a form timer (:func:`started_token`) signed less than a day and more
    than ``MIN_FILL_SECONDS`` ago; else a ValidationError that says what to do. Every public
    form checks its timer here (the API's forms too, with the token of ``/forms/token/``)."""
    signer = signing.TimestampSigner(salt=STARTED_SALT)
    try:
        signer.unsign(value, max_age=24 * 3600)
    except signing.SignatureExpired:
        raise forms.ValidationError(
            _("This form was open for more than a day. Check your answers and send it again."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise forms.ValidationError(
            _("We could not check this form. Check your answers and send it again."),
            code="invalid",
        ) from None
    minimum = registry_setting("MIN_FILL_SECONDS")
    if minimum:
        try:
            signer.unsign(value, max_age=minimum)
        except signing.SignatureExpired:
            return value
        raise forms.ValidationError(
            _("You sent the form very quickly. Check your answers and send it again."),
            code="too_fast",
        )
    return value


class StartedFormMixin(forms.Form):
    """The honeypot and the timer every public form carries."""

    # Robots fill in every field; people never see this one.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def fresh_started(self) -> str:
        """The timer for the next send: the template always renders a new one."""
        return started_token()

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def clean_started(self):
        return started_check(self.cleaned_data["started"])


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each in its own name."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class RegistrationForm(StartedFormMixin, forms.Form):
    """Sign up as a newcomer or a volunteer. Works without JavaScript."""

    first_name = PlainTextField(
        label=_("First name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = PlainTextField(
        label=_("Last name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a confirmation here, and the coordinator writes to you here."),
    )
    phone = PlainTextField(
        label=_("Phone number (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ./()-]{5,30}$",
                _("Write a phone number with digits, e.g. 0470 12 34 56."),
            )
        ],
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages do you speak?"),
        help_text=_("Choose one or more."),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_language = forms.ChoiceField(
        label=_("In which language do we write to you?"),
    )
    dutch_level = forms.ChoiceField(
        label=_("How well do you speak Dutch?"),
        choices=DutchLevel.choices,
        widget=forms.RadioSelect,
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        validators=[RegexValidator(r"^[1-9][0-9]{3}$", _("A Belgian postcode has 4 digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    neighbourhood = PlainTextField(
        label=_("Neighbourhood (optional)"),
        max_length=80,
        required=False,
        help_text=_("For example the part of town where you live."),
    )
    age_band = forms.ChoiceField(label=_("How old are you?"), choices=AgeBand.choices)
    household = forms.ChoiceField(
        label=_("Who do you live with?"), choices=Household.choices, widget=forms.RadioSelect
    )
    gender = forms.ChoiceField(
        label=_("You are (optional)"),
        choices=[("", _("I prefer not to say")), *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    buddy_gender = forms.ChoiceField(
        label=_("Do you prefer a buddy who is a woman or a man?"),
        help_text=_("We always respect this when we look for a buddy."),
        choices=BuddyGender.choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    interests = forms.MultipleChoiceField(
        label=_("What do you like to do?"),
        help_text=_("Choose as many as you like. We look for a buddy with the same interests."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you free?"),
        help_text=_("Tick every moment of the week that suits you."),
        choices=[(slot, slot) for slot in AVAILABILITY_SLOTS],
        widget=AvailabilityWidget,
    )
    hopes = PlainTextField(
        label=_("What do you hope to get from the programme? (optional)"),
        max_length=1000,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    experience = PlainTextField(
        label=_("Do you have experience with newcomers or with teaching? (optional)"),
        max_length=1000,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_duos = forms.TypedChoiceField(
        label=_("How many buddies can you take on?"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    consent_programme = forms.BooleanField(
        label=_(
            "I agree that the buddy programme keeps these answers to find me a buddy and "
            "to follow up on our duo."
        ),
        error_messages={"required": _("We can only find you a buddy if you agree.")},
    )
    consent_newsletter = forms.BooleanField(
        label=_("Send me the newsletter (optional). You will get an email to confirm."),
        required=False,
    )
    NEWCOMER_ONLY = ("dutch_level",)
    VOLUNTEER_ONLY = ("experience", "max_duos")

    def __init__(self, *args, role: str, interests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        drop = self.VOLUNTEER_ONLY if role == Role.NEWCOMER else self.NEWCOMER_ONLY
        for name in drop:
            del self.fields[name]
        self.fields["interests"].choices = [(interest.key, interest.name) for interest in interests]
        self.fields["preferred_language"].choices = language_choices()
        self.fields["preferred_language"].initial = translation.get_language()
        # The honeypot and the timer come last, as they always did.
        self.fields["website"] = self.fields.pop("website")
        self.fields["started"] = self.fields.pop("started")


class NewsletterSubscribeForm(StartedFormMixin, forms.Form):
    """Ask for the newsletter with an address already in the registry (double opt-in: the
    newsletter starts only after the link in the email is followed)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address. The newsletter starts once you click it."),
    )
    preferred_language = forms.ChoiceField(label=_("In which language do we write to you?"))
    consent_newsletter = forms.BooleanField(
        label=_("Send me the newsletter. I can stop it at any time with the link in every issue."),
        error_messages={"required": _("Tick this box to get the newsletter.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = language_choices()
        self.fields["preferred_language"].initial = translation.get_language()
        self.fields["website"] = self.fields.pop("website")
        self.fields["started"] = self.fields.pop("started")
