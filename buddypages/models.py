"""Every model of the app, for Django: each bounded context keeps its own models (and page
types) in its own subpackage; importing them here registers them with the ``buddypages``
app (one app label, the same tables and migrations as before they moved)."""

from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint
from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.pages import ActivityCalendarPage, ActivityOccurrenceChange, ActivityPage
from buddypages.core.generation import ContentGeneration
from buddypages.duos.models import (
    Duo,
    DuoFeedback,
    DuoGoal,
    DuoQuestion,
    GoalRating,
    MatchExclusion,
    MatchProposal,
    MatchWeights,
    Meeting,
    SpeedDatePick,
    Voucher,
    VoucherOffer,
)
from buddypages.pages.access import SiteGrant
from buddypages.pages.history import SiteLogEntry
from buddypages.pages.mixins import LanguageConsistentPageMixin
from buddypages.pages.models import HomePage, LanguageTipIndexPage, LanguageTipPage, ProgrammePage
from buddypages.pages.municipality import MunicipalitySettings
from buddypages.pages.referrals import ReferralService
from buddypages.pages.snippets import GoalOption, Interest, LanguageTipTheme, Partner
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
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    InsurancePolicy,
    NoteAcknowledgement,
    TrainingAttendance,
)

__all__ = [
    "ActivityCalendarPage",
    "ActivityOccurrenceChange",
    "ActivityPage",
    "ActivitySignup",
    "Consent",
    "ContentGeneration",
    "Duo",
    "DuoFeedback",
    "DuoGoal",
    "DuoQuestion",
    "GoalOption",
    "GoalRating",
    "HomePage",
    "InformationNote",
    "InsuranceCover",
    "InsurancePolicy",
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
    "MunicipalitySettings",
    "NoteAcknowledgement",
    "Participant",
    "SiteGrant",
    "SiteLogEntry",
    "ParticipantLanguage",
    "Partner",
    "ProgrammePage",
    "ReferralService",
    "RegistrationPage",
    "RegistryAuditEvent",
    "SignupAttempt",
    "SpeedDatePick",
    "StatusChange",
    "TrainingAttendance",
    "Voucher",
    "VoucherOffer",
    "WebhookDelivery",
    "WebhookEndpoint",
]
