"""Every model of the app, for Django: each bounded context keeps its own models (and page
types) in its own subpackage; importing them here registers them with the ``buddypages``
app (one app label, the same tables and migrations as before they moved)."""

from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.pages import ActivityCalendarPage, ActivityOccurrenceChange, ActivityPage
from buddypages.core.generation import ContentGeneration
from buddypages.duos.models import (
    Duo,
    MatchExclusion,
    MatchProposal,
    MatchWeights,
    Meeting,
    SpeedDatePick,
)
from buddypages.pages.mixins import LanguageConsistentPageMixin
from buddypages.pages.models import HomePage, LanguageTipIndexPage, LanguageTipPage, ProgrammePage
from buddypages.pages.snippets import Interest, LanguageTipTheme, Partner
from buddypages.registry.models import (
    Consent,
    Intake,
    Participant,
    ParticipantLanguage,
    RegistryAuditEvent,
    SignupAttempt,
    StatusChange,
)
from buddypages.registry.pages import RegistrationPage

__all__ = [
    "ActivityCalendarPage",
    "ActivityOccurrenceChange",
    "ActivityPage",
    "ActivitySignup",
    "Consent",
    "ContentGeneration",
    "Duo",
    "HomePage",
    "Intake",
    "Interest",
    "LanguageConsistentPageMixin",  # the migrations name it here
    "LanguageTipIndexPage",
    "LanguageTipPage",
    "LanguageTipTheme",
    "MatchExclusion",
    "MatchProposal",
    "MatchWeights",
    "Meeting",
    "Participant",
    "ParticipantLanguage",
    "Partner",
    "ProgrammePage",
    "RegistrationPage",
    "RegistryAuditEvent",
    "SignupAttempt",
    "SpeedDatePick",
    "StatusChange",
    "WebhookDelivery",
    "WebhookEndpoint",
]
