# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo registry: interests, the two sign-up forms, and fake participants.

The participants are invented (random combinations of common first and last
names, addresses at example.org); never load real people here.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from buddypages.models import ProgrammePage, RegistrationPage
from buddypages.pages.snippets import Interest
from buddypages.registry.choices import (
    AVAILABILITY_SLOTS,
    AgeBand,
    DutchLevel,
    Household,
    Role,
    Status,
    availability_mask,
)
from buddypages.registry.models import Consent, Participant, ParticipantLanguage, StatusChange
from buddysite.demo.translate import translate_instance

LANGS = ("en", "fr", "ar", "uk")
DEMO_EMAIL_DOMAIN = "example.org"

INTERESTS = [
    (
        "cycling",
        {"nl": "Fietsen", "en": "Cycling", "fr": "Vélo", "ar": "ركوب الدراجة", "uk": "Велосипед"},
    ),
    (
        "walking",
        {"nl": "Wandelen", "en": "Walking", "fr": "Promenade", "ar": "المشي", "uk": "Прогулянки"},
    ),
    (
        "cooking",
        {"nl": "Koken", "en": "Cooking", "fr": "Cuisine", "ar": "الطبخ", "uk": "Кулінарія"},
    ),
    (
        "football",
        {"nl": "Voetbal", "en": "Football", "fr": "Football", "ar": "كرة القدم", "uk": "Футбол"},
    ),
    ("music", {"nl": "Muziek", "en": "Music", "fr": "Musique", "ar": "الموسيقى", "uk": "Музика"}),
    (
        "reading",
        {"nl": "Lezen", "en": "Reading", "fr": "Lecture", "ar": "القراءة", "uk": "Читання"},
    ),
    (
        "gardening",
        {
            "nl": "Tuinieren",
            "en": "Gardening",
            "fr": "Jardinage",
            "ar": "البستنة",
            "uk": "Садівництво",
        },
    ),
    (
        "crafts",
        {
            "nl": "Knutselen en handwerk",
            "en": "Crafts",
            "fr": "Bricolage et travaux manuels",
            "ar": "الأشغال اليدوية",
            "uk": "Рукоділля",
        },
    ),
    (
        "culture",
        {
            "nl": "Museum en theater",
            "en": "Museums and theatre",
            "fr": "Musée et théâtre",
            "ar": "المتاحف والمسرح",
            "uk": "Музеї та театр",
        },
    ),
    (
        "games",
        {
            "nl": "Gezelschapsspelletjes",
            "en": "Board games",
            "fr": "Jeux de société",
            "ar": "ألعاب الطاولة",
            "uk": "Настільні ігри",
        },
    ),
    (
        "coffee",
        {
            "nl": "Koffie drinken en babbelen",
            "en": "Coffee and a chat",
            "fr": "Un café et une discussion",
            "ar": "القهوة والدردشة",
            "uk": "Кава і розмова",
        },
    ),
    (
        "children",
        {
            "nl": "Uitstappen met kinderen",
            "en": "Outings with children",
            "fr": "Sorties avec des enfants",
            "ar": "نزهات مع الأطفال",
            "uk": "Прогулянки з дітьми",
        },
    ),
]

