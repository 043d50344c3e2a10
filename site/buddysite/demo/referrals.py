"""Demo: the referral guide of Heidestad, a fictional Flemish town (every address, phone
number and website here is made up; the kinds of services are the real ones).

Written in Dutch and translated the wagtail-localize way into Arabic, English and French. The
repair café is left in Dutch only, to show how an untranslated service appears.
"""

from __future__ import annotations

from buddypages.pages.referrals import ReferralService
from buddysite.demo.translate import translate_instance

TOWN = "2999 Heidestad"

# (category, name, description, address, opening hours, phone, website, email, languages)
# with each text as {language: text}; addresses and names of places stay in Dutch.
SERVICES = [
    {
        "category": "housing",
        "name": {
            "nl": "Sociaal Huis (OCMW) Heidestad",
            "ar": "البيت الاجتماعي (OCMW) هايدستاد",
            "en": "Social House (OCMW) Heidestad",
            "fr": "Maison sociale (CPAS/OCMW) Heidestad",
        },
        "description": {
            "nl": "Hulp bij wonen, leefloon en dringende kosten. Maak een afspraak.",
            "ar": "مساعدة في السكن ودخل الاندماج والمصاريف العاجلة. احجز موعدًا.",
            "en": "Help with housing, living wage and urgent costs. Make an appointment.",
            "fr": "Aide pour le logement, le revenu d'intégration et les frais urgents. "
            "Prenez rendez-vous.",
        },
        "address": f"Markt 10, {TOWN}",
        "hours": {
            "nl": "ma-vr 9:00-12:00, do 14:00-19:00",
            "ar": "من الإثنين إلى الجمعة من 9:00 إلى 12:00، الخميس من 14:00 إلى 19:00",
            "en": "Mon-Fri 9:00-12:00, Thu 14:00-19:00",
            "fr": "lun-ven 9h-12h, jeu 14h-19h",
        },
        "phone": "011 99 10 00",
        "website": "https://www.heidestad.example/sociaalhuis",
        "email": "sociaalhuis@heidestad.example",
        "languages": "nl, fr, en",
    },
    {
        "category": "housing",
        "name": {
            "nl": "Woonwinkel Heidestad",
            "ar": "مكتب السكن هايدستاد",
            "en": "Housing Desk Heidestad",
            "fr": "Guichet du logement Heidestad",
        },
        "description": {
            "nl": "Vragen over huren, een sociale woning, je huurcontract of premies.",
            "ar": "أسئلة عن الإيجار والسكن الاجتماعي وعقد الإيجار والمنح.",
            "en": "Questions about renting, social housing, your rental contract or grants.",
            "fr": "Questions sur la location, un logement social, votre bail ou les primes.",
        },
        "address": f"Stationsstraat 12, {TOWN}",
        "hours": {
            "nl": "di en do 13:30-16:30",
            "ar": "الثلاثاء والخميس من 13:30 إلى 16:30",
            "en": "Tue and Thu 13:30-16:30",
            "fr": "mar et jeu 13h30-16h30",
        },
        "phone": "011 99 10 20",
        "website": "https://www.heidestad.example/wonen",
        "email": "",
        "languages": "nl, en",
    },
    {
        "category": "work",
        "name": {
            "nl": "VDAB-werkwinkel Heidestad",
            "ar": "متجر العمل VDAB هايدستاد",
            "en": "VDAB job shop Heidestad",
            "fr": "Maison de l'emploi VDAB Heidestad",
        },
        "description": {
            "nl": "Werk zoeken, je cv maken, een opleiding of een Nederlandse les voor werk.",
            "ar": "البحث عن عمل، كتابة سيرتك الذاتية، تكوين مهني أو دروس هولندية للعمل.",
            "en": "Find work, write your CV, a training or Dutch lessons for work.",
            "fr": "Chercher du travail, faire votre CV, une formation ou du néerlandais "
            "pour le travail.",
        },
        "address": f"Industrielaan 3, {TOWN}",
        "hours": {
            "nl": "ma-vr 8:30-12:30",
            "ar": "من الإثنين إلى الجمعة من 8:30 إلى 12:30",
            "en": "Mon-Fri 8:30-12:30",
            "fr": "lun-ven 8h30-12h30",
        },
        "phone": "011 99 20 00",
        "website": "https://www.heidestad.example/vdab",
        "email": "",
        "languages": "nl, fr, en, ar",
    },
    {
        "category": "health",
        "name": {
            "nl": "Huisartsenwachtpost Heidestad",
            "ar": "مركز أطباء المناوبة هايدستاد",
            "en": "Out-of-hours GP centre Heidestad",
            "fr": "Poste de garde des médecins généralistes Heidestad",
        },
        "description": {
            "nl": "Een dokter 's avonds, 's nachts en in het weekend. Bel eerst 1733. "
            "In levensgevaar: 112.",
            "ar": "طبيب في المساء والليل وعطلة نهاية الأسبوع. اتصل أولاً بالرقم 1733. "
            "في حالة الخطر على الحياة: 112.",
            "en": "A doctor in the evening, at night and at weekends. Call 1733 first. "
            "If a life is in danger: 112.",
            "fr": "Un médecin le soir, la nuit et le week-end. Appelez d'abord le 1733. "
            "En cas de danger de mort : 112.",
        },
        "address": f"Ziekenhuislaan 1, {TOWN}",
        "hours": {
            "nl": "ma-vr 19:00-8:00, weekend en feestdagen",
            "ar": "من الإثنين إلى الجمعة من 19:00 إلى 8:00، عطلة نهاية الأسبوع والأعياد",
            "en": "Mon-Fri 19:00-8:00, weekends and public holidays",
            "fr": "lun-ven 19h-8h, week-ends et jours fériés",
        },
        "phone": "1733",
        "website": "https://www.heidestad.example/wachtpost",
        "email": "",
        "languages": "nl, fr, en",
    },
    {
        "category": "health",
        "name": {
            "nl": "Wijkgezondheidscentrum De Linde",
            "ar": "المركز الصحي للحي دي ليندي",
            "en": "Neighbourhood health centre De Linde",
            "fr": "Maison médicale de quartier De Linde",
        },
        "description": {
            "nl": "Huisarts, verpleging en kinesist in de wijk. Ook zonder geld welkom.",
            "ar": "طبيب عام وتمريض وعلاج طبيعي في الحي. مرحبًا بك حتى بدون مال.",
            "en": "GP, nursing and physiotherapy in the neighbourhood. Welcome without money too.",
            "fr": "Médecin, soins infirmiers et kiné dans le quartier. Bienvenue même sans argent.",
        },
        "address": f"Lindestraat 30, {TOWN}",
        "hours": {
            "nl": "ma-vr 8:00-18:00",
            "ar": "من الإثنين إلى الجمعة من 8:00 إلى 18:00",
            "en": "Mon-Fri 8:00-18:00",
            "fr": "lun-ven 8h-18h",
        },
        "phone": "011 99 30 30",
        "website": "https://www.heidestad.example/delinde",
        "email": "onthaal@delinde.example",
        "languages": "nl, fr, en, ar, tr",
    },
    {
        "category": "papers",
        "name": {
            "nl": "Agentschap Integratie en Inburgering, kantoor Heidestad",
            "ar": "وكالة الاندماج والاستقرار، مكتب هايدستاد",
            "en": "Agency for Integration and Civic Integration, Heidestad office",
            "fr": "Agence pour l'intégration et l'intégration civique, bureau de Heidestad",
        },
        "description": {
            "nl": "Inburgeringstraject, cursus maatschappelijke oriëntatie en vragen over "
            "verblijf en gezinshereniging.",
            "ar": "مسار الاندماج ودورة التوجيه الاجتماعي وأسئلة عن الإقامة ولم الشمل.",
            "en": "Civic integration course, social orientation and questions about residence "
            "and family reunification.",
            "fr": "Parcours d'intégration, cours d'orientation sociale et questions sur le "
            "séjour et le regroupement familial.",
        },
        "address": f"Kerkstraat 5, {TOWN}",
        "hours": {
            "nl": "ma, wo en vr 9:00-12:30",
            "ar": "الإثنين والأربعاء والجمعة من 9:00 إلى 12:30",
            "en": "Mon, Wed and Fri 9:00-12:30",
            "fr": "lun, mer et ven 9h-12h30",
        },
        "phone": "011 99 40 00",
        "website": "https://www.heidestad.example/inburgering",
        "email": "",
        "languages": "nl, fr, en, ar, prs, ti, uk",
    },
    {
        "category": "papers",
        "name": {
            "nl": "Dienst Burgerzaken Heidestad",
            "ar": "مصلحة الشؤون المدنية هايدستاد",
            "en": "Civil Affairs Heidestad (town hall)",
            "fr": "Service Population Heidestad (maison communale)",
        },
        "description": {
            "nl": "Je verblijfskaart, adres wijzigen en attesten. Alleen op afspraak.",
            "ar": "بطاقة الإقامة وتغيير العنوان والشهادات. بموعد فقط.",
            "en": "Your residence card, change of address and certificates. By appointment only.",
            "fr": "Votre carte de séjour, changement d'adresse et attestations. Uniquement sur "
            "rendez-vous.",
        },
        "address": f"Markt 1, {TOWN}",
        "hours": {
            "nl": "ma-vr 9:00-12:00, wo ook 14:00-16:00",
            "ar": "من الإثنين إلى الجمعة من 9:00 إلى 12:00، والأربعاء أيضًا من 14:00 إلى 16:00",
            "en": "Mon-Fri 9:00-12:00, Wed also 14:00-16:00",
            "fr": "lun-ven 9h-12h, mer aussi 14h-16h",
        },
        "phone": "011 99 00 10",
        "website": "https://www.heidestad.example/burgerzaken",
        "email": "burgerzaken@heidestad.example",
        "languages": "nl, fr, en",
    },
    {
        "category": "school",
        "name": {
            "nl": "CLB Heidestad (Centrum voor Leerlingenbegeleiding)",
            "ar": "مركز إرشاد التلاميذ CLB هايدستاد",
            "en": "CLB Heidestad (pupil guidance centre)",
            "fr": "CLB Heidestad (centre d'accompagnement des élèves)",
        },
        "description": {
            "nl": "Gratis hulp bij leren, gezondheid op school en een school kiezen.",
            "ar": "مساعدة مجانية في التعلم والصحة في المدرسة واختيار مدرسة.",
            "en": "Free help with learning, health at school and choosing a school.",
            "fr": "Aide gratuite pour apprendre, la santé à l'école et le choix d'une école.",
        },
        "address": f"Schoolstraat 8, {TOWN}",
        "hours": {
            "nl": "ma-vr 8:30-16:30 (schooldagen)",
            "ar": "من الإثنين إلى الجمعة من 8:30 إلى 16:30 (أيام الدراسة)",
            "en": "Mon-Fri 8:30-16:30 (school days)",
            "fr": "lun-ven 8h30-16h30 (jours d'école)",
        },
        "phone": "011 99 50 00",
        "website": "https://www.heidestad.example/clb",
        "email": "",
        "languages": "nl, fr, en",
    },
    {
        "category": "school",
        "name": {
            "nl": "Aanmeldpunt scholen en Huis van het Kind",
            "ar": "نقطة تسجيل المدارس وبيت الطفل",
            "en": "School enrolment desk and House of the Child",
            "fr": "Point d'inscription scolaire et Maison de l'enfant",
        },
        "description": {
            "nl": "Je kind inschrijven in een school of kinderopvang, en vragen over opvoeden.",
            "ar": "تسجيل طفلك في مدرسة أو حضانة، وأسئلة عن التربية.",
            "en": "Enrol your child in a school or childcare, and questions about parenting.",
            "fr": "Inscrire votre enfant à l'école ou à la crèche, et questions sur l'éducation.",
        },
        "address": f"Parklaan 2, {TOWN}",
        "hours": {
            "nl": "wo 13:00-17:00, za 9:00-12:00",
            "ar": "الأربعاء من 13:00 إلى 17:00، السبت من 9:00 إلى 12:00",
            "en": "Wed 13:00-17:00, Sat 9:00-12:00",
            "fr": "mer 13h-17h, sam 9h-12h",
        },
        "phone": "011 99 50 50",
        "website": "https://www.heidestad.example/huisvanhetkind",
        "email": "",
        "languages": "nl, fr, en, ar, uk",
    },
    {
        "category": "money",
        "name": {
            "nl": "Schuldhulp Heidestad",
            "ar": "المساعدة في الديون هايدستاد",
            "en": "Debt help Heidestad",
            "fr": "Aide aux dettes Heidestad",
        },
        "description": {
            "nl": "Hulp bij rekeningen die je niet kunt betalen, budgetbeheer en energie.",
            "ar": "مساعدة في الفواتير التي لا تستطيع دفعها وإدارة الميزانية والطاقة.",
            "en": "Help with bills you cannot pay, budgeting and energy costs.",
            "fr": "Aide pour les factures que vous ne pouvez pas payer, le budget et l'énergie.",
        },
        "address": f"Markt 10, {TOWN}",
        "hours": {
            "nl": "di 9:00-12:00 en op afspraak",
            "ar": "الثلاثاء من 9:00 إلى 12:00 وبموعد",
            "en": "Tue 9:00-12:00 and by appointment",
            "fr": "mar 9h-12h et sur rendez-vous",
        },
        "phone": "011 99 10 40",
        "website": "https://www.heidestad.example/schuldhulp",
        "email": "",
        "languages": "nl, fr",
    },
    {
        "category": "mental_health",
        "name": {
            "nl": "CGG De Heide (Centrum Geestelijke Gezondheidszorg)",
            "ar": "مركز الصحة النفسية CGG دي هايدي",
            "en": "CGG De Heide (mental health centre)",
            "fr": "CGG De Heide (centre de santé mentale)",
        },
        "description": {
            "nl": "Praten met een psycholoog bij stress, angst, verdriet of trauma. "
            "Met tolk als het nodig is.",
            "ar": "التحدث مع أخصائي نفسي عند التوتر أو الخوف أو الحزن أو الصدمة. "
            "مع مترجم عند الحاجة.",
            "en": "Talk to a psychologist about stress, fear, grief or trauma. "
            "With an interpreter when needed.",
            "fr": "Parler à un psychologue en cas de stress, de peur, de chagrin ou de "
            "traumatisme. Avec un interprète si besoin.",
        },
        "address": f"Kloosterstraat 20, {TOWN}",
        "hours": {
            "nl": "ma-vr 9:00-17:00, op afspraak",
            "ar": "من الإثنين إلى الجمعة من 9:00 إلى 17:00، بموعد",
            "en": "Mon-Fri 9:00-17:00, by appointment",
            "fr": "lun-ven 9h-17h, sur rendez-vous",
        },
        "phone": "011 99 60 00",
        "website": "https://www.heidestad.example/cgg",
        "email": "",
        "languages": "nl, en, fr, ar, fa",
    },
    {
        "category": "mental_health",
        "name": {
            "nl": "CAW Heidestad (Centrum Algemeen Welzijnswerk)",
            "ar": "مركز الرعاية الاجتماعية العامة CAW هايدستاد",
            "en": "CAW Heidestad (general welfare centre)",
            "fr": "CAW Heidestad (centre d'aide sociale générale)",
        },
        "description": {
            "nl": "Voor elke vraag over welzijn: relaties, geweld thuis, dakloosheid. "
            "Anoniem chatten kan ook.",
            "ar": "لكل سؤال عن الرفاه: العلاقات، العنف المنزلي، التشرد. "
            "يمكنك أيضًا الدردشة دون ذكر اسمك.",
            "en": "For any question about well-being: relationships, violence at home, "
            "homelessness. Anonymous chat too.",
            "fr": "Pour toute question de bien-être : relations, violence à la maison, "
            "sans-abrisme. Chat anonyme aussi.",
        },
        "address": f"Heidelaan 14, {TOWN}",
        "hours": {
            "nl": "ma-vr 9:00-12:00 zonder afspraak",
            "ar": "من الإثنين إلى الجمعة من 9:00 إلى 12:00 بدون موعد",
            "en": "Mon-Fri 9:00-12:00, no appointment needed",
            "fr": "lun-ven 9h-12h sans rendez-vous",
        },
        "phone": "011 99 70 00",
        "website": "https://www.heidestad.example/caw",
        "email": "onthaal@caw-heidestad.example",
        "languages": "nl, fr, en",
    },
    {
        "category": "legal_aid",
        "name": {
            "nl": "Justitiehuis en advocaat pro deo (juridische eerstelijnsbijstand)",
            "ar": "دار العدالة ومحامٍ مجاني (المساعدة القانونية الأولى)",
            "en": "Justice house and free lawyer (first-line legal aid)",
            "fr": "Maison de justice et avocat pro deo (aide juridique de première ligne)",
        },
        "description": {
            "nl": "Gratis eerste juridisch advies. Een advocaat pro deo als je weinig inkomen "
            "hebt.",
            "ar": "استشارة قانونية أولى مجانية. محامٍ مجاني إذا كان دخلك قليلاً.",
            "en": "Free first legal advice. A free lawyer (pro deo) if your income is low.",
            "fr": "Premier conseil juridique gratuit. Un avocat pro deo si vos revenus sont "
            "faibles.",
        },
        "address": f"Gerechtsplein 4, {TOWN}",
        "hours": {
            "nl": "do 17:00-19:00 (zitdag advocaten)",
            "ar": "الخميس من 17:00 إلى 19:00 (يوم استقبال المحامين)",
            "en": "Thu 17:00-19:00 (lawyers' consultation)",
            "fr": "jeu 17h-19h (permanence des avocats)",
        },
        "phone": "011 99 80 00",
        "website": "https://www.heidestad.example/juridisch",
        "email": "",
        "languages": "nl, fr, en",
    },
    {
        "category": "other",
        "name": {"nl": "Repair Café Heidestad"},
        "description": {
            "nl": "Elke eerste zaterdag: samen je fiets, kleren of toestellen herstellen.",
        },
        "address": f"Lindestraat 12, {TOWN}",
        "hours": {"nl": "eerste zaterdag van de maand 13:00-16:00"},
        "phone": "",
        "website": "https://www.heidestad.example/repaircafe",
        "email": "",
        "languages": "nl, en",
    },
]
TRANSLATED = ("ar", "en", "fr")


