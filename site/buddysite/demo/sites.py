"""Demo municipalities beyond the first: Bosdonk (a whole small town) and, on request, a
region of light sites, each a Wagtail Site at ``<slug>.localhost`` on the demo's port.

Wagtail finds a site by host name first: a name only one site has answers whatever the port,
so ``http://bosdonk.localhost:<PORT>/`` reaches Bosdonk on any port ``make run`` or a test
server listens on. Every other host name (``127.0.0.1``, ``heidestad.localhost``) falls to the
default site, Heidestad.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Site

from buddypages.duos.models import Duo, Meeting
from buddypages.models import (
    ActivityCalendarPage,
    HomePage,
    LanguageTipIndexPage,
    ProgrammePage,
    RegistrationPage,
)
from buddypages.pages.municipality import MunicipalitySettings
from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Participant, ParticipantLanguage
from buddysite.demo import bosdonk, municipality, pages
from buddysite.demo import duos as duos_demo
from buddysite.demo import registry as registry_demo
from buddysite.demo import tips as tips_data
from buddysite.demo.translate import translate_instance

HOST_SUFFIX = ".localhost"


@dataclass
class Town:
    """One demo municipality's site and main pages."""

    site: Site
    home_pages: dict[str, HomePage] = field(default_factory=dict)
    programme: ProgrammePage | None = None
    tip_index: LanguageTipIndexPage | None = None
    calendar: ActivityCalendarPage | None = None
    registration_pages: dict[str, RegistrationPage] = field(default_factory=dict)
    participants: int = 0
    duos: int = 0