PRIVACY = {
    "nl": "<p>We bewaren je antwoorden om een buddy voor je te zoeken en jullie duo op te volgen. Alleen de coördinatoren zien ze. We delen ze met niemand anders. Een jaar na het einde van je traject maken we ze anoniem. Je mag altijd vragen om je gegevens te zien of te wissen.</p>",
    "en": "<p>We keep your answers to find you a buddy and to follow up on your duo. Only the coordinators see them. We share them with no one else. One year after your trajectory ends, we make them anonymous. You can always ask to see or erase your data.</p>",
    "fr": "<p>Nous gardons vos réponses pour vous trouver un buddy et suivre votre duo. Seuls les coordinateurs les voient. Nous ne les partageons avec personne. Un an après la fin de votre parcours, nous les rendons anonymes. Vous pouvez toujours demander à voir ou effacer vos données.</p>",
    "ar": "<p>نحتفظ بإجاباتك لنجد لك رفيقًا ولنتابع ثنائيكما. المنسّقون فقط يرونها. لا نشاركها مع أحد آخر. بعد سنة من نهاية مسارك نجعلها مجهولة الهوية. يمكنك دائمًا أن تطلب رؤية بياناتك أو حذفها.</p>",
    "uk": "<p>Ми зберігаємо ваші відповіді, щоб знайти вам бадді та супроводжувати ваш дует. Їх бачать лише координатори. Ми ні з ким їх не ділимо. Через рік після завершення вашої участі ми робимо їх анонімними. Ви завжди можете попросити показати або видалити ваші дані.</p>",
}
THANKS = {
    "nl": "<p>Bedankt! We hebben je aanmelding goed ontvangen. Een coördinator neemt binnen twee weken contact met je op voor een kennismakingsgesprek.</p>",
    "en": "<p>Thank you! We received your sign-up. A coordinator will contact you within two weeks for a first conversation.</p>",
    "fr": "<p>Merci ! Nous avons bien reçu votre inscription. Un coordinateur vous contactera dans les deux semaines pour un premier entretien.</p>",
    "ar": "<p>شكرًا! لقد استلمنا تسجيلك. سيتواصل معك منسّق خلال أسبوعين لإجراء محادثة تعارف.</p>",
    "uk": "<p>Дякуємо! Ми отримали вашу реєстрацію. Координатор зв'яжеться з вами протягом двох тижнів для знайомства.</p>",
}
FORMS = {
    Role.NEWCOMER: {
        "slug": "aanmelden-nieuwkomer",
        "title": {
            "nl": "Aanmelden als nieuwkomer",
            "en": "Sign up as a newcomer",
            "fr": "Inscription comme nouvel arrivant",
            "ar": "التسجيل كقادم جديد",
            "uk": "Реєстрація для новоприбулих",
        },
        "intro": {
            "nl": "<p>Je woont nog niet lang in Heidestad en je leert Nederlands? Vraag dan een buddy. Jullie spreken zes maanden lang twee keer per maand af. Het is gratis.</p>",
            "en": "<p>Have you come to live in Heidestad recently, and are you learning Dutch? Ask for a buddy. You meet twice a month for six months. It is free.</p>",
            "fr": "<p>Vous habitez depuis peu à Heidestad et vous apprenez le néerlandais ? Demandez un buddy. Vous vous voyez deux fois par mois pendant six mois. C'est gratuit.</p>",
            "ar": "<p>هل تسكن في هايدستاد منذ وقت قصير وتتعلّم اللغة الهولندية؟ اطلب رفيقًا. تلتقيان مرتين في الشهر لمدة ستة أشهر. الخدمة مجانية.</p>",
            "uk": "<p>Ви нещодавно живете в Гайдестаді та вивчаєте нідерландську? Попросіть бадді. Ви зустрічаєтеся двічі на місяць протягом шести місяців. Це безкоштовно.</p>",
        },
    },
    Role.VOLUNTEER: {
        "slug": "aanmelden-vrijwilliger",
        "title": {
            "nl": "Aanmelden als buddy",
            "en": "Sign up as a buddy",
            "fr": "Inscription comme buddy",
            "ar": "التسجيل كرفيق",
            "uk": "Реєстрація для бадді",
        },
        "intro": {
            "nl": "<p>Je spreekt Nederlands en je wilt iemand helpen om zich thuis te voelen in Heidestad? Word buddy. Je hebt geen ervaring nodig, wel tijd: twee keer per maand, zes maanden lang.</p>",
            "en": "<p>Do you speak Dutch and want to help someone feel at home in Heidestad? Become a buddy. You need no experience, only time: twice a month, for six months.</p>",
            "fr": "<p>Vous parlez néerlandais et vous voulez aider quelqu'un à se sentir chez soi à Heidestad ? Devenez buddy. Pas besoin d'expérience, seulement du temps : deux fois par mois, pendant six mois.</p>",
            "ar": "<p>هل تتكلّم الهولندية وتريد مساعدة شخص ليشعر أنه في بيته في هايدستاد؟ كن رفيقًا. لا تحتاج إلى خبرة، بل إلى وقت: مرتين في الشهر لمدة ستة أشهر.</p>",
            "uk": "<p>Ви говорите нідерландською і хочете допомогти комусь почуватися вдома в Гайдестаді? Станьте бадді. Досвід не потрібен, лише час: двічі на місяць протягом шести місяців.</p>",
        },
    },
}

