"""The next basic training, suggested in the newsletter to volunteers who still miss it.

Only a volunteer of a programme that requires the basic training before a first duo
(``MatchWeights.requires_basic_training``) and who has not attended one sees the block, in
the language of their copy of the issue; nobody else does. The renderer asks once per
recipient (:meth:`IssueRenderer.personal_note`); the set of volunteers and the block per
language are worked out once per send.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from buddypages.calendar.occurrences import Occurrence, occurrences_between
from buddypages.calendar.pages import ActivityPage
from buddypages.core.mail import absolute_url
from buddypages.duos.models import MatchWeights
from buddypages.pages.municipality import page_site_id
from buddypages.registry.choices import ENDED_STATUSES, Role
from buddypages.registry.models import Participant
from buddypages.registry.training import BASIC, TRAINING_KIND, volunteers_without_basic_training

LOOK_AHEAD = timedelta(days=120)


def volunteers_missing_basic_training() -> set[int]:
    """Volunteers (not ended, not anonymised) of the programmes that require the basic
    training, who have not attended one."""
    keys = MatchWeights.objects.filter(requires_basic_training=True).values("programme_key")
    volunteers = (
        Participant.objects.not_anonymised()
        .filter(role=Role.VOLUNTEER, programme_key__in=keys)
        .exclude(status__in=ENDED_STATUSES)
        .values_list("pk", flat=True)
    )
    return volunteers_without_basic_training(volunteers)


def next_basic_training(*, after: datetime, site_id: int | None = None) -> Occurrence | None:
    """The soonest date of a published basic training (in the site's language), or None;
    with ``site_id``, of that municipality only."""
    activities = (
        ActivityPage.objects.live()
        .public()
        .filter(
            kind=TRAINING_KIND,
            training_topic=BASIC,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .prefetch_related("occurrence_changes")
    )
    found = occurrences_between(activities, after=after, before=after + LOOK_AHEAD)
    return next(
        (
            o
            for o in found
            if o.start >= after and (site_id is None or page_site_id(o.activity) == site_id)
        ),
        None,
    )


class TrainingSuggestions:
    """Per send: who gets the suggestion, and its text and HTML in each language."""

    def __init__(self, *, send_time: datetime, site_id: int | None = None):
        self.send_time = send_time
        self.site_id = site_id  # the site: its trainings, links on its host
        self._missing: set[int] | None = None
        self._occurrence: Occurrence | None = None
        self._looked = False
        self._blocks: dict[str, tuple[str, str]] = {}

    def block(self, *, participant_id: int | None, kind: str, language: str) -> tuple[str, str]:
        """(html, text) for this recipient: empty for everyone but those who need it."""
        if kind != Role.VOLUNTEER or not participant_id:
            return "", ""
        if self._missing is None:
            self._missing = volunteers_missing_basic_training()
        if participant_id not in self._missing:
            return "", ""
        if not self._looked:
            self._occurrence = next_basic_training(after=self.send_time, site_id=self.site_id)
            self._looked = True
        if self._occurrence is None:
            return "", ""
        if language not in self._blocks:
            self._blocks[language] = self._render(language)
        return self._blocks[language]

    def _render(self, language: str) -> tuple[str, str]:
        occurrence = self._occurrence
        activity = occurrence.activity
        translated = (
            activity.get_translations(inclusive=True)
            .live()
            .filter(locale__language_code=language)
            .first()
            or activity
        )
        with translation.override(language):
            context = {
                "activity": translated,
                "when": occurrence.when,
                "url": absolute_url(translated.url or "", site=self.site_id),
            }
            html = render_to_string("newsletter/email/training_suggestion.html", context)
            text = render_to_string("newsletter/email/training_suggestion.txt", context)
        return html.strip(), text.strip()
