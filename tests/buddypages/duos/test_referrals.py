"""The referral guide on the duo page, and the members' questions for the coordinator."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Locale

from buddypages.duos import referrals, services
from buddypages.duos.models import Duo, DuoQuestion, MatchProposal
from buddypages.duos.tokens import LINK_SALT, duo_link_token
from buddypages.pages.referrals import ReferralService, language_name
from buddypages.registry.models import RegistryAuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def duo(pair):
    newcomer, volunteer = pair
    proposal = MatchProposal.objects.create(
        programme_key=newcomer.programme_key, newcomer=newcomer, volunteer=volunteer, score=1
    )
    return services.proposal_accept(
        proposal=proposal, user=None, start=timezone.localdate() - timedelta(days=20)
    )


def page(duo, role, language):
    return f"/{language}/duo/{duo_link_token(duo, role)}/"


def coordinator_client():
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    return client


# --- The guide --------------------------------------------------------------------------


def test_the_demo_guide_has_twelve_services_in_dutch_and_arabic_linked_as_translations(demo):
    dutch = ReferralService.objects.filter(locale__language_code="nl")
    arabic = ReferralService.objects.filter(locale__language_code="ar")
    assert dutch.count() >= 12
    assert arabic.count() >= 12
    # Translations share the Dutch service's key, so wagtail-localize can re-sync them.
    assert set(arabic.values_list("translation_key", flat=True)) <= set(
        dutch.values_list("translation_key", flat=True)
    )
    vdab = dutch.get(name__startswith="VDAB")
    assert vdab.get_translation(Locale.objects.get(language_code="ar")).name.startswith("متجر")


def test_loading_the_demo_guide_again_adds_nothing(demo):
    from buddysite.demo.referrals import ensure_referral_guide

    before = ReferralService.objects.count()
    ensure_referral_guide({locale.language_code: locale for locale in Locale.objects.all()})
    assert ReferralService.objects.count() == before


def test_the_duo_page_shows_the_guide_by_theme_in_the_readers_language(duo):
    response = Client().get(page(duo, "newcomer", "ar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "رفيقك ليس أخصائيًا اجتماعيًا" in html  # "Your buddy is not a social worker"
    assert html.count("<details>") >= 8  # one per theme, collapsed
    assert "<summary>السكن" in html  # Housing
    assert "متجر العمل VDAB هايدستاد" in html
    assert 'href="tel:011992000"' in html
    # Languages spoken are named in the reader's language.
    with translation.override("ar"):
        assert language_name("nl") in html
    # The repair café is not translated: shown in Dutch, marked as Dutch.
    assert re.search(r'<li lang="nl" dir="ltr">\s*<h3>Repair Café Heidestad</h3>', html)
    # A map link even when the editor gave none.
    assert "https://www.openstreetmap.org/search?query=Markt+10" in html


def test_both_members_get_the_question_button(duo):
    for role in ("newcomer", "volunteer"):
        html = Client().get(page(duo, role, "nl")).content.decode()
        # The page signs its own link (stamped with its second): read it back, do not re-sign.
        token = re.search(r'href="/nl/duo/([^/"]+)/question/"', html).group(1)
        assert signing.loads(token, salt=LINK_SALT)["r"] == role


def test_language_codes_are_checked_with_a_clear_message(demo):
    service = ReferralService(
        locale=Locale.objects.get(language_code="nl"),
        category="work",
        name="Test",
        languages="NL, ar, klingon",
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "Unknown language code: klingon" in str(error.value.message_dict["languages"])
    service.languages = "NL; ar,prs , ti"
    service.full_clean()
    assert service.languages == "nl, ar, prs, ti"
    with translation.override("nl"):
        assert service.language_names == ["Nederlands", "Arabisch", "Dari", "Tigrinya"]


# --- Questions ----------------------------------------------------------------------------


def test_a_member_asks_and_the_coordinators_hear_without_personal_data(
    duo, django_capture_on_commit_callbacks
):
    get_user_model().objects.filter(username="coordinator").update(email="coord@example.net")
    get_user_model().objects.filter(username="editor").update(email="editor@example.net")
    url = page(duo, "volunteer", "nl") + "question/"
    assert "Een vraag voor de coördinator" in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            url, {"category": "housing", "text": "Nadia zoekt een huis, wie kan helpen?"}
        )
    assert response.status_code == 302
    assert response["Location"].endswith("?done=sent")
    thanks = Client().get(response["Location"]).content.decode()
    assert "De coördinator kreeg je vraag" in thanks
    question = DuoQuestion.objects.get(duo=duo)
    assert (question.role, question.category, question.language) == ("volunteer", "housing", "nl")
    addresses = {message.to[0] for message in mail.outbox}
    assert "coord@example.net" in addresses
    assert "editor@example.net" not in addresses  # editors cannot handle questions
    if duo.programme.contact_email:
        assert duo.programme.contact_email.lower() in addresses
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for secret in ("Nadia", "Griet", "Testnieuw", "huis", duo.newcomer.email):
            assert secret not in message.subject + message.body + html
        assert f"/admin/duo_questions/inspect/{question.pk}/" in message.body
    assert RegistryAuditEvent.objects.filter(
        participant_ref=duo.volunteer.pk, detail__contains=f"question {question.pk} asked"
    ).exists()


def test_an_empty_or_too_long_question_is_refused_and_nothing_is_stored(duo):
    url = page(duo, "newcomer", "ar") + "question/"
    response = Client().post(url, {"text": "   "})
    assert response.status_code == 400
    response = Client().post(url, {"text": "x" * (referrals.QUESTION_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert 'class="form-error"' in response.content.decode()
    assert not DuoQuestion.objects.filter(duo=duo).exists()


def test_a_duo_asks_at_most_five_questions_a_day(duo):
    url = page(duo, "newcomer", "en") + "question/"
    for number in range(referrals.QUESTIONS_PER_DAY):
        assert Client().post(url, {"text": f"Question {number}"}).status_code == 302
    response = Client().post(url, {"text": "One more"})
    assert response.status_code == 400
    assert "already sent 5 questions today" in response.content.decode()
    assert DuoQuestion.objects.filter(duo=duo).count() == referrals.QUESTIONS_PER_DAY
    # A day later the duo may ask again.
    DuoQuestion.objects.filter(duo=duo).update(asked_at=timezone.now() - timedelta(days=1, hours=1))
    assert Client().post(url, {"text": "Next day"}).status_code == 302


def test_a_forged_link_cannot_ask(duo):
    response = Client().post("/nl/duo/forged/question/", {"text": "Hallo"})
    assert response.status_code == 404
    assert not DuoQuestion.objects.exists()


def test_the_coordinator_reads_unread_first_and_opening_marks_read(duo):
    older = referrals.duo_question_ask(duo=duo, role="newcomer", text="Eerste vraag")
    DuoQuestion.objects.filter(pk=older.pk).update(asked_at=timezone.now() - timedelta(days=2))
    newer = referrals.duo_question_ask(duo=duo, role="volunteer", text="Tweede vraag")
    read = referrals.duo_question_ask(duo=duo, role="volunteer", text="Al gelezen")
    client = coordinator_client()
    client.get(f"/admin/duo_questions/inspect/{read.pk}/")
    html = client.get("/admin/duo_questions/").content.decode()
    positions = [html.index(f"/admin/duo_questions/inspect/{q.pk}/") for q in (newer, older, read)]
    assert positions == sorted(positions)
    unread = client.get("/admin/duo_questions/?unread=true").content.decode()
    assert f"/inspect/{read.pk}/" not in unread
    assert f"/inspect/{older.pk}/" in unread

    response = client.get(f"/admin/duo_questions/inspect/{newer.pk}/")
    assert response.status_code == 200
    assert "Tweede vraag" in response.content.decode()
    newer.refresh_from_db()
    assert newer.read_by.username == "coordinator"
    assert newer.read_at is not None
    first_read = newer.read_at
    client.get(f"/admin/duo_questions/inspect/{newer.pk}/")
    newer.refresh_from_db()
    assert newer.read_at == first_read  # the first reading counts
    assert RegistryAuditEvent.objects.filter(
        username="coordinator", detail=f"duo {duo.pk} question {newer.pk} read"
    ).exists()
    # The duo's page lists its questions.
    duo_page = client.get(f"/admin/duos/inspect/{duo.pk}/").content.decode()
    assert "Eerste vraag" in duo_page
    assert "Tweede vraag" in duo_page


@pytest.mark.parametrize("who", [None, "editor"])
def test_only_coordinators_read_questions(duo, who):
    question = referrals.duo_question_ask(duo=duo, role="newcomer", text="Geheime vraag")
    client = Client()
    if who:
        client.force_login(get_user_model().objects.get(username=who))
    for url in ("/admin/duo_questions/", f"/admin/duo_questions/inspect/{question.pk}/"):
        response = client.get(url)
        assert response.status_code != 200
        assert b"Geheime vraag" not in response.content
    question.refresh_from_db()
    assert question.read_at is None


def test_nobody_adds_a_question_in_the_admin(duo):
    assert coordinator_client().get("/admin/duo_questions/new/").status_code in (302, 403)


def test_erasure_removes_the_questions_and_the_export_has_them(duo):
    from buddypages.registry.data_protection import participant_erase, participant_export

    referrals.duo_question_ask(duo=duo, role="newcomer", text="Vraag van Nadia")
    referrals.duo_question_ask(duo=duo, role="volunteer", text="Vraag van Griet")
    exported = participant_export(participant=duo.newcomer, user=None)
    assert [q["question"] for q in exported["questions_for_the_coordinator"]] == ["Vraag van Nadia"]
    participant_erase(participant=duo.newcomer, user=None)
    assert not Duo.objects.filter(pk=duo.pk).exists()
    assert not DuoQuestion.objects.filter(duo_id=duo.pk).exists()


def test_editors_keep_the_guide_filtered_by_theme_and_language(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="editor"))
    url = "/admin/snippets/buddypages/referralservice/"
    html = client.get(url + "?locale=ar&category=health").content.decode()
    assert "مركز أطباء المناوبة هايدستاد" in html
    assert "Huisartsenwachtpost" not in html  # Dutch: another locale
    assert "متجر العمل VDAB" not in html  # work: another theme
    found = client.get(url + "?locale=nl&q=VDAB").content.decode()
    assert "VDAB-werkwinkel Heidestad" in found
    # A mistyped language code is refused with the field's message, nothing saved.
    dutch = ReferralService.objects.get(locale__language_code="nl", name__startswith="VDAB")
    response = client.post(
        f"{url}edit/{dutch.pk}/",
        {
            "category": "work",
            "name": dutch.name,
            "languages": "nl, arabic",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "arabic" in response.content.decode()
    dutch.refresh_from_db()
    assert dutch.languages == "nl, fr, en, ar"