NEWCOMER_FIRST = [
    "Amina",
    "Yusuf",
    "Olena",
    "Dmytro",
    "Fatima",
    "Ahmad",
    "Mariam",
    "Hamid",
    "Selam",
    "Tesfay",
    "Hodan",
    "Abdi",
    "Leila",
    "Omar",
    "Nadia",
    "Karim",
    "Zainab",
    "Ali",
    "Sofiia",
    "Ivan",
]
NEWCOMER_LAST = [
    "Haddad",
    "Kovalenko",
    "Rahimi",
    "Tesfamariam",
    "Warsame",
    "Yilmaz",
    "Ahmadi",
    "Bondarenko",
    "Mansour",
    "Habibi",
]
VOLUNTEER_FIRST = [
    "Lotte",
    "Jan",
    "Els",
    "Pieter",
    "An",
    "Koen",
    "Marie",
    "Wouter",
    "Sarah",
    "Bart",
    "Hilde",
    "Tom",
    "Ine",
    "Luc",
]
VOLUNTEER_LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
]
NEIGHBOURHOODS = [
    ("2990", "Centrum"),
    ("2990", "Stationswijk"),
    ("2991", "Heide-Noord"),
    ("2992", "Heide-Zuid"),
    ("2993", "Molenwijk"),
    ("2994", "Kerkhoven"),
]
NEWCOMER_LANGUAGES = [
    ["ar"],
    ["ar", "fr"],
    ["uk", "ru"],
    ["fa", "prs"],
    ["ps", "fa"],
    ["ti", "am"],
    ["so", "ar"],
    ["tr", "ku"],
    ["fr"],
    ["en", "fr"],
    ["uk", "en"],
    ["ar", "en"],
]
# Languages of volunteers who came to Belgium as newcomers themselves.
FORMER_NEWCOMER_LANGUAGES = [["ar"], ["uk", "ru"], ["ti"], ["fa", "prs"], ["ar", "fr"], ["so"]]
STATUS_SPREAD = (
    [Status.SIGNED_UP] * 6
    + [Status.INTAKE_PLANNED] * 3
    + [Status.INTAKE_DONE] * 2
    + [Status.WAITING] * 10
    + [Status.MATCHED] * 2
    + [Status.ACTIVE] * 5
    + [Status.COMPLETED] * 2
    + [Status.STOPPED]
)
PREFERRED = {
    "ar": "ar",
    "uk": "uk",
    "fa": "fa",
    "ps": "ps",
    "ti": "ti",
    "so": "so",
    "tr": "tr",
    "fr": "fr",
    "en": "en",
}


def ensure_interests(locales) -> dict[str, Interest]:
    interests = {}
    for order, (key, names) in enumerate(INTERESTS):
        interest, _created = Interest.objects.get_or_create(
            key=key, locale=locales["nl"], defaults={"name": names["nl"], "sort_order": order}
        )
        for lang in LANGS:
            if interest.get_translation_or_none(locales[lang]) is None:
                translate_instance(interest, locales[lang], {names["nl"]: names[lang]})
        interests[key] = interest
    return interests


