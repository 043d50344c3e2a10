"""Site B for the isolation matrix: a municipality beside the demo's (site A) with one of
every personal record, each carrying a name or words that occur nowhere else, and a
coordinator of site A who holds every permission of the plugin's apps.

The matrix asks site A's coordinator for everything of site B and looks for these words in
every answer (:data:`NEEDLES`): a status code alone does not show a name in a sidebar, a
filter's choices or a spreadsheet's cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from tests.buddypages import factories

# Site B's records are numbered far above anything else in the database, each number used
# once across every table: a screen that answers for one of them found site B's record,
# never one of site A's that happens to share its number.
FIRST_ID = 7_100_001
# Wagtail numbers a new page itself: its table's counter is moved up to here instead.
FIRST_PAGE_ID = 7_200_001
HOSTNAME = "brugveld.example"
NEWCOMER = {"first_name": "Zebulon", "last_name": "Quaresma", "email": "zebulon.quaresma@mail.test"}
VOLUNTEER = {
    "first_name": "Ottilie",
    "last_name": "Vandermeersch",
    "email": "ottilie.vandermeersch@mail.test",
}
READER_EMAIL = "leontyne.zwartkruis@mail.test"
SIGNUP = {"name": "Wendelin Okonkwo", "email": "wendelin.okonkwo@mail.test"}
COORDINATOR = {"username": "hieronymus.quistgaard", "first_name": "Hieronymus"}

# What must never reach site A's coordinator, by what it is (the label says what leaked).
NEEDLES = {
    "newcomer's first name": "Zebulon",
    "newcomer's surname": "Quaresma",
    "newcomer's email": NEWCOMER["email"],
    "volunteer's first name": "Ottilie",
    "volunteer's surname": "Vandermeersch",
    "volunteer's email": VOLUNTEER["email"],
    "newsletter reader's email": "zwartkruis",
    "sign-up's name": "Okonkwo",
    "sign-up's email": SIGNUP["email"],
    "site B coordinator's name": "Quistgaard",
    "newcomer's hopes": "Pluimvarken",
    "intake notes": "Wolkenkrabber",
    "status change note": "Kantelraam",
    "meeting": "Zeehondenbal",
    "own goal": "Fluitketel",
    "feedback comment": "Mosterdpot",
    "question": "Klompenvijver",
    "voucher code": "QZBRUG7731",
    "duo introduction": "Rozenhoedje",
    "stop reason": "Tuinkabouter",
}
# The two surnames the lists are searched for (``?q=``).
SURNAMES = ["Quaresma", "Vandermeersch"]

# Site B's rows that describe the municipality rather than a person, and that the seal lets
# other sites' users read: their screens are asked too, and must show no person of site B.
# (Its programme's information note, insurance policy, voucher offer and webhooks are sealed.)
CONFIGURATION = {"municipality settings", "site grant"}

# The apps whose models hold personal data, and whose admin screens the matrix walks.
APPS = ("buddypages", "newsletter")
# Who holds these may grant any site to anyone: the installation's administrators, never a
# municipality's coordinator.
ADMINISTRATOR_PERMISSIONS = (
    "add_sitegrant",
    "change_sitegrant",
    "delete_sitegrant",
    "view_sitegrant",
)


@dataclass
class SiteB:
    site: Site
    coordinator: object
    pages: dict[str, Page] = field(default_factory=dict)
    records: dict[str, models.Model] = field(default_factory=dict)
    # Rows every site shares (an interest, a partner) that site B's records point to.
    shared: dict[str, models.Model] = field(default_factory=dict)
    # Seconds since 1970 of the dates of site B's activities (the trainings' addresses).
    stamps: list[int] = field(default_factory=list)

    def is_personal(self, what: str) -> bool:
        """Is ``what`` (a label of :meth:`ids`) a person's record or a page of site B, which
        another site's coordinator must be refused (403 or 404)? Site B's configuration
        (:data:`CONFIGURATION`) may be readable: its screens must only show no person."""
        return what not in CONFIGURATION

    def ids(self) -> dict[int, str]:
        """Every number that names something of site B, with what it names."""
        found = {self.site.pk: "site", self.coordinator.pk: "site B's coordinator"}
        found.update({page.pk: f"page: {name}" for name, page in self.pages.items()})
        found.update({record.pk: name for name, record in self.records.items()})
        return found


def site_path(model, *, depth: int = 4) -> str | None:
    """The lookup from ``model`` to the site it belongs to (``"duo__site"``), or None.

    Pages belong to a site by their place in the tree, not by a column: they are left out."""
    if issubclass(model, Page):
        return None
    queue = deque([(model, "")])
    while queue:
        current, path = queue.popleft()
        for fk in current._meta.get_fields():
            if not (fk.is_relation and fk.concrete and (fk.many_to_one or fk.one_to_one)):
                continue
            target = fk.related_model
            lookup = f"{path}{fk.name}"
            if target is Site:
                return lookup
            inside = target._meta.app_label in APPS and not issubclass(target, Page)
            if inside and lookup.count("__") < depth - 1:
                queue.append((target, f"{lookup}__"))
    return None


def sealed_models() -> list[tuple[type[models.Model], str]]:
    """Every model of the plugin's apps that belongs to a site, with its lookup to it."""
    found = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            path = site_path(model)
            if path is not None:
                found.append((model, path))
    return found