def ensure_referral_guide(locales) -> list[ReferralService]:
    """The Dutch services, each translated where the data has its words (idempotent: a
    translation is redone only when the words here changed)."""
    services = []
    for order, data in enumerate(SERVICES):
        service = ReferralService.objects.filter(
            locale=locales["nl"], name=data["name"]["nl"]
        ).first()
        if service is None:
            service = ReferralService(locale=locales["nl"], name=data["name"]["nl"])
            service.category = data["category"]
            service.description = data["description"]["nl"]
            service.address = data["address"]
            service.opening_hours = data["hours"]["nl"]
            service.phone = data["phone"]
            service.website = data["website"]
            service.email = data["email"]
            service.languages = data["languages"]
            service.sort_order = order
            service.full_clean()
            service.save()
        for lang in TRANSLATED:
            if lang not in data["name"] or lang not in locales:
                continue
            strings = {
                data[part]["nl"]: data[part][lang] for part in ("name", "description", "hours")
            }
            target = service.get_translation_or_none(locales[lang])
            wanted = [data["name"][lang], data["description"][lang], data["hours"][lang]]
            if (
                target is None
                or [
                    target.name,
                    target.description,
                    target.opening_hours,
                ]
                != wanted
            ):
                translate_instance(service, locales[lang], strings)
        services.append(service)
    return services