def ensure_registration_pages(
    programme: ProgrammePage,
    locales,
    programme_strings: dict[str, dict[str, str]],
    forms: dict | None = None,
) -> dict[str, RegistrationPage]:
    """Both sign-up forms under the programme, translated; the programme's two
    calls to action point at them in every language (page links are shown in
    the reader's language, so each language leads to its own form)."""
    forms = forms or FORMS
    pages = {}
    for role, data in forms.items():
        page = RegistrationPage.objects.child_of(programme).filter(slug=data["slug"]).first()
        if page is None:
            page = RegistrationPage(
                title=data["title"]["nl"],
                slug=data["slug"],
                role=role,
                intro=data["intro"]["nl"],
                privacy_summary=PRIVACY["nl"],
                privacy_version="2026-11",
                thank_you=THANKS["nl"],
                locale=locales["nl"],
            )
            programme.add_child(instance=page)
            page.save_revision().publish()
        pages[role] = page
    _point_calls_to_action(programme, pages)
    for page in pages.values():
        data = forms[page.role]
        for lang in LANGS:
            if page.get_translation_or_none(locales[lang]) is None:
                strings = {data["title"]["nl"]: data["title"][lang]}
                strings.update(_rich(data["intro"], lang))
                strings.update(_rich(PRIVACY, lang))
                strings.update(_rich(THANKS, lang))
                translate_instance(page, locales[lang], strings)
    # Translations made before the forms existed still link elsewhere: sync them.
    for lang in LANGS:
        translated = programme.get_translation_or_none(locales[lang])
        first = next(iter(translated.calls_to_action), None) if translated else None
        if first is not None and first.value["page"].specific_class is not RegistrationPage:
            translate_instance(programme, locales[lang], programme_strings[lang])
    return pages


def _rich(texts: dict[str, str], lang: str) -> dict[str, str]:
    """wagtail-localize offers rich text one paragraph at a time, without the <p>."""
    return {
        texts["nl"].removeprefix("<p>").removesuffix("</p>"): texts[lang]
        .removeprefix("<p>")
        .removesuffix("</p>")
    }


def _point_calls_to_action(programme: ProgrammePage, pages) -> None:
    programme.refresh_from_db()
    ctas = list(programme.calls_to_action)
    if not ctas or ctas[0].value["page"].specific_class is RegistrationPage:
        return
    targets = [pages[Role.NEWCOMER], pages[Role.VOLUNTEER]]
    programme.calls_to_action = [
        ("call_to_action", {"text": cta.value["text"], "page": target, "url": ""})
        for cta, target in zip(ctas, targets, strict=False)
    ]
    programme.save_revision().publish()