def demo_port() -> int:
    """The port ``make run`` serves on (from the admin's base URL), for the sites' links."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return base.port or (443 if base.scheme == "https" else 80)


def ensure_site(*, slug: str, root: Page, name: str) -> Site:
    """The site at ``<slug>.localhost`` with ``root`` as its home, made or set right."""
    hostname = f"{slug}{HOST_SUFFIX}"
    site = Site.objects.filter(hostname=hostname).first()
    wanted = {"port": demo_port(), "root_page_id": root.pk, "site_name": name}
    if site is None:
        return Site.objects.create(hostname=hostname, is_default_site=False, **wanted)
    if any(getattr(site, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(site, key, value)
        site.save()
    return site


def _home_strings(lang: str) -> dict[str, str]:
    return {texts["nl"]: texts[lang] for texts in bosdonk.HOME.values()}


def ensure_bosdonk_home(locales) -> dict[str, HomePage]:
    nl = locales["nl"]
    home = HomePage.objects.filter(locale=nl, depth=2, slug=bosdonk.SLUG).first()
    if home is None:
        data = bosdonk.HOME
        home = HomePage(
            title=data["title"]["nl"],
            slug=bosdonk.SLUG,
            intro=data["intro"]["nl"],
            body=[
                ("heading", data["heading"]["nl"]),
                ("paragraph", f"<p>{data['text']['nl']}</p>"),
            ],
            locale=nl,
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    homes = {"nl": home}
    for lang in pages.LANGS:
        existing = home.get_translation_or_none(locales[lang])
        homes[lang] = existing or translate_instance(home, locales[lang], _home_strings(lang))
    return homes


def ensure_bosdonk(locales, themes, interests, *, participants: int) -> Town:
    """The second municipality: its own home, look, programme, forms, calendar, tips,
    people and duos (fewer than Heidestad's)."""
    homes = ensure_bosdonk_home(locales)
    home = homes["nl"]
    site = ensure_site(slug=bosdonk.SLUG, root=home, name=bosdonk.NAME)
    municipality.ensure_settings(
        site,
        name=bosdonk.NAME,
        colour=bosdonk.COLOUR,
        focus_colour=bosdonk.FOCUS_COLOUR,
        languages=bosdonk.LANGUAGES,
        reply_to=bosdonk.REPLY_TO,
    )
    town = Town(site=site, home_pages=homes)
    town.programme = pages.ensure_programme(home, locales, [], data=bosdonk.PROGRAMME)
    town.tip_index = pages.ensure_tips(
        home,
        locales,
        themes,
        index_data=bosdonk.TIP_INDEX,
        tips=tips_data.TIPS[: bosdonk.TIP_COUNT],
    )
    town.calendar = pages.ensure_activities(
        home, locales, calendar_data=bosdonk.CALENDAR, activities=bosdonk.ACTIVITIES
    )
    town.registration_pages = registry_demo.ensure_registration_pages(
        town.programme,
        locales,
        {lang: pages.programme_strings(lang, bosdonk.PROGRAMME) for lang in pages.LANGS},
        forms=bosdonk.FORMS,
    )
    town.participants = registry_demo.ensure_participants(
        town.programme,
        town.registration_pages,
        interests,
        round(participants * bosdonk.PARTICIPANT_SHARE),
        neighbourhoods=bosdonk.NEIGHBOURHOODS,
        seed=bosdonk.SEED,
        tag=bosdonk.EMAIL_TAG,
    )
    town.duos = duos_demo.ensure_duos(town.programme)
    duos_demo.ensure_proposals(town.programme)
    return town


# The region: light municipalities with invented names, enough for 64 sites and more.
_FIRST = ["Beek", "Berg", "Eike", "Hage", "Hoog", "Kape", "Laar", "Linde", "Meer", "Mol"]
_FIRST += ["Oost", "Rode", "Veld", "Wille", "Zand", "Ven"]
_LAST = ["dorp", "hoven", "kerke", "gem", "hout", "zele", "lo", "broek", "rode", "dijk"]
_COLOURS = ["#1d4f91", "#8a1c3c", "#2b4c7e", "#5b3a8c", "#225e5a", "#6b4200", "#004f7c"]
_COLOURS += ["#7b2d26", "#3d5a1f", "#4a4a8a"]  # all 7.4:1 or more under white text
_SPOKEN = ["ar", "uk", "fa", "ps", "ti", "so", "ru", "tr", "fr", "en"]
_PLACES = ["Centrum", "Noord", "Zuid", "Kerkwijk", "Heide", ""]
_STATUSES = [Status.SIGNED_UP, Status.INTAKE_DONE, Status.WAITING, Status.WAITING, Status.ACTIVE]
_REGION_SEED = 64


def region_names(count: int) -> list[tuple[str, str]]:
    """``count`` (slug, town name) pairs, the same on every run, none of them the two
    demo towns'."""
    names = []
    for first in _FIRST:
        for last in _LAST:
            town = first + last
            if town.lower() in {"heidestad", bosdonk.SLUG}:
                continue
            names.append((town.lower(), town))
    if count > len(names):
        names += [(f"gemeente-{n}", f"Gemeente {n}") for n in range(len(names), count)]
    return names[:count]


def ensure_region(locales, *, sites: int, participants: int) -> list[Site]:
    """``sites`` light municipalities, in Dutch only: a home page, a programme with its
    newcomers' form, settings and a host name each, with ``participants`` people, some duos
    and their meetings (written in bulk)."""
    made = []
    for number, (slug, town) in enumerate(region_names(sites)):
        name = f"Buddywerking {town}"
        site = (
            Site.objects.filter(hostname=f"{slug}{HOST_SUFFIX}").select_related("root_page").first()
        )
        if site is None:
            home, programme = _light_pages(locales["nl"], slug=slug, town=town, name=name)
            site = ensure_site(slug=slug, root=home, name=name)
        else:
            programme = ProgrammePage.objects.child_of(site.root_page).first()
        MunicipalitySettings.objects.get_or_create(
            site=site,
            defaults={
                "name": name,
                "colour": _COLOURS[number % len(_COLOURS)],
                "languages": ["nl"],
            },
        )
        if programme is not None:
            _light_people(programme, site, participants, seed=_REGION_SEED + number)
        made.append(site)
    return made


def _light_pages(nl, *, slug: str, town: str, name: str) -> tuple[HomePage, ProgrammePage]:
    """Published pages, the home and programme without revisions: built quickly."""
    now = timezone.now()
    live = {"live": True, "first_published_at": now, "last_published_at": now, "locale": nl}
    home = HomePage(
        title=f"Samen Nederlands oefenen in {town}",
        slug=slug,
        intro=f"Een nieuwkomer en een buddy uit {town} spreken af en oefenen samen Nederlands.",
        **live,
    )
    Page.get_first_root_node().add_child(instance=home)
    programme = ProgrammePage(
        title=name,
        slug="buddywerking",
        summary=f"Zes maanden lang oefenen een nieuwkomer en een inwoner van {town} samen "
        "Nederlands. Meedoen is gratis.",
        **live,
    )
    home.add_child(instance=programme)
    # The newcomers' form, with a revision: each consent names the form's text it agreed to.
    form = RegistrationPage(
        title="Aanmelden als nieuwkomer",
        slug=registry_demo.FORMS[Role.NEWCOMER]["slug"],
        role=Role.NEWCOMER,
        intro=f"<p>Je woont in {town} en je leert Nederlands? Vraag een buddy.</p>",
        privacy_summary=registry_demo.PRIVACY["nl"],
        privacy_version="2026-11",
        thank_you=registry_demo.THANKS["nl"],
        locale=nl,
    )
    programme.add_child(instance=form)
    form.save_revision().publish()
    return home, programme


def _moment(days_ago: int) -> datetime:
    return datetime.now(tz=UTC) - timedelta(days=days_ago)


def _light_people(programme: ProgrammePage, site: Site, count: int, *, seed: int) -> None:
    """Fill ``programme`` up to ``count`` participants; a tenth of its newcomers in duos
    (made once), each with four confirmed meetings."""
    key = programme.translation_key
    existing = Participant.objects.filter(programme_key=key).count()
    rng = random.Random(seed)  # noqa: S311 (fake demo data, not security)
    people = []
    for number in range(existing, count):
        role = Role.NEWCOMER if number % 2 else Role.VOLUNTEER
        signed = _moment(rng.randint(5, 700))
        status = _STATUSES[number % len(_STATUSES)]
        first = rng.choice(
            registry_demo.NEWCOMER_FIRST if role == Role.NEWCOMER else registry_demo.VOLUNTEER_FIRST
        )
        people.append(
            Participant(
                programme=programme,
                programme_key=key,
                site=site,
                role=role,
                status=status,
                first_name=first,
                last_name=f"{site.hostname.split('.')[0].title()}{number}",
                email=f"{first}.{site.hostname.split('.')[0]}.{number:05d}@example.org".lower(),
                form_language="nl",
                preferred_language=rng.choice(_SPOKEN[:4]) if role == Role.NEWCOMER else "nl",
                neighbourhood=rng.choice(_PLACES),
                created_at=signed,
                last_signup_at=signed,
                status_changed_at=signed,
                waiting_since=signed if status == Status.WAITING else None,
            )
        )
    if people:
        people = Participant.objects.bulk_create(people, batch_size=500)
        ParticipantLanguage.objects.bulk_create(
            (
                ParticipantLanguage(
                    participant=person,
                    code=rng.choice(_SPOKEN) if person.role == Role.NEWCOMER else "nl",
                )
                for person in people
            ),
            batch_size=1000,
        )
    if Duo.objects.filter(programme_key=key).exists():
        return
    active = Participant.objects.filter(programme_key=key, status=Status.ACTIVE)
    newcomers = list(active.filter(role=Role.NEWCOMER)[: max(count // 10, 0)])
    volunteers = list(active.filter(role=Role.VOLUNTEER)[: len(newcomers)])
    today = timezone.localdate()
    duos = []
    for newcomer, volunteer in zip(newcomers, volunteers, strict=False):
        start = today - timedelta(days=rng.randint(60, 150))
        end, midway = Duo.planned_dates(start, programme.duration_months or 6)
        duos.append(
            Duo(
                programme=programme,
                programme_key=key,
                site=site,
                newcomer=newcomer,
                volunteer=volunteer,
                start_date=start,
                planned_end=end,
                feedback_due=midway,
                status=Duo.Status.ACTIVE,
            )
        )
    duos = Duo.objects.bulk_create(duos)
    Meeting.objects.bulk_create(
        Meeting(
            duo=duo,
            date=duo.start_date + timedelta(days=14 * index + 1),
            minutes=rng.choice([60, 90, 120, 180]),
            logged_by=Meeting.By.NEWCOMER,
            confirmed_by=Meeting.By.VOLUNTEER,
            confirmed_at=timezone.now(),
        )
        for duo in duos
        for index in range(4)
    )
