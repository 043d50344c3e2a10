# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo: the second municipality, "Buddywerking Bosdonk", a small town with its own site
(``bosdonk.localhost``), look, languages, programme, sign-up forms, calendar and tips.

Fictional, like Heidestad. Dutch first, plain language, translated into the five languages
the town offers (nl, en, fr, ar, uk). Shapes follow the Heidestad data modules, so the same
``ensure_*`` functions build it.
"""

from buddypages.registry.choices import Role

SLUG = "bosdonk"
NAME = "Buddywerking Bosdonk"
COLOUR = "#0b5d62"  # pond green: 7.6:1 under white text
FOCUS_COLOUR = "#a3410c"  # rust: 6.3:1 on white
LANGUAGES = ["nl", "en", "fr", "ar", "uk"]
REPLY_TO = "buddywerking@bosdonk.example.org"
# A smaller town: this share of the participants asked for (36 of the default 60).
PARTICIPANT_SHARE = 0.6
SEED = 2027
EMAIL_TAG = "bd"

HOME = {
    "title": {
        "nl": "Welkom bij de buddywerking van Bosdonk",
        "en": "Welcome to the Bosdonk buddy programme",
        "fr": "Bienvenue au programme buddy de Bosdonk",
        "ar": "أهلًا بكم في برنامج الرفيق في بوسدونك",
        "uk": "Ласкаво просимо до бадді-програми Босдонка",
    },
    "intro": {
        "nl": "In Bosdonk kent iedereen elkaar. Leer ook jij je buren kennen, en oefen samen Nederlands.",
        "en": "In Bosdonk everyone knows each other. Get to know your neighbours too, and practise Dutch together.",
        "fr": "À Bosdonk, tout le monde se connaît. Faites vous aussi connaissance avec vos voisins et pratiquez le néerlandais ensemble.",
        "ar": "في بوسدونك يعرف الجميع بعضهم بعضًا. تعرّف أنت أيضًا على جيرانك، وتدرّبوا معًا على الهولندية.",
        "uk": "У Босдонку всі знають одне одного. Познайомтеся й ви із сусідами та разом практикуйте нідерландську.",
    },
    "heading": {
        "nl": "Een buddy in je dorp",
        "en": "A buddy in your village",
        "fr": "Un buddy dans votre village",
        "ar": "رفيق في قريتك",
        "uk": "Бадді у вашому селі",
    },
    "text": {
        "nl": "Je spreekt af met iemand uit Bosdonk. Jullie gaan samen naar de markt, de bib of het bos. Zo leer je Nederlands en het dorp kennen.",
        "en": "You meet someone from Bosdonk. You go to the market, the library or the woods together. That way you get to know Dutch and the village.",
        "fr": "Vous rencontrez une personne de Bosdonk. Vous allez ensemble au marché, à la bibliothèque ou dans les bois. Ainsi, vous apprenez le néerlandais et vous découvrez le village.",
        "ar": "تلتقي بشخص من بوسدونك. تذهبان معًا إلى السوق أو المكتبة أو الغابة. هكذا تتعلّم الهولندية وتتعرّف على القرية.",
        "uk": "Ви зустрічаєтеся з кимось із Босдонка. Разом ходите на ринок, до бібліотеки чи в ліс. Так ви вивчаєте нідерландську й знайомитеся із селом.",
    },
}

PROGRAMME = {
    "title": {
        "nl": "Buddywerking Bosdonk",
        "en": "Buddy programme Bosdonk",
        "fr": "Programme buddy de Bosdonk",
        "ar": "برنامج الرفيق في بوسدونك",
        "uk": "Бадді-програма в Босдонку",
    },
    "slug": "buddywerking",
    "summary": {
        "nl": "Een nieuwkomer en een inwoner van Bosdonk spreken vier maanden lang af. Ze oefenen Nederlands. Meedoen is gratis.",
        "en": "A newcomer and a resident of Bosdonk meet for four months. They practise Dutch. Taking part is free.",
        "fr": "Un nouvel arrivant et un habitant de Bosdonk se voient pendant quatre mois. Ils pratiquent le néerlandais. La participation est gratuite.",
        "ar": "يلتقي قادم جديد وساكن من بوسدونك لمدة أربعة أشهر. يتدرّبان على الهولندية. المشاركة مجانية.",
        "uk": "Новоприбулий і мешканець Босдонка зустрічаються чотири місяці. Вони практикують нідерландську. Участь безкоштовна.",
    },
    "goals": [
        {
            "nl": "Nieuwkomers leren mensen uit het dorp kennen.",
            "en": "Newcomers get to know people from the village.",
            "fr": "Les nouveaux arrivants rencontrent des gens du village.",
            "ar": "يتعرّف القادمون الجدد على أهل القرية.",
            "uk": "Новоприбулі знайомляться з людьми із села.",
        },
        {
            "nl": "Nieuwkomers oefenen Nederlands.",
            "en": "Newcomers practise Dutch.",
            "fr": "Les nouveaux arrivants pratiquent le néerlandais.",
            "ar": "يتدرّب القادمون الجدد على الهولندية.",
            "uk": "Новоприбулі практикують нідерландську.",
        },
    ],
    "for_newcomers": {
        "nl": "Je woont in Bosdonk en je leert Nederlands. Je bent 18 jaar of ouder.",
        "en": "You live in Bosdonk and you are learning Dutch. You are 18 or older.",
        "fr": "Vous habitez à Bosdonk et vous apprenez le néerlandais. Vous avez 18 ans ou plus.",
        "ar": "تسكن في بوسدونك وتتعلّم الهولندية. عمرك 18 سنة أو أكثر.",
        "uk": "Ви живете в Босдонку й вивчаєте нідерландську. Вам 18 років або більше.",
    },
    "for_volunteers": {
        "nl": "Je woont in Bosdonk en je spreekt Nederlands. Je hebt twee keer per maand een uurtje tijd.",
        "en": "You live in Bosdonk and you speak Dutch. You have an hour free twice a month.",
        "fr": "Vous habitez à Bosdonk et vous parlez néerlandais. Vous avez une heure libre deux fois par mois.",
        "ar": "تسكن في بوسدونك وتتحدّث الهولندية. لديك ساعة فراغ مرتين في الشهر.",
        "uk": "Ви живете в Босдонку й говорите нідерландською. Двічі на місяць маєте вільну годину.",
    },
    "duration_months": 4,
    "meetings_per_month": 2,
    "steps": [
        {
            "kind": "sign_up",
            "title": {
                "nl": "Aanmelden",
                "en": "Sign up",
                "fr": "Inscription",
                "ar": "التسجيل",
                "uk": "Реєстрація",
            },
            "text": {
                "nl": "Vul het formulier in of kom langs in het gemeentehuis.",
                "en": "Fill in the form or drop by at the town hall.",
                "fr": "Remplissez le formulaire ou passez à la maison communale.",
                "ar": "املأ الاستمارة أو تعال إلى مبنى البلدية.",
                "uk": "Заповніть форму або зайдіть до ратуші.",
            },
        },
        {
            "kind": "matching",
            "title": {
                "nl": "Kennismaken",
                "en": "Meet",
                "fr": "Faire connaissance",
                "ar": "التعارف",
                "uk": "Знайомство",
            },
            "text": {
                "nl": "De coördinator zoekt een buddy voor je. Jullie maken samen kennis.",
                "en": "The coordinator finds a buddy for you. You meet each other together.",
                "fr": "Le coordinateur vous trouve un buddy. Vous faites connaissance ensemble.",
                "ar": "يبحث المنسّق عن رفيق لك. وتتعارفان معًا.",
                "uk": "Координатор знаходить вам бадді. Ви разом знайомитеся.",
            },
        },
    ],
    "buddy_does": [
        {
            "nl": "Een buddy praat Nederlands met je.",
            "en": "A buddy speaks Dutch with you.",
            "fr": "Un buddy parle néerlandais avec vous.",
            "ar": "الرفيق يتحدّث معك بالهولندية.",
            "uk": "Бадді говорить з вами нідерландською.",
        },
    ],
    "buddy_does_not": [
        {
            "nl": "Een buddy is geen leerkracht.",
            "en": "A buddy is not a teacher.",
            "fr": "Un buddy n'est pas un enseignant.",
            "ar": "الرفيق ليس معلّمًا.",
            "uk": "Бадді не є вчителем.",
        },
    ],
    "faq": [
        {
            "question": {
                "nl": "Kost meedoen iets?",
                "en": "Does it cost anything to take part?",
                "fr": "La participation est-elle payante ?",
                "ar": "هل المشاركة مدفوعة؟",
                "uk": "Чи платна участь?",
            },
            "answer": {
                "nl": "Nee, meedoen is gratis.",
                "en": "No, taking part is free.",
                "fr": "Non, la participation est gratuite.",
                "ar": "لا، المشاركة مجانية.",
                "uk": "Ні, участь безкоштовна.",
            },
        },
    ],
    "testimonials": [
        {
            "quote": {
                "nl": "Mijn buddy nam me mee naar de fanfare. Nu speel ik er zelf.",
                "en": "My buddy took me to the brass band. Now I play in it myself.",
                "fr": "Mon buddy m'a emmené à la fanfare. Maintenant, j'y joue moi-même.",
                "ar": "أخذني رفيقي إلى الفرقة الموسيقية. الآن أعزف فيها بنفسي.",
                "uk": "Мій бадді привів мене до духового оркестру. Тепер я сам у ньому граю.",
            },
            "first_name": "Yusuf",
            "role": "newcomer",
        },
    ],
    "contact": {
        "name": "Els Maes",
        "role": {
            "nl": "Coördinator buddywerking",
            "en": "Buddy programme coordinator",
            "fr": "Coordinatrice du programme buddy",
            "ar": "منسّقة برنامج الرفيق",
            "uk": "Координаторка бадді-програми",
        },
        "email": REPLY_TO,
        "phone": "+32 14 12 34 56",
    },
    "ctas": [
        {
            "text": {
                "nl": "Meld je aan als nieuwkomer",
                "en": "Sign up as a newcomer",
                "fr": "Inscrivez-vous comme nouvel arrivant",
                "ar": "سجّل بصفتك قادمًا جديدًا",
                "uk": "Зареєструйтеся як новоприбулий",
            },
        },
        {
            "text": {
                "nl": "Word buddy",
                "en": "Become a buddy",
                "fr": "Devenez buddy",
                "ar": "كن رفيقًا",
                "uk": "Станьте бадді",
            },
        },
    ],
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
            "nl": "<p>Je woont in Bosdonk en je leert Nederlands? Vraag een buddy. Het is gratis.</p>",
            "en": "<p>Do you live in Bosdonk and are you learning Dutch? Ask for a buddy. It is free.</p>",
            "fr": "<p>Vous habitez à Bosdonk et vous apprenez le néerlandais ? Demandez un buddy. C'est gratuit.</p>",
            "ar": "<p>هل تسكن في بوسدونك وتتعلّم الهولندية؟ اطلب رفيقًا. الخدمة مجانية.</p>",
            "uk": "<p>Ви живете в Босдонку й вивчаєте нідерландську? Попросіть бадді. Це безкоштовно.</p>",
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
            "nl": "<p>Je spreekt Nederlands en je woont in Bosdonk? Word buddy van een nieuwe dorpsgenoot.</p>",
            "en": "<p>Do you speak Dutch and live in Bosdonk? Become the buddy of a new villager.</p>",
            "fr": "<p>Vous parlez néerlandais et vous habitez à Bosdonk ? Devenez le buddy d'un nouvel habitant du village.</p>",
            "ar": "<p>هل تتحدّث الهولندية وتسكن في بوسدونك؟ كن رفيقًا لساكن جديد في القرية.</p>",
            "uk": "<p>Ви говорите нідерландською й живете в Босдонку? Станьте бадді для нового односельця.</p>",
        },
    },
}

TIP_INDEX = {
    "title": {
        "nl": "Taaltips",
        "en": "Language tips",
        "fr": "Astuces de langue",
        "ar": "نصائح لغوية",
        "uk": "Мовні поради",
    },
    "intro": {
        "nl": "Woorden en zinnen voor elke dag in Bosdonk.",
        "en": "Words and sentences for every day in Bosdonk.",
        "fr": "Des mots et des phrases pour chaque jour à Bosdonk.",
        "ar": "كلمات وجمل لكل يوم في بوسدونك.",
        "uk": "Слова й речення на кожен день у Босдонку.",
    },
}
# How many of the demo's language tips the town's index holds.
TIP_COUNT = 3

CALENDAR = {
    "title": {
        "nl": "Activiteiten",
        "en": "Activities",
        "fr": "Activités",
        "ar": "الأنشطة",
        "uk": "Заходи",
    },
    "intro": {
        "nl": "Wat er te doen is in Bosdonk. Iedereen is welkom.",
        "en": "What is on in Bosdonk. Everyone is welcome.",
        "fr": "Ce qui se passe à Bosdonk. Tout le monde est le bienvenu.",
        "ar": "ما يجري في بوسدونك. الجميع مرحَّب بهم.",
        "uk": "Що відбувається в Босдонку. Усі бажані.",
    },
}


def _activity(slug, days, start, end, kind, audience, place, title, summary, description):
    return {
        "slug": slug,
        "kind": kind,
        "audience": audience,
        "days_from_now": days,
        "start_time": start,
        "end_time": end,
        "all_day": False,
        "repeat": "",
        "repeat_count": None,
        "capacity": 20,
        "place_name": place,
        "place_address": "Dorpsplein 1, 2999 Bosdonk",
        "cost": "free",
        "price": None,
        "title": title,
        "summary": summary,
        "description": description,
        "accessibility": {"nl": ""},
    }


ACTIVITIES = [
    _activity(
        "praatcafe",
        4,
        "14:00",
        "16:00",
        "buddy_cafe",
        "everyone",
        "Café De Linde",
        {
            "nl": "Praatcafé",
            "en": "Conversation café",
            "fr": "Café-conversation",
            "ar": "مقهى المحادثة",
            "uk": "Розмовне кафе",
        },
        {
            "nl": "Koffie drinken en Nederlands praten.",
            "en": "Have a coffee and speak Dutch.",
            "fr": "Boire un café et parler néerlandais.",
            "ar": "نشرب القهوة ونتحدّث بالهولندية.",
            "uk": "П'ємо каву й говоримо нідерландською.",
        },
        {
            "nl": "We zitten samen aan tafel. Je praat over je week. De koffie is gratis.",
            "en": "We sit at the table together. You talk about your week. The coffee is free.",
            "fr": "Nous nous asseyons ensemble à table. Vous parlez de votre semaine. Le café est gratuit.",
            "ar": "نجلس معًا إلى الطاولة. تتحدّث عن أسبوعك. القهوة مجانية.",
            "uk": "Ми сидимо разом за столом. Ви розповідаєте про свій тиждень. Кава безкоштовна.",
        },
    ),
    _activity(
        "boswandeling",
        11,
        "10:00",
        "12:00",
        "group_activity",
        "everyone",
        "Parking Bosdonkse Heide",
        {
            "nl": "Wandeling in het bos",
            "en": "Walk in the woods",
            "fr": "Promenade dans les bois",
            "ar": "نزهة في الغابة",
            "uk": "Прогулянка лісом",
        },
        {
            "nl": "Samen wandelen en de namen van bomen leren.",
            "en": "Walk together and learn the names of trees.",
            "fr": "Marcher ensemble et apprendre le nom des arbres.",
            "ar": "نمشي معًا ونتعلّم أسماء الأشجار.",
            "uk": "Гуляємо разом і вивчаємо назви дерев.",
        },
        {
            "nl": "We wandelen twee uur. Draag goede schoenen. Na afloop drinken we thee.",
            "en": "We walk for two hours. Wear good shoes. Afterwards we have tea.",
            "fr": "Nous marchons deux heures. Portez de bonnes chaussures. Ensuite, nous buvons un thé.",
            "ar": "نمشي ساعتين. البس حذاءً مريحًا. بعد ذلك نشرب الشاي.",
            "uk": "Ми гуляємо дві години. Взуйте зручне взуття. Потім п'ємо чай.",
        },
    ),
    _activity(
        "startmoment-bosdonk",
        18,
        "19:00",
        "21:00",
        "start_moment",
        "duos",
        "Gemeentehuis Bosdonk",
        {
            "nl": "Startmoment voor nieuwe duo's",
            "en": "Start for new pairs",
            "fr": "Lancement des nouveaux binômes",
            "ar": "انطلاقة الثنائيات الجديدة",
            "uk": "Старт нових пар",
        },
        {
            "nl": "Nieuwe duo's leren elkaar kennen.",
            "en": "New pairs get to know each other.",
            "fr": "Les nouveaux binômes font connaissance.",
            "ar": "تتعارف الثنائيات الجديدة.",
            "uk": "Нові пари знайомляться.",
        },
        {
            "nl": "De coördinator legt uit hoe het werkt. Daarna spreken jullie de eerste keer af.",
            "en": "The coordinator explains how it works. Then you plan your first meeting.",
            "fr": "Le coordinateur explique comment ça marche. Ensuite, vous fixez votre premier rendez-vous.",
            "ar": "يشرح المنسّق طريقة العمل. ثم تحدّدان موعد لقائكما الأول.",
            "uk": "Координатор пояснює, як це працює. Потім ви домовляєтеся про першу зустріч.",
        },
    ),
]

NEIGHBOURHOODS = [
    ("2999", "Dorp"),
    ("2999", "Bosdonk-Heide"),
    ("2999", "Kapelhoek"),
]
