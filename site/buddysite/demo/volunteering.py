"""Demo: the programme's insurance policy and information note (nl/en/fr/ar), volunteers
who acknowledged it and are insured, and three who are not yet (the matching page says why).
The trainings are in ``trainings``."""

from datetime import date, timedelta

from django.utils import timezone

from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Consent, Participant
from buddypages.registry.volunteering import (
    InformationNote,
    InsuranceCover,
    InsurancePolicy,
    NoteAcknowledgement,
)
from buddysite.demo.translate import translate_instance

POLICY = {
    "insurer": "Voorbeeldverzekeringen NV",
    "policy_number": "VW-2024-0815",
    "covers": (
        "Burgerlijke aansprakelijkheid en lichamelijke ongevallen tijdens buddy-activiteiten, "
        "ook onderweg ernaartoe."
    ),
    "valid_from": date(2024, 1, 1),
}

# The note in Dutch, paragraph by paragraph, and its translations (same order).
NOTE = {
    "nl": [
        "Informatienota voor vrijwilligers",
        "Wie organiseert?",
        "De gemeente organiseert het buddyproject. Je coördinator is je aanspreekpunt.",
        "Verzekering",
        "Je bent verzekerd voor burgerlijke aansprakelijkheid en voor ongevallen tijdens "
        "buddy-activiteiten en onderweg.",
        "Aansprakelijkheid",
        "Maak je per ongeluk schade? Dan betaalt de verzekering, niet jij. Behalve bij opzet "
        "of grove fout.",
        "Discretie",
        "Wat je buddy je vertelt, blijft tussen jullie. Twijfel je? Vraag het aan je coördinator.",
        "Vergoedingen",
        "Je krijgt geen loon. Kosten voor activiteiten met je buddy betaalt het project terug "
        "met een bonnetje.",
    ],
    "en": [
        "Information note for volunteers",
        "Who organises?",
        "The municipality organises the buddy programme. Your coordinator is your contact.",
        "Insurance",
        "You are insured for civil liability and for accidents during buddy activities and on "
        "the way.",
        "Liability",
        "Do you cause damage by accident? The insurance pays, not you. Except when it is on "
        "purpose or a serious fault.",
        "Confidentiality",
        "What your buddy tells you stays between you. In doubt? Ask your coordinator.",
        "Allowances",
        "You get no wage. The programme pays back costs of activities with your buddy, with a "
        "receipt.",
    ],
    "fr": [
        "Note d'information pour les bénévoles",
        "Qui organise ?",
        "La commune organise le projet de parrainage. Votre coordinateur est votre contact.",
        "Assurance",
        "Vous êtes assuré en responsabilité civile et contre les accidents pendant les activités "
        "et sur le chemin.",
        "Responsabilité",
        "Vous causez un dommage par accident ? L'assurance paie, pas vous. Sauf en cas "
        "d'intention ou de faute grave.",
        "Discrétion",
        "Ce que votre binôme vous confie reste entre vous. Un doute ? Demandez à votre "
        "coordinateur.",
        "Indemnités",
        "Vous ne recevez pas de salaire. Le projet rembourse les frais des activités avec votre "
        "binôme, sur présentation d'un ticket.",
    ],
    "ar": [
        "مذكرة معلومات للمتطوعين",
        "من ينظم؟",
        "تنظم البلدية مشروع الرفيق. المنسق هو الشخص الذي تتواصل معه.",
        "التأمين",
        "أنت مؤمَّن عليك ضد المسؤولية المدنية والحوادث أثناء الأنشطة وفي الطريق إليها.",
        "المسؤولية",
        "إذا تسببت في ضرر عن غير قصد، يدفع التأمين وليس أنت، إلا في حالة القصد أو الخطأ الجسيم.",
        "السرية",
        "ما يخبرك به رفيقك يبقى بينكما. إذا كنت مترددًا، اسأل المنسق.",
        "التعويضات",
        "لا تحصل على أجر. يعيد المشروع لك تكاليف الأنشطة مع رفيقك مقابل إيصال.",
    ],
}

# How many waiting volunteers are left without their paperwork, so the matching page shows
# why they are not proposed: one never opened the link, one acknowledged but their insurance
# period ended, one was insured by hand but has not acknowledged the note.
NOT_READY = 3


def _body(lines: list[str]) -> str:
    parts = []
    for index in range(1, len(lines), 2):
        parts.append(f"<h2>{lines[index]}</h2><p>{lines[index + 1]}</p>")
    return "".join(parts)


def ensure_volunteering(programme, calendar, locales) -> None:
    """Idempotent. Runs after the participants and before the duos and matching."""
    key = programme.translation_key
    policy = InsurancePolicy.objects.filter(programme_key=key).first()
    if policy is None:
        policy = InsurancePolicy.objects.create(programme=programme, programme_key=key, **POLICY)
    note = _ensure_note(programme, locales)
    volunteers = list(
        Participant.objects.filter(
            programme_key=key,
            role=Role.VOLUNTEER,
            email__endswith="@example.org",
            status__in=[
                Status.INTAKE_DONE,
                Status.WAITING,
                Status.MATCHED,
                Status.ACTIVE,
                Status.COMPLETED,
                Status.STOPPED,
            ],
        ).order_by("pk")
    )
    waiting = [v for v in volunteers if v.status == Status.WAITING]
    held_back = {v.pk: index for index, v in enumerate(waiting[-NOT_READY:])}
    for volunteer in volunteers:
        if volunteer.note_acknowledgements.exists() or volunteer.insurance_covers.exists():
            continue  # done before: a rerun never undoes what happened since
        since = (volunteer.waiting_since or volunteer.created_at).date() - timedelta(days=1)
        since = max(since, policy.valid_from)
        case = held_back.get(volunteer.pk)
        if case == 0:
            continue  # never opened the link
        if case != 2:
            _acknowledge(volunteer, note, since)
        if case == 1:
            ended = timezone.localdate() - timedelta(days=20)
            InsuranceCover.objects.create(
                participant=volunteer,
                policy=policy,
                starts_on=min(since, ended),
                ends_on=ended,
            )
            continue
        ended_on = volunteer.ended_at.date() if volunteer.ended_at else None
        InsuranceCover.objects.create(
            participant=volunteer,
            policy=policy,
            starts_on=since if not ended_on else min(since, ended_on),
            ends_on=ended_on,
        )


def _ensure_note(programme, locales) -> InformationNote:
    key = programme.translation_key
    nl = NOTE["nl"]
    note = InformationNote.objects.filter(programme_key=key, locale=locales["nl"]).first()
    if note is None:
        note = InformationNote.objects.create(
            programme=programme,
            programme_key=key,
            locale=locales["nl"],
            version=1,
            title=nl[0],
            body=_body(nl),
            published_at=timezone.now() - timedelta(days=400),
        )
    for lang in ("en", "fr", "ar"):
        if lang in locales and note.get_translation_or_none(locales[lang]) is None:
            translate_instance(note, locales[lang], dict(zip(nl, NOTE[lang], strict=True)))
    return note


def _acknowledge(volunteer, note, day: date) -> None:
    at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    language = volunteer.preferred_language or "nl"
    NoteAcknowledgement.objects.create(
        participant=volunteer,
        note=note,
        note_key=note.translation_key,
        version=note.version,
        language=language,
        acknowledged_at=at,
    )
    Consent.objects.create(
        participant=volunteer,
        purpose=Consent.Purpose.INFORMATION_NOTE,
        given=True,
        text_version=note.version_label,
        method=Consent.Method.EMAIL_LINK,
        language=language,
        recorded_at=at,
    )
