"""Reads the newsletter needs of participants and their duos (it reads the registry and the
duos only through these), with their joins done; and the site of a programme key whose
pages are gone."""

from django.db.models import Q

from buddypages.duos.models import Duo
from buddypages.pages.municipality import page_site_id, programme_page_of_key
from buddypages.registry.choices import ENDED_STATUSES, PROGRAMME_ROLES, NewsletterStatus, Status
from buddypages.registry.models import Participant

NEWSLETTER_AUDIENCES = ("duos", "newcomers", "volunteers", "waiting", "subscribers", "everyone")


def newsletter_audience(name: str, *, programme_key=None, site_id=None):
    """Participants in one newsletter audience who may receive mail.

    ``duos``: both members of running duos; ``newcomers`` / ``volunteers``: people of
    that role in the programme now (not ended); ``waiting``: waiting for a match;
    ``subscribers``: confirmed newsletter consent (newsletter-only readers too, the only
    audience besides ``everyone`` they are ever in); ``everyone``: all of these.
    Nobody who unsubscribed, was anonymised or has no address is ever included.
    """
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
    if site_id is not None:
        people = people.filter(site_id=site_id)
    # Newsletter-only readers are never "current": they get it once they confirmed it.
    current = Q(role__in=PROGRAMME_ROLES) & ~Q(status__in=ENDED_STATUSES)
    running = Duo.objects.running()
    in_duo = Q(pk__in=running.values("newcomer")) | Q(pk__in=running.values("volunteer"))
    subscribed = Q(newsletter_status=NewsletterStatus.CONFIRMED)
    conditions = {
        "duos": in_duo,
        "newcomers": current & Q(role="newcomer"),
        "volunteers": current & Q(role="volunteer"),
        "waiting": Q(role__in=PROGRAMME_ROLES, status=Status.WAITING),
        "subscribers": subscribed,
        "everyone": current | subscribed | in_duo,
    }
    return people.filter(conditions[name])


def buddies_of(participant_ids=None) -> dict[int, list[str]]:
    """First names of each participant's buddies in running duos (of everyone when
    ``participant_ids`` is None: one query whatever the audience's size)."""
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


# --- Sites of programmes -------------------------------------------------------------------


def programme_key_site_id(programme_key) -> int | None:
    """The site of one programme key (``pages.municipality.programme_sites``' rule); for a
    key whose pages are gone, the site its people took when they signed up (when they all
    share one)."""
    if not programme_key:
        return None
    page = programme_page_of_key(programme_key)
    if page is not None:
        return page_site_id(page)
    sites = list(
        Participant.objects.filter(programme_key=programme_key)
        .order_by()
        .values_list("site_id", flat=True)
        .distinct()[:2]
    )
    return sites[0] if len(sites) == 1 else None
