"""The fixed answers of the registration form. Stored values never change;
labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    VOLUNTEER = "volunteer", _("Volunteer")
    # Someone who only asked for the newsletter: never in the intake, matching or figures.
    READER = "reader", _("Newsletter only")


# The roles that take part in the programme (everyone but newsletter-only readers), and
# the choices of a registration page (nobody signs up to be a reader).
PROGRAMME_ROLES = (Role.NEWCOMER, Role.VOLUNTEER)
SIGNUP_ROLE_CHOICES = [(role.value, role.label) for role in PROGRAMME_ROLES]


class Status(models.TextChoices):
    """The pipeline a participant goes through, in order."""

    SIGNED_UP = "signed_up", _("Signed up")
    INTAKE_PLANNED = "intake_planned", _("Intake planned")
    INTAKE_DONE = "intake_done", _("Intake done")
    WAITING = "waiting", _("Waiting for a match")
    MATCHED = "matched", _("Matched")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


ENDED_STATUSES = frozenset({Status.COMPLETED, Status.STOPPED})


class DutchLevel(models.TextChoices):
    """Self-assessed, in plain words (roughly CEFR none, A1, A2, B1, B2 and up)."""

    NONE = "none", _("I do not speak Dutch yet.")
    A1 = "a1", _("I know some words and short sentences.")
    A2 = "a2", _("I can talk about daily things in simple sentences.")
    B1 = "b1", _("I can talk about most things, with some mistakes.")
    B2 = "b2", _("I speak Dutch well. I want more practice.")


class AgeBand(models.TextChoices):
    AGE_18_25 = "18-25", _("18 to 25")
    AGE_26_35 = "26-35", _("26 to 35")
    AGE_36_50 = "36-50", _("36 to 50")
    AGE_51_65 = "51-65", _("51 to 65")
    AGE_66 = "66+", _("66 or older")


class Household(models.TextChoices):
    ALONE = "alone", _("I live alone")
    PARTNER = "partner", _("With my partner")
    CHILDREN = "children", _("With my children")
    PARTNER_CHILDREN = "partner_children", _("With my partner and children")
    OTHER = "other", _("Another situation")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("In another way")


class BuddyGender(models.TextChoices):
    """A stated preference about the buddy's gender: matching never breaks it."""

    ANY = "", _("No preference")
    WOMAN = "woman", _("A woman")
    MAN = "man", _("A man")


class NewsletterStatus(models.TextChoices):
    NONE = "none", _("No newsletter")
    PENDING = "pending", _("Asked, not confirmed yet")
    CONFIRMED = "confirmed", _("Receives the newsletter")
    WITHDRAWN = "withdrawn", _("Unsubscribed")


DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
DAY_PARTS = [
    ("morning", pgettext_lazy("part of the day", "Morning")),
    ("afternoon", pgettext_lazy("part of the day", "Afternoon")),
    ("evening", pgettext_lazy("part of the day", "Evening")),
]
# Availability is stored as a bit mask: bit (day * 3 + part). Matching
# compares two people's free moments with one AND.
AVAILABILITY_SLOTS = [
    f"{day}_{part}" for day, _day_label in DAYS for part, _part_label in DAY_PARTS
]
AVAILABILITY_BIT = {slot: 1 << index for index, slot in enumerate(AVAILABILITY_SLOTS)}


def availability_mask(slots) -> int:
    mask = 0
    for slot in slots:
        mask |= AVAILABILITY_BIT[slot]
    return mask


def availability_slots(mask: int) -> list[str]:
    return [slot for slot, bit in AVAILABILITY_BIT.items() if mask & bit]


def availability_labels(mask: int) -> list[str]:
    """``["Monday morning", ...]`` in the active language."""
    days, parts = dict(DAYS), dict(DAY_PARTS)
    labels = []
    for slot in availability_slots(mask):
        day, part = slot.split("_")
        labels.append(f"{days[day]} {str(parts[part]).lower()}")
    return labels


# Languages people speak, by ISO 639 code; the form lists them in this order.
SPOKEN_LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("fa", _("Persian (Farsi)")),
    ("prs", _("Dari")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("am", _("Amharic")),
    ("so", _("Somali")),
    ("ku", _("Kurdish")),
    ("ber", _("Berber (Tamazight)")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("sq", _("Albanian")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("zh", _("Chinese")),
    ("other", _("Another language")),
]
SPOKEN_LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