def ensure_participants(
    programme: ProgrammePage,
    pages: dict[str, RegistrationPage],
    interests,
    count: int,
    *,
    neighbourhoods: list[tuple[str, str]] = NEIGHBOURHOODS,
    seed: int = 2026,
    tag: str = "",
) -> int:
    """Add fake participants to ``programme`` until it has ``count``; returns how many exist.

    Another municipality passes its own ``neighbourhoods``, ``seed`` and an email ``tag``, so
    its people are not copies of the first one's.
    """
    existing = Participant.objects.filter(
        programme_key=programme.translation_key, email__endswith=f"@{DEMO_EMAIL_DOMAIN}"
    ).count()
    rng = random.Random(seed)  # noqa: S311 (fake demo data, not security)
    now = timezone.now()
    interest_list = list(interests.values())
    volunteers_by_status: dict[str, int] = {}
    for number in range(count):
        # Draw for every number, so a bigger count keeps the first ones the same.
        role = Role.NEWCOMER if rng.random() < 0.55 else Role.VOLUNTEER
        first = rng.choice(NEWCOMER_FIRST if role == Role.NEWCOMER else VOLUNTEER_FIRST)
        last = rng.choice(NEWCOMER_LAST if role == Role.NEWCOMER else VOLUNTEER_LAST)
        spoken = (
            rng.choice(NEWCOMER_LANGUAGES)
            if role == Role.NEWCOMER
            else ["nl", *rng.sample(["en", "fr", "de"], rng.randint(0, 2))]
        )
        postcode, neighbourhood = rng.choice(neighbourhoods)
        status = STATUS_SPREAD[number % len(STATUS_SPREAD)]
        signed_up = now - timedelta(days=rng.randint(3, 200))
        if status == Status.SIGNED_UP:
            # Fresh sign-ups: older ones would be removed by retention as abandoned.
            signed_up = now - timedelta(days=rng.randint(1, 60))
        slots = rng.sample(AVAILABILITY_SLOTS, rng.randint(2, 6))
        chosen = rng.sample(interest_list, rng.randint(1, 4))
        gender = rng.choice(["woman", "man", "woman", "man", ""])
        wish = "woman" if gender == "woman" and rng.random() < 0.3 else ""
        if role == Role.VOLUNTEER:
            volunteers_by_status[status] = seen = volunteers_by_status.get(status, 0) + 1
            if seen % 2 == 0:
                # Every second volunteer (of each status) is a former newcomer who now speaks
                # Dutch: the best buddies often are. Drawn apart, so the main sequence (and
                # every other demo person) stays the same.
                former = random.Random(number)  # noqa: S311 (fake demo data)
                first, last = former.choice(NEWCOMER_FIRST), former.choice(NEWCOMER_LAST)
                languages = FORMER_NEWCOMER_LANGUAGES[
                    (seen // 2 - 1) % len(FORMER_NEWCOMER_LANGUAGES)
                ]
                spoken = ["nl", *languages]
        if number < existing:
            continue
        participant = Participant.objects.create(
            programme=programme,
            programme_key=programme.translation_key,
            role=role,
            status=status,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{tag}{number:04d}@{DEMO_EMAIL_DOMAIN}".lower().replace(" ", ""),
            phone=f"0470 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            preferred_language=PREFERRED.get(spoken[0], settings.LANGUAGE_CODE)
            if role == Role.NEWCOMER
            else "nl",
            form_language=PREFERRED.get(spoken[0], "nl") if role == Role.NEWCOMER else "nl",
            dutch_level=rng.choice(DutchLevel.values) if role == Role.NEWCOMER else "",
            postcode=postcode,
            neighbourhood=neighbourhood,
            age_band=rng.choice(AgeBand.values),
            household=rng.choice(Household.values),
            gender=gender,
            buddy_gender=wish,
            availability=availability_mask(slots),
            hopes="Nederlands oefenen en de stad leren kennen." if role == Role.NEWCOMER else "",
            experience="" if role == Role.NEWCOMER else "Ik gaf al les in een taalcafé.",
            max_duos=1 if role == Role.NEWCOMER else rng.choice([1, 1, 2]),
            created_at=signed_up,
            last_signup_at=signed_up,
            status_changed_at=signed_up + timedelta(days=2),
            waiting_since=signed_up + timedelta(days=2) if status == Status.WAITING else None,
            ended_at=now - timedelta(days=rng.randint(1, 60))
            if status in (Status.COMPLETED, Status.STOPPED)
            else None,
        )
        ParticipantLanguage.objects.bulk_create(
            ParticipantLanguage(participant=participant, code=code) for code in spoken
        )
        participant.interests.set(chosen)
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.PROGRAMME,
            given=True,
            text_version=f"{pages[role].privacy_version} (demo)",
            method=Consent.Method.WEB_FORM,
            language=participant.form_language,
            recorded_at=signed_up,
        )
        StatusChange.objects.create(
            participant=participant, to_status=Status.SIGNED_UP, changed_at=signed_up, note="demo"
        )
        if status != Status.SIGNED_UP:
            StatusChange.objects.create(
                participant=participant,
                from_status=Status.SIGNED_UP,
                to_status=status,
                changed_at=signed_up + timedelta(days=2),
                note="demo",
            )
    return max(existing, count)
