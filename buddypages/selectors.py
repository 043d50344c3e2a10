"""Reads other apps (the newsletter, the API) need, with their joins done."""

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale

from buddypages.models import ActivityPage, LanguageTipIndexPage, LanguageTipPage
from buddypages.snippets import LanguageTipTheme

# Pages published through revisions have first_published_at; put any without last.
NEWEST_FIRST = F("first_published_at").desc(nulls_last=True)


def language_tips_for_index(
    *, index: LanguageTipIndexPage, level: str = "", theme_key: str = ""
) -> QuerySet[LanguageTipPage]:
    """Live tips under ``index``, newest first, optionally by level and theme key."""
    tips = (
        LanguageTipPage.objects.live()
        .child_of(index)
        .select_related("theme")
        .order_by(NEWEST_FIRST, "-pk")
    )
    if level in {code for code, _label in LanguageTipPage.LEVELS}:
        tips = tips.filter(level=level)
    if theme_key:
        tips = tips.filter(theme__key=theme_key)
    return tips


def language_tip_of_the_week(
    *, locale: Locale | None = None, index: LanguageTipIndexPage | None = None
) -> LanguageTipPage | None:
    """The tip of the week in ``locale`` (default: the active one).

    The tip an editor picked on the tips overview, if it is live; else the
    newest live tip. None when the locale has no live tips. Pass ``index``
    when you have the overview page already (one query fewer).
    """
    if index is not None:
        locale_id = index.locale_id
    else:
        locale_id = (locale or Locale.get_active()).pk
        index = (
            LanguageTipIndexPage.objects.live()
            .filter(locale_id=locale_id)
            .select_related("featured_tip", "featured_tip__theme")
            .first()
        )
    featured = index.featured_tip if index is not None else None
    if featured is not None and featured.live and featured.locale_id == locale_id:
        return featured
    return (
        LanguageTipPage.objects.live()
        .filter(locale_id=locale_id)
        .select_related("theme")
        .order_by(NEWEST_FIRST, "-pk")
        .first()
    )


THEMES_CACHE_KEY = "buddypages:tip-themes:{locale_id}"


def language_tip_themes(*, locale_id: int) -> list[LanguageTipTheme]:
    """The tip themes of a locale, in order; cached until a theme changes."""
    key = THEMES_CACHE_KEY.format(locale_id=locale_id)
    themes = cache.get(key)
    if themes is None:
        themes = list(LanguageTipTheme.objects.filter(locale_id=locale_id))
        cache.set(key, themes, 3600)
    return themes


def _forget_themes(sender, instance, **kwargs) -> None:
    cache.delete(THEMES_CACHE_KEY.format(locale_id=instance.locale_id))


post_save.connect(_forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-save")
post_delete.connect(
    _forget_themes, sender=LanguageTipTheme, dispatch_uid="buddypages-themes-delete"
)


# --- Reads the newsletter needs (it reads the registry and pages only through these) ----

NEWSLETTER_AUDIENCES = ("duos", "newcomers", "volunteers", "waiting", "subscribers", "everyone")


def newsletter_audience(name: str, *, programme_key=None):
    """Participants in one newsletter audience who may receive mail.

    ``duos``: both members of running duos; ``newcomers`` / ``volunteers``: people of
    that role in the programme now (not ended); ``waiting``: waiting for a match;
    ``subscribers``: confirmed newsletter consent; ``everyone``: all of these.
    Nobody who unsubscribed, was anonymised or has no address is ever included.
    """
    from buddypages.duos.models import Duo
    from buddypages.registry.choices import ENDED_STATUSES, NewsletterStatus, Status
    from buddypages.registry.models import Participant

    if name not in NEWSLETTER_AUDIENCES:
        raise ValueError(
            f"Unknown audience {name!r}; choose from {', '.join(NEWSLETTER_AUDIENCES)}"
        )
    people = (
        Participant.objects.not_anonymised()
        .exclude(email="")
        .exclude(newsletter_status=NewsletterStatus.WITHDRAWN)
    )
    if programme_key is not None:
        people = people.filter(programme_key=programme_key)
    current = ~Q(status__in=ENDED_STATUSES)
    running = Duo.objects.running()
    in_duo = Q(pk__in=running.values("newcomer")) | Q(pk__in=running.values("volunteer"))
    subscribed = Q(newsletter_status=NewsletterStatus.CONFIRMED)
    conditions = {
        "duos": in_duo,
        "newcomers": current & Q(role="newcomer"),
        "volunteers": current & Q(role="volunteer"),
        "waiting": Q(status=Status.WAITING),
        "subscribers": subscribed,
        "everyone": current | subscribed | in_duo,
    }
    return people.filter(conditions[name])


def buddies_of(participant_ids=None) -> dict[int, list[str]]:
    """First names of each participant's buddies in running duos (of everyone when
    ``participant_ids`` is None: one query whatever the audience's size)."""
    from buddypages.duos.models import Duo

    buddies: dict[int, list[str]] = {}
    duos = Duo.objects.running()
    if participant_ids is not None:
        ids = list(participant_ids)
        duos = duos.filter(Q(newcomer_id__in=ids) | Q(volunteer_id__in=ids))
    duos = duos.values_list(
        "newcomer_id", "newcomer__first_name", "volunteer_id", "volunteer__first_name"
    )
    for newcomer_id, newcomer_name, volunteer_id, volunteer_name in duos:
        buddies.setdefault(newcomer_id, []).append(volunteer_name)
        buddies.setdefault(volunteer_id, []).append(newcomer_name)
    return buddies


def upcoming_activity_occurrences(*, locale, after, before, audiences, limit: int):
    """Dates of live activities in ``locale`` between ``after`` and ``before`` for one of
    ``audiences`` (e.g. ("everyone", "newcomers")), soonest first."""
    from buddypages.activities import occurrences_between

    activities = ActivityPage.objects.live().filter(locale=locale, audience__in=audiences)
    return occurrences_between(activities, after=after, before=before)[:limit]


def language_tip_for_newsletter(tip, *, locale) -> LanguageTipPage | None:
    """``tip`` in ``locale`` if it is translated and live there, else the tip of the week."""
    if tip is not None:
        translated = tip.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return language_tip_of_the_week(locale=locale)
