"""Every email a municipality sends links to that municipality's own host.

Two sites, ``heidestad.localhost`` (the demo's, the default) and ``bosdonk.localhost``, each with
its own programme, activity and newsletter issue. For each kind of email, sent through its real
send path for a person of one site, every http(s) link in the text and the HTML starts with
that site's root URL; a person whose site is unknown gets the installation's address
(``WAGTAILADMIN_BASE_URL``), as do the admin links in coordinators' emails.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from tests.buddypages.registry.helpers import participant, volunteer_paperwork

pytestmark = pytest.mark.django_db

ADMIN = "http://admin.localhost:8000"
# Links in the text part (up to a space or a closing bracket), and in HTML attributes.
_TEXT_LINK = re.compile(r"https?://[^\s<>\"')]+")
_HTML_LINK = re.compile(r"(?:href|src)=\"(https?://[^\"]+)\"")


@dataclass
class Town:
    site: Site
    programme: object
    activity: object
    issue: object

    @property
    def root(self) -> str:
        return self.site.root_url

    @property
    def key(self):
        return self.programme.translation_key


def _copy(page, parent, slug: str):
    return page.copy(to=parent, update_attrs={"slug": slug}, keep_live=True)


def _town(demo, site: Site, home, name: str) -> Town:
    """The municipality's own programme, activity and newsletter issue (copies of the demo's,
    under its home page, with translation keys of their own)."""
    from buddypages.models import ActivityPage
    from newsletter.models import NewsletterIssuePage

    programme = _copy(demo.programme, home, f"buddy-{name}")
    activity = _copy(
        ActivityPage.objects.live().filter(locale__language_code="nl").first(),
        home,
        f"activiteit-{name}",
    )
    issue = _copy(
        NewsletterIssuePage.objects.get(locale__language_code="nl", slug="december"),
        home,
        f"nieuwsbrief-{name}",
    )
    issue.body = [
        (
            "text",
            RichText(
                f'<p>Lees <a linktype="page" id="{programme.pk}">het programma</a> '
                'en <a href="/nl/">de startpagina</a>.</p>'
            ),
        ),
        ("call_to_action", {"text": "Schrijf je in", "page": programme, "url": ""}),
        ("image", {"image": Image.objects.first(), "alt": "Foto", "caption": ""}),
        # The calendar holds both sites' activities: only the issue's own are listed.
        ("upcoming_activities", {"heading": "Binnenkort", "weeks": 52, "limit": 20}),
    ]
    issue.save_revision().publish()
    return Town(site=site, programme=programme, activity=activity, issue=issue)


@pytest.fixture
def towns(demo, settings):
    """(Heidestad, Bosdonk): the demo's default site and a second one, on port 80."""
    from buddypages.models import HomePage

    settings.WAGTAILADMIN_BASE_URL = ADMIN
    heidestad = Site.objects.get(is_default_site=True)
    heidestad.hostname, heidestad.port = "heidestad.localhost", 80
    heidestad.save()
    bosdonk = Site.objects.filter(hostname="bosdonk.localhost").first()
    if bosdonk is None:
        home = HomePage(title="Bosdonk", slug="bosdonk", locale=demo.home_pages["nl"].locale)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        bosdonk = Site(hostname="bosdonk.localhost", root_page=home, site_name="Bosdonk")
    bosdonk.port = 80
    bosdonk.save()
    return (
        _town(demo, heidestad, heidestad.root_page.specific, "heidestad"),
        _town(demo, bosdonk, bosdonk.root_page.specific, "bosdonk"),
    )


def links(message) -> list[str]:
    found = _TEXT_LINK.findall(message.body)
    for content, mimetype in message.alternatives:
        if mimetype == "text/html":
            found += _HTML_LINK.findall(content)
    return found


def sent_to(*addresses: str) -> list:
    messages = [m for m in mail.outbox if set(addresses) & set(m.to)]
    assert {m.to[0] for m in messages} == set(addresses), "not everyone got an email"
    return messages


def assert_all_on(root: str, messages) -> None:
    for message in messages:
        found = links(message)
        assert found, f"no links in {message.subject!r}"
        if "List-Unsubscribe" in message.extra_headers:
            found.append(message.extra_headers["List-Unsubscribe"].strip("<>"))
        elsewhere = [link for link in found if not link.startswith(root + "/")]
        assert not elsewhere, f"{message.subject!r}: links not on {root}: {elsewhere}"


def person(town: Town, **fields):
    fields.setdefault("email", f"{uuid.uuid4().hex[:10]}@example.net")
    return participant(town.programme, programme_key=town.key, **fields)


def duo_of(town: Town, **fields):
    from buddypages.duos.models import Duo

    newcomer = person(town, role="newcomer", status="active", preferred_language="ar")
    volunteer = person(town, role="volunteer", status="active", preferred_language="nl")
    start = timezone.localdate() - timedelta(days=100)
    end, midway = Duo.planned_dates(start, 6)
    values = {"start_date": start, "planned_end": end, "feedback_due": midway}
    values.update(fields)
    return Duo.objects.create(
        programme=town.programme,
        programme_key=town.key,
        newcomer=newcomer,
        volunteer=volunteer,
        **values,
    )


# --- One sender per kind of email: returns the addresses it wrote to -----------------------


