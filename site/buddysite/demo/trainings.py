# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo: two volunteer trainings in the calendar (the basic training, monthly, its first date
three weeks ago; "talking with people who speak little Dutch" in two weeks), in Dutch with
translations, and who came to the basic training's first date."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.occurrences import aware
from buddypages.calendar.pages import ActivityPage
from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Participant
from buddypages.registry.training import training_attendance_set, training_occurrence
from buddysite.demo.pages import LANGS, _strings, _translate_everywhere
from buddysite.demo.registry import DEMO_EMAIL_DOMAIN

TRAININGS = [
    {
        "slug": "basisvorming-vrijwilligers",
        "topic": "basic",
        "days_from_now": -21,
        "start_time": "19:00",
        "end_time": "21:30",
        "repeat": "monthly_weekday",
        "repeat_count": 6,
        "capacity": 15,
        "place_name": "Administratief Centrum Heidestad",
        "place_address": "Markt 1, 2999 Heidestad",
        "title": {
            "nl": "Basisvorming voor nieuwe vrijwilligers",
            "en": "Basic training for new volunteers",
            "fr": "Formation de base pour les nouveaux bénévoles",
            "ar": "التدريب الأساسي للمتطوّعين الجدد",
            "uk": "Базове навчання для нових волонтерів",
        },
        "summary": {
            "nl": "Voor je eerste duo volg je deze vorming. Ze komt elke maand terug.",
            "en": "You follow this training before your first pair. It comes back every month.",
            "fr": "Vous suivez cette formation avant votre premier binôme. Elle revient chaque mois.",
            "ar": "تحضر هذا التدريب قبل ثنائيّك الأول. يتكرّر كل شهر.",
            "uk": "Ви проходите це навчання перед першою парою. Воно повторюється щомісяця.",
        },
        "description": {
            "nl": "Wat doet een buddy, en wat niet? Hoe maak je afspraken? Wat doe je met een vraag over wonen of werk? De coördinator legt het uit. Je krijgt ook de informatienota en je kunt al je vragen stellen.",
            "en": "What does a buddy do, and what not? How do you make appointments? What do you do with a question about housing or work? The coordinator explains. You also get the information note and you can ask all your questions.",
            "fr": "Que fait un buddy, et que ne fait-il pas ? Comment prendre rendez-vous ? Que faire d'une question sur le logement ou le travail ? Le coordinateur l'explique. Vous recevez aussi la note d'information et vous pouvez poser toutes vos questions.",
            "ar": "ماذا يفعل الرفيق، وما الذي لا يفعله؟ كيف تحدّد المواعيد؟ ماذا تفعل بسؤال عن السكن أو العمل؟ يشرح المنسّق ذلك. وتحصل أيضًا على مذكّرة المعلومات ويمكنك طرح كل أسئلتك.",
            "uk": "Що робить бадді, а чого не робить? Як домовлятися про зустрічі? Що робити з питанням про житло чи роботу? Координатор усе пояснить. Ви також отримаєте інформаційну записку й зможете поставити всі свої запитання.",
        },
    },
    {
        "slug": "praten-met-weinig-nederlands",
        "topic": "little_dutch",
        "days_from_now": 12,
        "start_time": "19:30",
        "end_time": "21:30",
        "repeat": "",
        "repeat_count": None,
        "capacity": 20,
        "place_name": "Bibliotheek Heidestad",
        "place_address": "Stationsstraat 25, 2999 Heidestad",
        "title": {
            "nl": "Praten met mensen die weinig Nederlands spreken",
            "en": "Talking with people who speak little Dutch",
            "fr": "Parler avec des personnes qui parlent peu le néerlandais",
            "ar": "التحدّث مع أشخاص يتكلّمون القليل من الهولندية",
            "uk": "Розмова з людьми, які мало говорять нідерландською",
        },
        "summary": {
            "nl": "Je oefent korte zinnen, gebaren en tekeningen. Samen met andere vrijwilligers.",
            "en": "You practise short sentences, gestures and drawings. Together with other volunteers.",
            "fr": "Vous vous exercez aux phrases courtes, aux gestes et aux dessins. Avec d'autres bénévoles.",
            "ar": "تتدرّب على الجمل القصيرة والإشارات والرسوم. مع متطوّعين آخرين.",
            "uk": "Ви тренуєте короткі речення, жести й малюнки. Разом з іншими волонтерами.",
        },
        "description": {
            "nl": "Een taaldocent toont hoe je duidelijk praat: traag, kort en met gewone woorden. Je leert ook hoe je controleert of je buddy je begrijpt. Daarna wissel je ervaringen uit met andere vrijwilligers.",
            "en": "A language teacher shows how to speak clearly: slowly, briefly and with everyday words. You also learn how to check that your buddy understands you. Then you share experiences with other volunteers.",
            "fr": "Un professeur de langue montre comment parler clairement : lentement, brièvement et avec des mots simples. Vous apprenez aussi à vérifier que votre buddy vous comprend. Ensuite, vous échangez vos expériences avec d'autres bénévoles.",
            "ar": "يبيّن مدرّس لغة كيف تتكلّم بوضوح: ببطء وباختصار وبكلمات يومية. وتتعلّم أيضًا كيف تتأكّد من أن رفيقك يفهمك. بعد ذلك تتبادل الخبرات مع متطوّعين آخرين.",
            "uk": "Викладач мови покаже, як говорити зрозуміло: повільно, коротко й простими словами. Ви також навчитеся перевіряти, чи розуміє вас ваш бадді. Потім ви обміняєтеся досвідом з іншими волонтерами.",
        },
    },
]

