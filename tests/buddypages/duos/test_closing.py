"""Closing a duo: the closing email (thanks, certificate, invitation), the certificates as a
person reads them (the PDF's text), and where members and coordinators download them."""

import io
import re
import unicodedata
import uuid
from datetime import timedelta

import pypdf
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Locale

from buddypages.calendar.pages import ActivityPage
from buddypages.duos import certificates, services
from buddypages.duos.models import Duo, Meeting
from buddypages.duos.tokens import duo_link_token
from buddypages.pages.posters import MissingGlyphsError
from buddypages.registry.models import RegistryAuditEvent
from buddypages.registry.volunteering import TrainingAttendance

pytestmark = pytest.mark.django_db

CLOSING_NL = "Slotfeest van de buddywerking"  # the demo's closing celebration
CLOSING_AR = "حفل ختام برنامج الرفيق"


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def text_of(content: bytes) -> str:
    """The PDF's text as pypdf extracts it, without whitespace (see the poster tests: HarfBuzz
    glyph positions read as gaps now and then)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return squashed("".join(page.extract_text() for page in reader.pages))


def pages_of(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def login(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def duo(pair):
    """Nadia (reads Arabic) and Griet (Dutch), 25 confirmed hours, still running."""
    newcomer, volunteer = pair
    start = timezone.localdate() - timedelta(days=190)
    end, midway = Duo.planned_dates(start, 6)
    duo = Duo.objects.create(
        programme=newcomer.programme,
        programme_key=newcomer.programme_key,
        newcomer=newcomer,
        volunteer=volunteer,
        start_date=start,
        planned_end=end,
        feedback_due=midway,
    )
    for week in range(10):
        Meeting.objects.create(
            duo=duo,
            date=start + timedelta(days=7 * week + 1),
            minutes=150,
            logged_by="newcomer",
            confirmed_by="volunteer",
            confirmed_at=timezone.now(),
        )
    return duo


def complete(duo, capture):
    with capture(execute=True):
        services.duo_end(duo=duo, user=None, completed=True)
    duo.refresh_from_db()
    return duo


def attend(volunteer, title: str, days_ago: int):
    return TrainingAttendance.objects.create(
        participant=volunteer,
        activity_key=uuid.uuid4(),
        occurrence_start=timezone.now() - timedelta(days=days_ago),
        topic="basic",
        title=title,
        minutes=120,
    )


# --- The closing email ----------------------------------------------------------------------


def test_completing_emails_each_member_once_in_their_language(
    duo, django_capture_on_commit_callbacks
):
    duo = complete(duo, django_capture_on_commit_callbacks)
    assert duo.closing_sent_at is not None
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {duo.newcomer.email, duo.volunteer.email}

    to_newcomer = by_address[duo.newcomer.email]
    subject = "Thank you for taking part in the buddy programme"
    assert to_newcomer.subject == translated("ar", subject)
    assert to_newcomer.subject != subject
    # The invitation: the next closing celebration, in her language, with its page.
    assert CLOSING_AR in to_newcomer.body
    assert "/ar/" in to_newcomer.body
    assert "Testvrijwillig" not in to_newcomer.body  # the buddy's first name only
    html = to_newcomer.alternatives[0][0]
    assert 'lang="ar" dir="rtl"' in html
    ((filename, content, mimetype),) = to_newcomer.attachments
    assert mimetype == "application/pdf"
    assert filename == "certificate-participation-ar-nl.pdf"
    text = text_of(content)
    assert "NadiaTestnieuw" in text
    assert squashed(translated("ar", "Certificate of participation")) in text
    assert squashed(translated("nl", "Certificate of participation")) in text

    to_volunteer = by_address[duo.volunteer.email]
    assert to_volunteer.subject == translated("nl", subject)
    assert CLOSING_NL in to_volunteer.body
    ((filename, content, _mimetype),) = to_volunteer.attachments
    assert filename == "certificate-thanks-nl.pdf"
    assert pages_of(content) == 1  # Dutch is her language: one page

    # Never twice: the duo cannot end again, and nothing more is sent.
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DuoError):
        services.duo_end(duo=duo, user=None, completed=True)
    assert mail.outbox == []


def test_stopping_early_sends_no_closing_email(duo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.duo_end(duo=duo, user=None, completed=False, reason="verhuisd")
    duo.refresh_from_db()
    assert duo.closing_sent_at is None
    assert mail.outbox == []


def test_without_a_closing_celebration_the_coordinator_will_invite(
    duo, django_capture_on_commit_callbacks
):
    ActivityPage.objects.filter(kind="closing_celebration").update(live=False)
    complete(duo, django_capture_on_commit_callbacks)
    to_volunteer = next(m for m in mail.outbox if m.to == [duo.volunteer.email])
    sentence = "There is no date for the closing celebration yet. The coordinator will invite you."
    assert translated("nl", sentence) in to_volunteer.body
    assert CLOSING_NL not in to_volunteer.body


def test_a_past_closing_celebration_is_not_the_invitation(duo):
    ActivityPage.objects.filter(kind="closing_celebration").update(
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3)
    )
    assert certificates.closing_invitation(role="newcomer", language="nl") is None


# --- The certificates -----------------------------------------------------------------------


def test_the_newcomers_certificate_in_arabic_and_dutch(duo, django_capture_on_commit_callbacks):
    duo = complete(duo, django_capture_on_commit_callbacks)
    content = certificates.certificate_pdf(
        certificates.certificate_pages(duo, "newcomer", language="ar"), strict=True
    )
    assert pages_of(content) == 2
    text = text_of(content)
    assert "NadiaTestnieuw" in text
    assert "Griet" in text  # the buddy's first name
    assert "Testvrijwillig" not in text
    assert "25" in text  # hours
    for language in ("ar", "nl"):
        assert squashed(translated(language, "Certificate of participation")) in text
    with translation.override("nl"):
        dutch = translation.gettext("%(hours)s hours of meetings, confirmed by both.")
    assert squashed(dutch % {"hours": 25}) in text


def test_the_volunteers_certificate_lists_her_trainings(duo, django_capture_on_commit_callbacks):
    duo = complete(duo, django_capture_on_commit_callbacks)
    attend(duo.volunteer, "Basisvorming voor buddy's", days_ago=200)
    attend(duo.volunteer, "Praten met wie weinig Nederlands spreekt", days_ago=100)
    content = certificates.duo_certificate(duo, "volunteer", language="nl")
    text = text_of(content)
    assert "GrietTestvrijwillig" in text
    assert squashed(translated("nl", "Certificate of thanks")) in text
    assert squashed(translated("nl", "Trainings attended")) in text
    assert squashed("Basisvorming voor buddy's") in text
    assert squashed("Praten met wie weinig Nederlands spreekt") in text
    # Oldest first.
    assert text.index("Basisvorming") < text.index("Praten")
    # A newcomer's certificate never lists trainings.
    assert squashed(translated("nl", "Trainings attended")) not in text_of(
        certificates.duo_certificate(duo, "newcomer", language="nl")
    )


def test_every_site_language_is_drawn_with_shipped_glyphs(duo, django_capture_on_commit_callbacks):
    duo = complete(duo, django_capture_on_commit_callbacks)
    attend(duo.volunteer, "Basisvorming", days_ago=30)
    for code, _name in settings.LANGUAGES:
        for role in ("newcomer", "volunteer"):
            # strict: a character no font has raises instead of printing an empty box.
            certificates.certificate_pdf(
                certificates.certificate_pages(duo, role, language=code), strict=True
            )


def test_a_name_no_shipped_font_has_fails_loudly(duo, django_capture_on_commit_callbacks):
    duo = complete(duo, django_capture_on_commit_callbacks)
    duo.newcomer.last_name = "王"
    with pytest.raises(MissingGlyphsError, match="王"):
        certificates.certificate_pdf(
            certificates.certificate_pages(duo, "newcomer", language="nl"), strict=True
        )


# --- Downloads ------------------------------------------------------------------------------


def certificate_url(duo, role="newcomer", language="ar"):
    return f"/{language}/duo/{duo_link_token(duo, role)}/certificate/{language}/"


def test_before_the_end_the_certificate_is_not_available_yet(client, duo):
    response = client.get(certificate_url(duo))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    message = "Your certificate is not available yet. You get it when your duo ends."
    assert translated("ar", message) in response.content.decode()
    assert 'lang="ar" dir="rtl"' in response.content.decode()
    page = client.get(f"/ar/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    assert "/certificate/" not in page


def test_a_wrong_link_or_language_gets_a_page_not_an_error(client, duo):
    assert client.get("/nl/duo/not-a-token/certificate/nl/").status_code == 404
    response = client.get(f"/nl/duo/{duo_link_token(duo, 'newcomer')}/certificate/xx/")
    assert response.status_code == 404


def test_members_download_their_certificate_from_their_page(
    client, duo, django_capture_on_commit_callbacks
):
    duo = complete(duo, django_capture_on_commit_callbacks)
    page = client.get(f"/ar/duo/{duo_link_token(duo, 'newcomer')}/").content.decode()
    # The link the page wrote (signing it again here could stamp another second).
    [link] = set(re.findall(r'/ar/duo/[^/"\s]+/certificate/ar/', page))
    assert CLOSING_AR in page  # the invitation
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "NadiaTestnieuw" in text_of(response.content)
    # A revoked link no longer gives it.
    old = link
    services.duo_link_revoke(duo=duo, role="newcomer", user=None)
    response = client.get(old)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_the_coordinator_downloads_both_and_sends_the_email_again(
    demo, duo, django_capture_on_commit_callbacks
):
    duo = complete(duo, django_capture_on_commit_callbacks)
    first_sent = duo.closing_sent_at
    coordinator = login("coordinator")
    page = coordinator.get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert f"/admin/duo-closing/{duo.pk}/certificate/newcomer/" in page
    assert f"/admin/duo-closing/{duo.pk}/certificate/volunteer/" in page
    for role, name in (("newcomer", "NadiaTestnieuw"), ("volunteer", "GrietTestvrijwillig")):
        response = coordinator.get(f"/admin/duo-closing/{duo.pk}/certificate/{role}/")
        assert response["Content-Type"] == "application/pdf"
        assert name in text_of(response.content)

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/admin/duo-closing/{duo.pk}/send/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    duo.refresh_from_db()
    assert duo.closing_sent_at > first_sent
    assert RegistryAuditEvent.objects.filter(
        detail=f"duo {duo.pk} closing email sent by a coordinator"
    ).exists()


def test_only_coordinators_get_the_certificates(demo, duo, django_capture_on_commit_callbacks):
    duo = complete(duo, django_capture_on_commit_callbacks)
    editor = login("editor")
    mail.outbox = []
    for url in (
        f"/admin/duo-closing/{duo.pk}/certificate/newcomer/",
        f"/admin/duo-closing/{duo.pk}/send/",
    ):
        response = editor.post(url) if url.endswith("send/") else editor.get(url)
        assert response.status_code != 200
        assert b"%PDF" not in response.content
    assert mail.outbox == []


def test_a_stopped_duo_has_no_closing_section_nor_email_to_send_again(
    demo, duo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.duo_end(duo=duo, user=None, completed=False, reason="verhuisd")
    coordinator = login("coordinator")
    page = coordinator.get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert "/admin/duo-closing/" not in page
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(f"/admin/duo-closing/{duo.pk}/send/")
    assert mail.outbox == []
    response = coordinator.get(f"/admin/duo-closing/{duo.pk}/certificate/newcomer/")
    assert response.status_code != 200
    assert b"%PDF" not in response.content


def test_more_trainings_than_a_page_holds_are_counted_not_cut(
    duo, django_capture_on_commit_callbacks
):
    duo = complete(duo, django_capture_on_commit_callbacks)
    for number in range(40):
        attend(duo.volunteer, f"Uitwisseling nr {number:02d}", days_ago=300 - number)
    content = certificates.duo_certificate(duo, "volunteer", language="nl")
    assert pages_of(content) == 1
    text = text_of(content)
    shown = sum(f"Uitwisselingnr{number:02d}" in text for number in range(40))
    assert 0 < shown < 40
    assert "Uitwisselingnr00" in text  # the oldest first
    with translation.override("nl"):
        more = translation.gettext("and %(count)s more") % {"count": 40 - shown}
    assert squashed(more) in text
    # The list stops before the signature.
    assert text.index(squashed(more)) < text.index(
        squashed(translated("nl", "Signature of the coordinator"))
    )


# --- Data protection ------------------------------------------------------------------------


def test_the_closing_email_is_in_the_export_and_goes_with_erasure(
    duo, django_capture_on_commit_callbacks
):
    from buddypages.registry.data_protection import participant_erase, participant_export

    duo = complete(duo, django_capture_on_commit_callbacks)
    (exported,) = participant_export(participant=duo.newcomer, user=None)["duos"]
    assert exported["closing_email_sent_at"] == duo.closing_sent_at.isoformat()
    assert exported["ended_on"] == duo.ended_on.isoformat()
    participant_erase(participant=duo.volunteer, user=None)
    assert not Duo.objects.filter(pk=duo.pk).exists()


def test_a_training_is_named_in_the_certificates_language_where_translated(
    demo, duo, django_capture_on_commit_callbacks
):
    duo = complete(duo, django_capture_on_commit_callbacks)
    dutch = ActivityPage.objects.live().filter(locale__language_code="nl").first()
    english = dutch.get_translation(Locale.objects.get(language_code="en"))
    assert english.title != dutch.title
    TrainingAttendance.objects.create(
        participant=duo.volunteer,
        activity=dutch,
        activity_key=dutch.translation_key,
        occurrence_start=timezone.now() - timedelta(days=40),
        topic="basic",
        title=dutch.title,
    )
    text = text_of(certificates.duo_certificate(duo, "volunteer", language="en"))
    assert squashed(english.title) in text  # the English page
    assert squashed(dutch.title) in text  # the Dutch page