def registration(town: Town):
    from buddypages.registry.emails import registration_email_send

    someone = person(town, newsletter_status="pending", preferred_language="fr")
    registration_email_send(participant_id=someone.pk)
    return (someone.email,)


def newsletter_confirmation(town: Town):
    from buddypages.registry.emails import newsletter_confirm_email_send

    someone = person(town)
    newsletter_confirm_email_send(participant_id=someone.pk, language="ar")
    return (someone.email,)


def duo_links(town: Town):
    from buddypages.duos.emails import duo_emails_send

    duo = duo_of(town)
    duo_emails_send(duo_id=duo.pk, kind="introduction")
    return (duo.newcomer.email, duo.volunteer.email)


def feedback_invitation(town: Town):
    from buddypages.duos.moments import feedback_invitations_send

    duo = duo_of(town)
    feedback_invitations_send(today=duo.feedback_due)
    return (duo.newcomer.email, duo.volunteer.email)


def volunteer_note(town: Town):
    from buddypages.registry.volunteer_services import volunteer_note_email_send

    volunteer_paperwork(town.programme, town.key)
    volunteer = person(town, role="volunteer", status="active", ready=False)
    volunteer_note_email_send(participant_id=volunteer.pk)
    return (volunteer.email,)


def activity_signup(town: Town):
    from buddypages.calendar.emails import signup_email_send
    from buddypages.calendar.models import ActivitySignup

    signup = ActivitySignup.objects.create(
        activity=town.activity,
        occurrence_start=town.activity.start,
        name="Test",
        email=f"{uuid.uuid4().hex[:10]}@example.net",
        language="nl",
        status=ActivitySignup.CONFIRMED,
    )
    signup_email_send(signup_id=signup.pk, event="created")
    (message,) = sent_to(signup.email)
    assert f"/cancel/{signup.token}/" in message.body
    return (signup.email,)


def newsletter_issue(town: Town):
    from newsletter import outbox

    # The worker keeps its renderer per send id; a rolled-back test's send had this id too.
    outbox._renderers.clear()
    reader = person(town, status="active", newsletter_status="confirmed")
    outbox.send_start(issue=town.issue, audiences=["subscribers"], programme_key=town.key)
    return (reader.email,)


def closing(town: Town):
    from buddypages.duos.certificates import closing_emails_send

    duo = duo_of(town, status="completed", ended_on=timezone.localdate())
    closing_emails_send(duo_id=duo.pk)
    return (duo.newcomer.email, duo.volunteer.email)


EMAILS = [
    registration,
    newsletter_confirmation,
    duo_links,
    feedback_invitation,
    volunteer_note,
    activity_signup,
    newsletter_issue,
    closing,
]


@pytest.mark.parametrize("town_index", [0, 1], ids=["heidestad", "bosdonk"])
@pytest.mark.parametrize("email", EMAILS, ids=[send.__name__ for send in EMAILS])
def test_every_link_goes_to_the_persons_own_site(
    towns, town_index, email, django_capture_on_commit_callbacks
):
    town = towns[town_index]
    with django_capture_on_commit_callbacks(execute=True):
        addresses = email(town)
    messages = sent_to(*addresses)
    if email is newsletter_issue:
        assert all("List-Unsubscribe" in m.extra_headers for m in messages)
    assert_all_on(town.root, messages)


def test_the_two_sites_answer_on_their_own_hosts(towns):
    assert [town.root for town in towns] == [
        "http://heidestad.localhost",
        "http://bosdonk.localhost",
    ]


def test_a_person_of_no_known_site_gets_the_installations_address(demo, towns):
    from buddypages.registry.emails import newsletter_confirm_email_send
    from buddypages.registry.models import Participant

    nowhere = participant(demo.programme, programme_key=uuid.uuid4(), email="nergens@example.net")
    # Their site was deleted (SET_NULL): nothing says which municipality they belong to.
    Participant.objects.filter(pk=nowhere.pk).update(site=None)
    newsletter_confirm_email_send(participant_id=nowhere.pk, language="nl")
    assert_all_on(ADMIN, sent_to(nowhere.email))


def test_the_admin_link_for_coordinators_stays_on_the_admin(towns, django_user_model):
    from buddypages.duos.models import DuoQuestion
    from buddypages.duos.referrals import question_email_send

    bosdonk = towns[1]
    django_user_model.objects.create_superuser("chef", "chef@example.net", "x")
    duo = duo_of(bosdonk)
    question = DuoQuestion.objects.create(duo=duo, role="newcomer", text="Waar is de bib?")
    question_email_send(question_id=question.pk)
    assert_all_on(ADMIN, sent_to("chef@example.net"))


def test_one_site_keeps_the_installations_address(demo, settings):
    """With a single site its row often says localhost:80: emails keep the configured address."""
    from buddypages.registry.emails import newsletter_confirm_email_send

    settings.WAGTAILADMIN_BASE_URL = ADMIN
    Site.objects.exclude(is_default_site=True).delete()  # a demo with more municipalities
    Site.objects.update(hostname="localhost", port=80)
    someone = participant(demo.programme, email="enkel@example.net")
    newsletter_confirm_email_send(participant_id=someone.pk, language="nl")
    assert_all_on(ADMIN, sent_to(someone.email))
