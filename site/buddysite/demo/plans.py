"""Demo: translated goal options, action plans on the demo duos, and both members' feedback
at the midway moment and at the end (two duos of an earlier round make the anonymised
results on the dashboard show real figures)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from buddypages.duos.models import Duo, DuoFeedback, DuoGoal, FeedbackMoment, GoalRating, Meeting
from buddypages.pages.snippets import GoalOption
from buddypages.registry.choices import Role, Status
from buddypages.registry.models import Participant
from buddysite.demo.translate import translate_instance

GOALS = [
    (
        "doctor",
        {
            "nl": "Nederlands oefenen voor bij de dokter",
            "en": "Practise Dutch for the doctor",
            "fr": "Pratiquer le néerlandais pour le médecin",
            "ar": "التدرّب على الهولندية لزيارة الطبيب",
            "ti": "ንሓኪም ዝኸውን ዳች ምልምማድ",
            "uk": "Практикувати нідерландську для лікаря",
        },
    ),
    (
        "sports-club",
        {
            "nl": "Een sportclub vinden",
            "en": "Find a sports club",
            "fr": "Trouver un club de sport",
            "ar": "إيجاد نادٍ رياضي",
            "ti": "ናይ ስፖርት ክለብ ምርካብ",
            "uk": "Знайти спортивний клуб",
        },
    ),
    (
        "cycling",
        {
            "nl": "Leren fietsen",
            "en": "Learn to cycle",
            "fr": "Apprendre à faire du vélo",
            "ar": "تعلّم ركوب الدراجة",
            "ti": "ብሽክለታ ምዝዋር ምምሃር",
            "uk": "Навчитися їздити на велосипеді",
        },
    ),
    (
        "work",
        {
            "nl": "Werk vinden",
            "en": "Find work",
            "fr": "Trouver du travail",
            "ar": "إيجاد عمل",
            "ti": "ስራሕ ምርካብ",
            "uk": "Знайти роботу",
        },
    ),
    (
        "school",
        {
            "nl": "Praten met de school van de kinderen",
            "en": "Talk with the children's school",
            "fr": "Parler avec l'école des enfants",
            "ar": "التواصل مع مدرسة الأطفال",
            "ti": "ምስ ቤት ትምህርቲ ቆልዑ ምዝራብ",
            "uk": "Спілкуватися зі школою дітей",
        },
    ),
    (
        "phone",
        {
            "nl": "Nederlands aan de telefoon",
            "en": "Dutch on the phone",
            "fr": "Le néerlandais au téléphone",
            "ar": "التحدث بالهولندية على الهاتف",
            "ti": "ብተሌፎን ዳች ምዝራብ",
            "uk": "Нідерландська по телефону",
        },
    ),
    (
        "town",
        {
            "nl": "De stad leren kennen",
            "en": "Get to know the town",
            "fr": "Découvrir la ville",
            "ar": "التعرّف على المدينة",
            "ti": "ነታ ከተማ ምፍላጥ",
            "uk": "Познайомитися з містом",
        },
    ),
    (
        "letters",
        {
            "nl": "Brieven begrijpen",
            "en": "Understand letters",
            "fr": "Comprendre les lettres",
            "ar": "فهم الرسائل",
            "ti": "ደብዳቤታት ምርዳእ",
            "uk": "Розуміти листи",
        },
    ),
]

KEYS = {key for key, _names in GOALS}

# Plans by duo, oldest duo first: keys from the list, or the duo's own words.
PLANS = [
    ["doctor", "cycling", "Samen naar de markt in het centrum"],
    ["doctor", "work", "phone"],
    ["school", "sports-club", "doctor"],
    ["doctor", "town", "Een kaart van de bibliotheek aanvragen"],
]
EARLIER_PLANS = [["doctor", "letters", "cycling"], ["doctor", "work", "sports-club"]]

# Faces per answer: (overall, [per goal]) for the newcomer, then the volunteer.
MIDWAY = [
    ((4, [4, 3, 5]), (4, [3, 4, 4])),
    ((5, [4, 3, 4]), (4, [4, 2, 4])),
    ((3, [4, 4, 2]), (4, [4, 4, 3])),
    ((4, [5, 3, 4]), (5, [4, 3, 5])),
]
END = [
    ((5, [5, 4, 5]), (5, [4, 5, 5])),
    ((4, [5, 4, 5]), (5, [5, 4, 4])),
    ((5, [4, 3, 5]), (4, [5, 3, 4])),
]
COMMENTS = {
    "newcomer": "Ik durf nu zelf te bellen naar de dokter.",
    "volunteer": "We lachen veel. Fietsen gaat nog traag, maar het lukt.",
}


def ensure_goal_options(locales) -> dict[str, GoalOption]:
    options = {}
    for order, (key, names) in enumerate(GOALS):
        option, _created = GoalOption.objects.get_or_create(
            key=key, locale=locales["nl"], defaults={"name": names["nl"], "sort_order": order}
        )
        for lang, name in names.items():
            if (
                lang != "nl"
                and lang in locales
                and option.get_translation_or_none(locales[lang]) is None
            ):
                translate_instance(option, locales[lang], {names["nl"]: name})
        options[key] = option
    return options


def _earlier_round(programme) -> list[Duo]:
    """Two duos of an earlier round, from demo participants who completed without a duo."""
    key = programme.translation_key
    in_duos = Q(duos_as_newcomer__isnull=False) | Q(duos_as_volunteer__isnull=False)
    done = Participant.objects.filter(
        programme_key=key, status=Status.COMPLETED, email__endswith="@example.org"
    ).exclude(in_duos)
    newcomers = list(done.filter(role=Role.NEWCOMER).distinct()[:2])
    volunteers = list(done.filter(role=Role.VOLUNTEER).distinct()[:2])
    if not newcomers or not volunteers:
        return []
    today = timezone.localdate()
    duos = []
    for index, newcomer in enumerate(newcomers):
        volunteer = volunteers[index % len(volunteers)]
        start = today - timedelta(days=400 - 30 * index)
        end, midway = Duo.planned_dates(start, programme.duration_months or 6)
        duo = Duo.objects.create(
            programme=programme,
            programme_key=key,
            newcomer=newcomer,
            volunteer=volunteer,
            introduction="Jullie fietsen allebei graag en wonen in dezelfde wijk.",
            start_date=start,
            planned_end=end,
            feedback_due=midway,
            feedback_done_at=timezone.now() - timedelta(days=(today - midway).days),
            status=Duo.Status.COMPLETED,
            ended_on=end,
        )
        Meeting.objects.bulk_create(
            Meeting(
                duo=duo,
                date=start + timedelta(days=12 * number + 2),
                minutes=180,
                activity="Samen gefietst" if number % 2 else "Koffie en een wandeling",
                logged_by=Meeting.By.NEWCOMER,
                confirmed_by=Meeting.By.VOLUNTEER,
                confirmed_at=timezone.now(),
            )
            for number in range(14)
        )
        duos.append(duo)
    return duos


def _answer(duo: Duo, moment: str, answers, goals: list[DuoGoal], on) -> None:
    for role, (overall, faces) in zip(("newcomer", "volunteer"), answers, strict=True):
        feedback = DuoFeedback.objects.create(
            duo=duo,
            role=role,
            moment=moment,
            overall=overall,
            comment=COMMENTS[role] if moment == FeedbackMoment.END else "",
            language=duo.member(role).preferred_language or "nl",
            submitted_at=on,
        )
        GoalRating.objects.bulk_create(
            GoalRating(feedback=feedback, goal=goal, face=face)
            for goal, face in zip(goals, faces, strict=False)
        )


def ensure_plans(programme, locales) -> None:
    ensure_goal_options(locales)
    key = programme.translation_key
    if DuoGoal.objects.filter(duo__programme_key=key).exists():
        return
    # The duo that has just started has no plan yet: the coordinator writes it in the demo.
    current = list(Duo.objects.filter(programme_key=key).order_by("start_date"))[: len(PLANS)]
    earlier = _earlier_round(programme)
    midway_answers = iter(MIDWAY)
    end_answers = iter(END)
    now = timezone.now()
    for duo, plan in [
        *zip(earlier, EARLIER_PLANS, strict=False),
        *zip(current, PLANS, strict=False),
    ]:
        goals = [
            DuoGoal.objects.create(
                duo=duo,
                key=item if item in KEYS else "",
                text="" if item in KEYS else item,
                position=position,
            )
            for position, item in enumerate(plan, start=1)
        ]
        today = timezone.localdate()
        if duo.feedback_due <= today - timedelta(days=7):
            answers = next(midway_answers, None)
            if answers:
                at = now - timedelta(days=(today - duo.feedback_due).days - 3)
                _answer(duo, FeedbackMoment.MIDWAY, answers, goals, at)
        if duo.status == Duo.Status.COMPLETED:
            answers = next(end_answers, None)
            if answers:
                ended = duo.ended_on or duo.planned_end
                at = now - timedelta(days=(today - ended).days - 2)
                _answer(duo, FeedbackMoment.END, answers, goals, at)