def rows_of(site: Site) -> dict[str, list[dict]]:
    """Every row of ``site`` in every sealed model, as values: what a refused request must
    leave as it was (and what it must not add to)."""
    return {
        model._meta.label: list(
            model._default_manager.filter(**{path: site}).order_by("pk").values()
        )
        for model, path in sealed_models()
    }


def coordinator_of(site: Site, *, username: str):
    """A coordinator granted ``site`` only, with every permission of the plugin's apps (but
    the administrators' site grants) and the demo's coordinator group (page permissions)."""
    from buddypages.pages.access import SiteGrant

    user = get_user_model().objects.create(
        username=username, email=f"{username}@example.org", is_staff=False
    )
    user.groups.add(Group.objects.get(name="Coordinators"))
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=APPS).exclude(
            codename__in=ADMINISTRATOR_PERMISSIONS
        )
        | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    SiteGrant.objects.create(site=site, user=user, level=SiteGrant.Level.REGISTRY)
    return user


def number_pages_from(first: int) -> None:
    """The next page gets ``first`` or more. On PostgreSQL the sequence stays moved after a
    rollback (sequences are outside transactions): later pages are numbered above it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                [first - 1, Page._meta.db_table],
            )
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " GREATEST(%s, nextval(pg_get_serial_sequence(%s, 'id'))))",
                [Page._meta.db_table, first - 1, Page._meta.db_table],
            )


def build_site_b() -> SiteB:
    """Site B with one of everything personal (see the module's docstring)."""
    from wagtail.log_actions import log

    from buddypages.api.webhooks.models import WebhookDelivery, WebhookEndpoint
    from buddypages.calendar.models import ActivitySignup
    from buddypages.duos.models import (
        Duo,
        DuoFeedback,
        DuoGoal,
        DuoQuestion,
        GoalRating,
        MatchExclusion,
        MatchProposal,
        Meeting,
        SpeedDatePick,
        Voucher,
        VoucherOffer,
    )
    from buddypages.models import ActivityCalendarPage, ActivityPage, HomePage, ProgrammePage
    from buddypages.pages.access import SiteGrant
    from buddypages.pages.municipality import MunicipalitySettings
    from buddypages.pages.snippets import Interest, Partner
    from buddypages.registry.models import (
        Consent,
        Intake,
        Participant,
        ParticipantLanguage,
        RegistryAuditEvent,
        StatusChange,
    )
    from buddypages.registry.volunteering import (
        InformationNote,
        InsuranceCover,
        InsurancePolicy,
        NoteAcknowledgement,
        TrainingAttendance,
    )
    from newsletter.models import (
        Delivery,
        NewsletterIndexPage,
        NewsletterIssuePage,
        Send,
        Suppression,
    )

    numbers = itertools.count(FIRST_ID)
    nl = Locale.objects.get(language_code="nl")

    def new(model, **fields):
        return model._default_manager.create(pk=next(numbers), **fields)

    def page(parent, model, **fields):
        child = model(locale=nl, **fields)
        parent.add_child(instance=child)
        child.save_revision().publish()
        child.refresh_from_db()
        return child

    number_pages_from(FIRST_PAGE_ID)
    home = page(Page.get_first_root_node(), HomePage, title="Welkom in Brugveld", slug="brugveld")
    site = new(Site, hostname=HOSTNAME, port=80, root_page=home, site_name="Brugveld")
    settings = new(MunicipalitySettings, site=site, name="Buddywerking Brugveld")
    programme = page(
        home, ProgrammePage, title="Buddywerking Brugveld", slug="buddy-brugveld", summary="B."
    )
    calendar = page(home, ActivityCalendarPage, title="Activiteiten", slug="brugveld-activiteiten")
    start = factories.next_day_at(14, days=5)
    activity = page(
        calendar,
        ActivityPage,
        title="Wandeling Brugveld",
        slug="wandeling-brugveld",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    training = page(
        calendar,
        ActivityPage,
        title="Basisvorming Brugveld",
        slug="basisvorming-brugveld",
        start=start + dt.timedelta(days=1),
        end=start + dt.timedelta(days=1, hours=3),
        kind="volunteer_training",
        training_topic="basic",
        audience="volunteers",
    )
    index = page(home, NewsletterIndexPage, title="Nieuwsbrief", slug="nieuws")
    issue = page(
        index,
        NewsletterIssuePage,
        title="Nieuwsbrief Brugveld",
        slug="maart",
        subject="Nieuws uit Brugveld",
    )
    coordinator = new(
        get_user_model(),
        username=COORDINATOR["username"],
        first_name=COORDINATOR["first_name"],
        last_name="Quistgaard",
        email="hieronymus.quistgaard@mail.test",
    )
    grant = new(SiteGrant, site=site, user=coordinator, level=SiteGrant.Level.REGISTRY)

    def person(role, names, **fields):
        return new(
            Participant,
            programme=programme,
            programme_key=programme.translation_key,
            role=role,
            form_language="nl",
            postcode="9999",
            **names,
            **fields,
        )

    newcomer = person(
        "newcomer",
        NEWCOMER,
        status="active",
        hopes="Samen naar de Pluimvarken-markt.",
        newsletter_status="confirmed",
        phone="0499 12 34 56",
    )
    volunteer = person("volunteer", VOLUNTEER, status="active", newsletter_status="confirmed")
    reader = person(
        "reader",
        {"first_name": "", "last_name": "", "email": READER_EMAIL},
        newsletter_status="confirmed",
    )
    waiting = person(
        "volunteer",
        {"first_name": "Ottilie", "last_name": "Vandermeersch", "email": "ottilie2@mail.test"},
        status="waiting",
        waiting_since=timezone.now(),
    )
    for someone in (newcomer, volunteer, reader, waiting):
        assert someone.site_id == site.pk, "a participant of site B belongs to site B"
    interest = Interest.objects.filter(locale=nl).order_by("pk").first()
    newcomer.interests.add(interest)
    language = new(ParticipantLanguage, participant=newcomer, code="ar")
    status_change = new(
        StatusChange,
        participant=newcomer,
        from_status="waiting",
        to_status="active",
        note="Kantelraam",
    )
    intake = new(
        Intake,
        participant=newcomer,
        held_on=timezone.localdate(),
        notes="Spreekt over de Wolkenkrabber.",
        expectations_confirmed=True,
        commitment_confirmed=True,
        recorded_by=coordinator,
    )
    consent = new(
        Consent,
        participant=newcomer,
        purpose="programme",
        given=True,
        method="web_form",
        language="nl",
    )
    note = new(
        InformationNote,
        programme=programme,
        programme_key=programme.translation_key,
        locale=nl,
        title="Informatienota Brugveld",
        body="<p>Brugveld.</p>",
        published_at=timezone.now() - dt.timedelta(days=2),
    )
    acknowledgement = new(
        NoteAcknowledgement,
        participant=volunteer,
        note=note,
        note_key=note.translation_key,
        version=note.version,
        language="nl",
    )
    policy = new(
        InsurancePolicy,
        programme=programme,
        programme_key=programme.translation_key,
        insurer="Verzekeraar Brugveld",
        policy_number="BV-1",
        covers="Alles.",
        valid_from=dt.date(2020, 1, 1),
    )
    cover = new(
        InsuranceCover,
        participant=volunteer,
        policy=policy,
        starts_on=dt.date(2020, 1, 1),
        created_by=coordinator,
    )
    signup = new(
        ActivitySignup,
        activity=activity,
        occurrence_start=activity.start,
        language="nl",
        **SIGNUP,
    )
    training_signup = new(
        ActivitySignup,
        activity=training,
        occurrence_start=training.start,
        language="nl",
        name=f"{VOLUNTEER['first_name']} {VOLUNTEER['last_name']}",
        email=VOLUNTEER["email"],
    )
    attendance = new(
        TrainingAttendance,
        participant=volunteer,
        activity=training,
        activity_key=training.translation_key,
        occurrence_start=training.start,
        topic="basic",
        title=training.title,
        minutes=180,
        signup=training_signup,
        recorded_by=coordinator,
    )
    duo = new(
        Duo,
        programme=programme,
        programme_key=programme.translation_key,
        newcomer=newcomer,
        volunteer=volunteer,
        introduction="Ze houden allebei van het Rozenhoedje.",
        start_date=timezone.localdate() - dt.timedelta(days=100),
        planned_end=timezone.localdate() + dt.timedelta(days=80),
        feedback_due=timezone.localdate() - dt.timedelta(days=10),
        stop_reason="Tuinkabouter",
    )
    completed = new(
        Duo,
        programme=programme,
        programme_key=programme.translation_key,
        newcomer=newcomer,
        volunteer=waiting,
        start_date=timezone.localdate() - dt.timedelta(days=400),
        planned_end=timezone.localdate() - dt.timedelta(days=220),
        feedback_due=timezone.localdate() - dt.timedelta(days=310),
        status="completed",
        ended_on=timezone.localdate() - dt.timedelta(days=200),
    )
    proposal = new(
        MatchProposal,
        programme_key=programme.translation_key,
        newcomer=newcomer,
        volunteer=waiting,
        score=0.9,
        reasons=[{"code": "interests", "values": ["cooking"]}],
    )
    exclusion = new(MatchExclusion, newcomer=newcomer, volunteer=waiting)
    pick = new(SpeedDatePick, chooser=newcomer, chosen=waiting)
    meeting = new(
        Meeting,
        duo=duo,
        date=timezone.localdate() - dt.timedelta(days=7),
        minutes=90,
        activity="Naar de Zeehondenbal geweest.",
        logged_by="newcomer",
    )
    goal = new(DuoGoal, duo=duo, text="De Fluitketel leren kennen")
    feedback = new(
        DuoFeedback,
        duo=duo,
        role="newcomer",
        moment="midway",
        overall=4,
        comment="De Mosterdpot was fijn.",
    )
    rating = new(GoalRating, feedback=feedback, goal=goal, face=4)
    question = new(
        DuoQuestion, duo=duo, role="volunteer", category="housing", text="Waar is de Klompenvijver?"
    )
    partner = Partner.objects.order_by("pk").first()
    offer = new(
        VoucherOffer,
        partner=partner,
        what="Twee tickets Brugveld",
        quantity=5,
        stock=4,
        programme_key=programme.translation_key,
    )
    voucher = new(Voucher, offer=offer, duo=duo, code=NEEDLES["voucher code"])
    send = new(
        Send,
        issue=issue,
        issue_key=issue.translation_key,
        subject=issue.subject,
        audiences=["duos"],
        programme_key=programme.translation_key,
        status="done",
        send_after=timezone.now(),
        total=2,
        created_by=coordinator,
    )
    delivery = new(
        Delivery,
        send=send,
        participant=newcomer,
        email=newcomer.email,
        first_name=newcomer.first_name,
        buddy_first_name=volunteer.first_name,
        language="nl",
        kind="newcomer",
        status="delivered",
    )
    reader_delivery = new(
        Delivery, send=send, participant=reader, email=reader.email, language="nl", kind="reader"
    )
    suppression = new(
        Suppression,
        email=VOLUNTEER["email"],
        site=site,
        reason="bounced",
        detail="550 Vandermeersch unknown",
    )
    audits = {
        f"audit entry ({action})": new(
            RegistryAuditEvent,
            action=action,
            user=coordinator,
            username=coordinator.username,
            participant_ref=newcomer.pk,
            site=site,
        )
        for action in ("view", "change", "intake")
    }
    endpoint = new(WebhookEndpoint, site=site, url="https://hooks.brugveld.example/in")
    webhook_delivery = new(
        WebhookDelivery, endpoint=endpoint, event_type="page.published", payload={"id": 1}
    )
    # What Wagtail's own log keeps of site B's coordinator at work: the record's name.
    log(instance=newcomer, action="wagtail.edit", user=coordinator)
    log(instance=signup, action="wagtail.edit", user=coordinator)

    site_b = SiteB(site=site, coordinator=coordinator)
    site_b.pages = {
        "home": home,
        "programme": programme,
        "calendar": calendar,
        "activity": activity,
        "training": training,
        "newsletter index": index,
        "newsletter issue": issue,
    }
    site_b.records = {
        "municipality settings": settings,
        "newcomer": newcomer,
        "volunteer": volunteer,
        "newsletter reader": reader,
        "second volunteer": waiting,
        "spoken language": language,
        "status change": status_change,
        "intake": intake,
        "consent": consent,
        "information note": note,
        "note acknowledgement": acknowledgement,
        "insurance policy": policy,
        "insurance cover": cover,
        "activity sign-up": signup,
        "training sign-up": training_signup,
        "training attendance": attendance,
        "duo": duo,
        "completed duo": completed,
        "match proposal": proposal,
        "match exclusion": exclusion,
        "speed-date pick": pick,
        "meeting": meeting,
        "goal": goal,
        "feedback": feedback,
        "goal rating": rating,
        "question": question,
        "voucher offer": offer,
        "voucher": voucher,
        "newsletter send": send,
        "delivery": delivery,
        "reader's delivery": reader_delivery,
        "suppression": suppression,
        "site grant": grant,
        "webhook endpoint": endpoint,
        "webhook delivery": webhook_delivery,
        **audits,
    }
    site_b.shared = {"interest": interest, "partner": partner}
    site_b.stamps = [int(activity.start.timestamp()), int(training.start.timestamp())]
    return site_b
