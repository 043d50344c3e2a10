# ruff: noqa: E501  (sentences in other scripts read better unbroken)
"""Demo content for the home page: Dutch first, then translations.

Plain language, short sentences. Keys of TRANSLATIONS are the Dutch strings.
"""

TITLE = "Samen Nederlands oefenen"
INTRO = (
    "Een nieuwkomer en een buddy spreken af. "
    "Ze oefenen samen Nederlands en ontdekken samen de stad."
)
HOW_HEADING = "Hoe werkt het?"
HOW_TEXT = (
    "Jullie spreken zes maanden af, twee keer per maand. "
    "Jullie kiezen zelf wat jullie doen: koffie drinken, wandelen of naar de markt gaan."
)
WHO_HEADING = "Wie doet mee?"
WHO_TEXT = (
    "Nieuwkomers die Nederlands leren. "
    "En inwoners die graag Nederlands praten met iemand die nieuw is in de stad."
)
QUOTE = "We drinken elke twee weken koffie. Mijn Nederlands wordt elke keer beter."

BODY = [
    ("heading", HOW_HEADING),
    ("paragraph", f"<p>{HOW_TEXT}</p>"),
    ("heading", WHO_HEADING),
    ("paragraph", f"<p>{WHO_TEXT}</p>"),
    ("quote", {"text": QUOTE, "author": "Samira"}),
]