# A visitor who signed up for the basic training but is not in the registry (yet): the
# attendance sheet shows why they cannot be recorded.
GUEST = {"name": "Pieter Gastmans", "email": f"pieter.gastmans@{DEMO_EMAIL_DOMAIN}"}


def _ensure_training(calendar, locales, item) -> ActivityPage:
    page = ActivityPage.objects.child_of(calendar).filter(slug=item["slug"]).first()
    if page is None:
        day = timezone.localdate() + timedelta(days=item["days_from_now"])
        page = ActivityPage(
            title=item["title"]["nl"],
            slug=item["slug"],
            locale=locales["nl"],
            kind="volunteer_training",
            training_topic=item["topic"],
            audience="volunteers",
            summary=item["summary"]["nl"],
            start=aware(datetime.combine(day, time.fromisoformat(item["start_time"]))),
            end=aware(datetime.combine(day, time.fromisoformat(item["end_time"]))),
            repeat=item["repeat"],
            repeat_count=item["repeat_count"],
            capacity=item["capacity"],
            place_name=item["place_name"],
            place_address=item["place_address"],
            cost="free",
            description=f"<p>{item['description']['nl']}</p>",
        )
        calendar.add_child(instance=page)
        page.save_revision().publish()
    pairs = [item["title"], item["summary"], item["description"]]
    _translate_everywhere(page, locales, {lang: _strings(*pairs, lang=lang) for lang in LANGS})
    return page


def _ensure_attendance(basic: ActivityPage, programme) -> None:
    """Six volunteers came to the first date: four signed up, two just came. One more sign-up
    is someone the registry does not know."""
    occurrence = training_occurrence(basic, basic.start)
    if occurrence is None:
        return
    volunteers = list(
        Participant.objects.not_anonymised()
        .in_programme(programme)
        .filter(
            role=Role.VOLUNTEER,
            status__in=[Status.WAITING, Status.MATCHED, Status.ACTIVE, Status.INTAKE_DONE],
            email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
        )
        .order_by("pk")[:6]
    )
    for number, volunteer in enumerate(volunteers):
        signup = None
        if number < 4:
            signup, _created = ActivitySignup.objects.get_or_create(
                activity=basic,
                occurrence_start=occurrence.start,
                email=volunteer.email,
                defaults={"name": volunteer.full_name, "language": "nl"},
            )
        training_attendance_set(
            activity=basic,
            occurrence_start=occurrence.start,
            participant=volunteer,
            attended=True,
            user=None,
            signup=signup,
        )
    ActivitySignup.objects.get_or_create(
        activity=basic,
        occurrence_start=occurrence.start,
        email=GUEST["email"],
        defaults={"name": GUEST["name"], "language": "nl"},
    )


def ensure_trainings(programme, calendar, locales) -> None:
    """Idempotent. Runs after the volunteers' paperwork and before the duos and matching."""
    pages = [_ensure_training(calendar, locales, item) for item in TRAININGS]
    _ensure_attendance(pages[0], programme)