TRANSLATIONS: dict[str, dict[str, str]] = {
    "en": {
        TITLE: "Practise Dutch together",
        INTRO: "A newcomer and a buddy meet. They practise Dutch and discover the town together.",
        HOW_HEADING: "How does it work?",
        HOW_TEXT: (
            "You meet for six months, twice a month. You choose what you do: "
            "have a coffee, go for a walk or visit the market."
        ),
        WHO_HEADING: "Who takes part?",
        WHO_TEXT: (
            "Newcomers who are learning Dutch. "
            "And residents who like to speak Dutch with someone who is new in town."
        ),
        QUOTE: "We have coffee every two weeks. My Dutch gets better every time.",
    },
    "fr": {
        TITLE: "Pratiquer le néerlandais ensemble",
        INTRO: (
            "Un nouvel arrivant et un buddy se rencontrent. "
            "Ils pratiquent le néerlandais et découvrent la ville ensemble."
        ),
        HOW_HEADING: "Comment ça marche ?",
        HOW_TEXT: (
            "Vous vous voyez pendant six mois, deux fois par mois. Vous choisissez ce que vous "
            "faites : boire un café, vous promener ou aller au marché."
        ),
        WHO_HEADING: "Qui participe ?",
        WHO_TEXT: (
            "Des nouveaux arrivants qui apprennent le néerlandais. Et des habitants qui aiment "
            "parler néerlandais avec une personne nouvelle en ville."
        ),
        QUOTE: "Nous prenons un café toutes les deux semaines. Mon néerlandais s'améliore à chaque fois.",
    },
    "ar": {
        TITLE: "نتدرّب على اللغة الهولندية معًا",
        INTRO: "يلتقي قادم جديد ورفيق. يتدرّبان معًا على الهولندية ويكتشفان المدينة معًا.",
        HOW_HEADING: "كيف يعمل البرنامج؟",
        HOW_TEXT: (
            "تلتقيان لمدة ستة أشهر، مرتين في الشهر. تختاران بنفسيكما ما تفعلانه: "
            "شرب القهوة أو المشي أو زيارة السوق."
        ),
        WHO_HEADING: "من يشارك؟",
        WHO_TEXT: (
            "قادمون جدد يتعلّمون الهولندية. وسكان يحبّون التحدث بالهولندية مع شخص جديد في المدينة."
        ),
        QUOTE: "نشرب القهوة كل أسبوعين. لغتي الهولندية تتحسّن في كل مرة.",
    },
    "uk": {
        TITLE: "Разом практикуємо нідерландську",
        INTRO: "Новоприбулий і бадді зустрічаються. Вони разом практикують нідерландську і відкривають місто.",
        HOW_HEADING: "Як це працює?",
        HOW_TEXT: (
            "Ви зустрічаєтеся шість місяців, двічі на місяць. Ви самі вирішуєте, що робити: "
            "випити кави, погуляти або піти на ринок."
        ),
        WHO_HEADING: "Хто бере участь?",
        WHO_TEXT: (
            "Новоприбулі, які вивчають нідерландську. І мешканці, які охоче розмовляють "
            "нідерландською з новою людиною в місті."
        ),
        QUOTE: "Ми п'ємо каву кожні два тижні. Моя нідерландська щоразу кращає.",
    },
    "ru": {
        TITLE: "Практикуем нидерландский вместе",
        INTRO: "Новоприбывший и бадди встречаются. Они вместе практикуют нидерландский и открывают город.",
        HOW_HEADING: "Как это работает?",
        HOW_TEXT: (
            "Вы встречаетесь шесть месяцев, два раза в месяц. Вы сами решаете, что делать: "
            "выпить кофе, погулять или сходить на рынок."
        ),
        WHO_HEADING: "Кто участвует?",
        WHO_TEXT: (
            "Новоприбывшие, которые учат нидерландский. И жители, которые охотно говорят "
            "по-нидерландски с новым человеком в городе."
        ),
        QUOTE: "Мы пьём кофе каждые две недели. Мой нидерландский каждый раз становится лучше.",
    },
    "tr": {
        TITLE: "Birlikte Felemenkçe pratik yapalım",
        INTRO: "Yeni gelen biri ve bir buddy buluşur. Birlikte Felemenkçe pratik yapar ve şehri keşfederler.",
        HOW_HEADING: "Nasıl işliyor?",
        HOW_TEXT: (
            "Altı ay boyunca ayda iki kez buluşursunuz. Ne yapacağınızı siz seçersiniz: "
            "kahve içmek, yürüyüş yapmak ya da pazara gitmek."
        ),
        WHO_HEADING: "Kimler katılıyor?",
        WHO_TEXT: (
            "Felemenkçe öğrenen yeni gelenler. Ve şehre yeni gelen biriyle Felemenkçe "
            "konuşmayı seven sakinler."
        ),
        QUOTE: "İki haftada bir kahve içiyoruz. Felemenkçem her seferinde daha iyi oluyor.",
    },
    "fa": {
        TITLE: "با هم هلندی تمرین کنیم",
        INTRO: "یک تازه‌وارد و یک همراه با هم دیدار می‌کنند. آن‌ها با هم هلندی تمرین می‌کنند و شهر را می‌شناسند.",
        HOW_HEADING: "چطور کار می‌کند؟",
        HOW_TEXT: (
            "شما شش ماه، ماهی دو بار همدیگر را می‌بینید. خودتان انتخاب می‌کنید چه کار کنید: "
            "قهوه بنوشید، قدم بزنید یا به بازار بروید."
        ),
        WHO_HEADING: "چه کسانی شرکت می‌کنند؟",
        WHO_TEXT: (
            "تازه‌واردانی که هلندی یاد می‌گیرند. و ساکنانی که دوست دارند با یک تازه‌وارد هلندی صحبت کنند."
        ),
        QUOTE: "ما هر دو هفته یک بار قهوه می‌نوشیم. هلندی من هر بار بهتر می‌شود.",
    },
    "ps": {
        TITLE: "راځئ چې یوځای هالنډي زده کړو",
        INTRO: "یو نوی راغلی او یو ملګری سره ګوري. دوی یوځای هالنډي تمرینوي او ښار پېژني.",
        HOW_HEADING: "دا څنګه کار کوي؟",
        HOW_TEXT: (
            "تاسو شپږ میاشتې، په میاشت کې دوه ځله سره ګورئ. تاسو پخپله ټاکئ چې څه وکړئ: "
            "قهوه وڅښئ، ګرځئ یا بازار ته ورشئ."
        ),
        WHO_HEADING: "څوک ګډون کوي؟",
        WHO_TEXT: (
            "نوي راغلي کسان چې هالنډي زده کوي. او اوسیدونکي چې خوښېږي له یو نوي کس سره هالنډي خبرې وکړي."
        ),
        QUOTE: "موږ هره دوه اونۍ قهوه څښو. زما هالنډي هر ځل ښه کېږي.",
    },
    "ti": {
        TITLE: "ብሓባር ሆላንድኛ ንለማመድ",
        INTRO: "ሓድሽ መጻኢን ብዲን ይራኸቡ። ብሓባር ሆላንድኛ ይለማመዱን ከተማ ይፈልጡን።",
        HOW_HEADING: "ከመይ ይሰርሕ?",
        HOW_TEXT: (
            "ንሽዱሽተ ኣዋርሕ፡ ኣብ ወርሒ ክልተ ግዜ ትራኸቡ። እንታይ ከም እትገብሩ ባዕልኹም ትመርጹ፡ ቡን ምስታይ፡ ምዝዋር ወይ ናብ ዕዳጋ ምኻድ።"
        ),
        WHO_HEADING: "መን ይሳተፍ?",
        WHO_TEXT: "ሆላንድኛ ዝመሃሩ ሓደስቲ መጻእቲ። ከምኡ'ውን ምስ ሓድሽ ሰብ ሆላንድኛ ክዛረቡ ዝፈትዉ ነበርቲ።",
        QUOTE: "ኣብ ክልተ ሰሙን ሓደ ግዜ ቡን ንሰቲ። ሆላንድኛይ ኩሉ ግዜ ይመሓየሽ።",
    },
    "so": {
        TITLE: "Aan si wada jir ah ugu tababarno Nederlandka",
        INTRO: "Qof cusub iyo saaxiib ayaa kulma. Waxay si wada jir ah ugu tababaraan Nederlandka oo ay magaalada wada ogaadaan.",
        HOW_HEADING: "Sidee buu u shaqeeyaa?",
        HOW_TEXT: (
            "Waxaad kulmaysaan lix bilood, laba jeer bishii. Adigaa doorta waxaad samaynaysaan: "
            "kafee cabbid, socod ama suuqa aadid."
        ),
        WHO_HEADING: "Yaa ka qayb qaata?",
        WHO_TEXT: (
            "Dad cusub oo Nederlandka baranaya. Iyo dadka deegaanka oo jecel inay Nederlandka kula "
            "hadlaan qof magaalada ku cusub."
        ),
        QUOTE: "Labadii toddobaadba mar ayaan kafee wada cabnaa. Nederlandkaygu mar walba wuu fiicnaadaa.",
    },
}
