"""Word lists the extractor reads with: titles, signing verbs, kinds and sectors, in the folded
form that ``agreements.text.fold`` gives (Arabic without diacritics, ة as ه, ى as ي)."""

import re

from agreements.text import fold

# Signing: English word forms, and Arabic forms after attached و/ف are stripped.
EN_SIGNING = {"sign", "signs", "signed", "signing", "inked", "concluded", "initialled", "initialed"}
AR_SIGNING = re.compile(
    r"^(?:س?[يت]?وقع(?:ت|ا|وا|نا|تا|ان|ون|اها|ها)?|(?:ال|بال|لل)?توقيع(?:ها|هم|ه)?)$"
)
AR_NOT_SIGNING = {"توقع", "يتوقع", "تتوقع", "متوقع", "موقع", "الموقع", "وقوع"}

# Agreement nouns: (folded word, kind). Plural and construct forms included.
EN_KINDS = [
    ("memorandum of understanding", "memorandum_of_understanding"),
    ("memoranda of understanding", "memorandum_of_understanding"),
    ("memorandums of understanding", "memorandum_of_understanding"),
    ("mou", "memorandum_of_understanding"),
    ("mous", "memorandum_of_understanding"),
    ("memorandum", "memorandum_of_understanding"),
    ("memoranda", "memorandum_of_understanding"),
    ("cooperation document", "cooperation_document"),
    ("treaty", "treaty"),
    ("treaties", "treaty"),
    ("protocol", "protocol"),
    ("protocols", "protocol"),
    ("contract", "contract"),
    ("contracts", "contract"),
    ("joint declaration", "declaration"),
    ("joint statement", "declaration"),
    ("declaration", "declaration"),
    ("agreement", "agreement"),
    ("agreements", "agreement"),
    ("accord", "agreement"),
    ("accords", "agreement"),
    ("deal", "agreement"),
    ("deals", "agreement"),
    ("documents", "agreement"),
    ("instruments", "agreement"),
]
AR_KINDS = [
    ("مذكره تفاهم", "memorandum_of_understanding"),
    ("مذكرات تفاهم", "memorandum_of_understanding"),
    ("مذكرتي تفاهم", "memorandum_of_understanding"),
    ("مذكرتا تفاهم", "memorandum_of_understanding"),
    ("وثيقه تعاون", "cooperation_document"),
    ("ثيقه تعاون", "cooperation_document"),
    ("وثائق تعاون", "cooperation_document"),
    ("معاهده", "treaty"),
    ("معاهدات", "treaty"),
    ("بروتوكول", "protocol"),
    ("بروتوكولات", "protocol"),
    ("العقود", "contract"),
    ("عقدا", "contract"),
    ("عقدين", "contract"),
    ("اعلان مشترك", "declaration"),
    ("بيان مشترك", "declaration"),
    ("اتفاقيه", "agreement"),
    ("اتفاقيات", "agreement"),
    ("اتفاق", "agreement"),
    ("اتفاقا", "agreement"),
    ("اتفاقات", "agreement"),
    ("اتفاقيتين", "agreement"),
    ("اتفاقيتان", "agreement"),
    ("وثيقه", "agreement"),
    ("وثائق", "agreement"),
]

# Titles: (folded words, role, English title). Longest first where they overlap.
AR_TITLES = [
    ("نائب رييس الوزراء", "deputy_head_of_government", "Deputy Prime Minister"),
    ("نايب رييس الوزراء", "deputy_head_of_government", "Deputy Prime Minister"),
    ("نائبه رييس الوزراء", "deputy_head_of_government", "Deputy Prime Minister"),
    ("نايبه رييس الوزراء", "deputy_head_of_government", "Deputy Prime Minister"),
    ("رييس الوزراء", "head_of_government", "Prime Minister"),
    ("رييسه الوزراء", "head_of_government", "Prime Minister"),
    ("رييس الحكومه", "head_of_government", "Prime Minister"),
    ("رييس وزراء", "head_of_government", "Prime Minister"),
    ("نايب الرييس", "vice_president", "Vice President"),
    ("نايبه الرييس", "vice_president", "Vice President"),
    ("نايب رييس", "vice_president", "Vice President"),
    ("نايبه رييس", "vice_president", "Vice President"),
    ("رييس مجلس النواب", "legislator", "Speaker of Parliament"),
    ("رييس البرلمان", "legislator", "Speaker of Parliament"),
    ("رييس مجلس الدوما", "legislator", "Speaker of the State Duma"),
    ("الرييس", "head_of_state", "President"),
    ("رييس", "head_of_state", "President"),
    ("الرييسه", "head_of_state", "President"),
    ("رييسه", "head_of_state", "President"),
    ("ولي العهد", "other", "Crown Prince"),
    ("الملك", "head_of_state", "King"),
    ("العاهل", "head_of_state", "King"),
    ("السلطان", "head_of_state", "Sultan"),
    ("امير", "head_of_state", "Emir"),
    ("المستشار", "head_of_government", "Chancellor"),
    ("المستشاره", "head_of_government", "Chancellor"),
    ("السفير", "ambassador", "Ambassador"),
    ("السفيره", "ambassador", "Ambassador"),
    ("سفير", "ambassador", "Ambassador"),
    ("وزير", "minister", "Minister"),
    ("وزيره", "minister", "Minister"),
    ("نايب وزير", "minister", "Deputy Minister"),
    ("رئيس الدولة", "head_of_state", "President"),
    ("نظيره", "counterpart", "counterpart"),
    ("نظيرته", "counterpart", "counterpart"),
    ("نظيرها", "counterpart", "counterpart"),
    ("رئيس الدولة", "head_of_state", "President"),
    ("نظيره", "counterpart", "counterpart"),
    ("نظيرته", "counterpart", "counterpart"),
    ("نظيرها", "counterpart", "counterpart"),
]
# Ministries after وزير/وزير ال...: the English title of their minister.
AR_MINISTRIES = {
    "الخارجيه": "Foreign Minister",
    "خارجيه": "Foreign Minister",
    "الدفاع": "Defence Minister",
    "دفاع": "Defence Minister",
    "النفط": "Oil Minister",
    "نفط": "Oil Minister",
    "البترول": "Oil Minister",
    "الطاقه": "Energy Minister",
    "طاقه": "Energy Minister",
    "الاقتصاد": "Economy Minister",
    "اقتصاد": "Economy Minister",
    "الماليه": "Finance Minister",
    "ماليه": "Finance Minister",
    "التجاره": "Trade Minister",
    "تجاره": "Trade Minister",
    "الداخليه": "Interior Minister",
    "داخليه": "Interior Minister",
    "الصناعه": "Industry Minister",
    "الزراعه": "Agriculture Minister",
    "العدل": "Justice Minister",
    "الصحه": "Health Minister",
    "التعليم": "Education Minister",
    "النقل": "Transport Minister",
    "السياحه": "Tourism Minister",
    "الثقافه": "Culture Minister",
    "الاستثمار": "Investment Minister",
    "الكهرباء": "Electricity Minister",
    "الاتصالات": "Communications Minister",
    "الاعلام": "Information Minister",
}
AR_FORMER = {"السابق", "السابقه", "الراحل", "الأسبق"}

EN_TITLES = [
    ("defense secretary", "minister", "Defense Secretary"),
    ("defence secretary", "minister", "Defence Secretary"),
    ("foreign ministry spokesperson", "other", "Foreign Ministry Spokesperson"),
    ("spokesperson", "other", "Spokesperson"),
    ("spokesman", "other", "Spokesman"),
    ("spokeswoman", "other", "Spokeswoman"),
    ("minister of state", "minister", "Minister of State"),
    ("secretary", "minister", "Secretary"),
    ("deputy prime minister", "deputy_head_of_government", "Deputy Prime Minister"),
    ("first deputy prime minister", "deputy_head_of_government", "First Deputy Prime Minister"),
    ("prime minister", "head_of_government", "Prime Minister"),
    ("premier", "head_of_government", "Premier"),
    ("vice president", "vice_president", "Vice President"),
    ("vice-president", "vice_president", "Vice President"),
    ("president", "head_of_state", "President"),
    ("foreign minister", "minister", "Foreign Minister"),
    ("deputy foreign minister", "minister", "Deputy Foreign Minister"),
    ("defence minister", "minister", "Defence Minister"),
    ("defense minister", "minister", "Defense Minister"),
    ("oil minister", "minister", "Oil Minister"),
    ("energy minister", "minister", "Energy Minister"),
    ("economy minister", "minister", "Economy Minister"),
    ("finance minister", "minister", "Finance Minister"),
    ("trade minister", "minister", "Trade Minister"),
    ("interior minister", "minister", "Interior Minister"),
    ("minister", "minister", "Minister"),
    ("secretary of state", "minister", "Secretary of State"),
    ("foreign secretary", "minister", "Foreign Secretary"),
    ("ambassador", "ambassador", "Ambassador"),
    ("crown prince", "other", "Crown Prince"),
    ("king", "head_of_state", "King"),
    ("emir", "head_of_state", "Emir"),
    ("sultan", "head_of_state", "Sultan"),
    ("chancellor", "head_of_government", "Chancellor"),
    ("speaker", "legislator", "Speaker"),
    ("counterpart", "counterpart", "counterpart"),
    ("counterpart", "counterpart", "counterpart"),
]
EN_FORMER = {"former", "late", "ex"}

# Sectors: folded keywords; Arabic ones match a word after its attached prefixes are removed.
SECTORS: dict[str, tuple[list[str], list[str]]] = {
    "military": (
        ["military", "armed forces", "army", "weapons", "arms", "warships"],
        ["عسكري", "عسكريه", "عسكريا", "القوات المسلحه", "جيش", "اسلحه", "تسليح"],
    ),
    "defence": (["defence", "defense"], ["دفاع", "دفاعي", "دفاعيه"]),
    "intelligence": (
        ["intelligence services", "intelligence sharing", "intelligence"],
        ["استخبارات", "استخباري", "استخباراتي", "مخابرات"],
    ),
    "counterintelligence": (
        ["counter intelligence", "counterintelligence", "counter espionage"],
        ["مكافحه التجسس"],
    ),
    "security": (
        ["security", "counter terrorism", "counterterrorism", "terrorism"],
        ["امن", "امني", "امنيه", "مكافحه الارهاب", "الارهاب"],
    ),
    "drones": (
        ["drone", "drones", "unmanned aerial", "uav", "uavs"],
        ["طايرات من دون طيار", "طايرات بدون طيار", "طايرات مسيره", "مسيرات", "الطايرات المسيره"],
    ),
    "oil": (
        ["oil", "petroleum", "crude", "refinery", "refineries", "oilfield", "oilfields"],
        ["نفط", "نفطي", "نفطيه", "بترول", "بترولي", "بتروليه", "خام", "مصفاه", "مصافي"],
    ),
    "gas": (["natural gas", "gas", "lng", "gas pipeline"], ["غاز", "الغاز"]),
    "energy": (
        ["energy", "electricity", "power plant", "power plants", "renewable", "energy security"],
        ["طاقه", "كهرباء", "متجدده", "كهربائي", "الربط الكهربائي"],
    ),
    "nuclear": (["nuclear", "atomic"], ["نووي", "نوويه", "ذري", "ذريه"]),
    "trade": (
        ["trade", "commerce", "exports", "imports", "tariffs", "free trade"],
        ["تجاره", "تجاري", "تجاريه", "صادرات", "واردات"],
    ),
    "investment": (
        ["investment", "investments", "investor", "investors"],
        ["استثمار", "استثمارات", "استثماري"],
    ),
    "finance": (
        [
            "finance",
            "financial",
            "financing",
            "banking",
            "loan",
            "loans",
            "credit",
            "currency",
            "payments",
        ],
        ["تمويل", "مصرفي", "مصرف", "بنك", "بنوك", "قرض", "قروض", "عمله", "عملات"],
    ),
    "agriculture": (
        [
            "agriculture",
            "agricultural",
            "farming",
            "fisheries",
            "fishing",
            "food security",
            "wheat",
        ],
        ["زراعه", "زراعي", "زراعيه", "صيد", "قمح", "الامن الغذايي"],
    ),
    "education": (
        ["education", "educational", "university", "universities", "scholarships", "students"],
        ["تعليم", "تعليمي", "جامعات", "جامعه", "منح دراسيه"],
    ),
    "health": (
        [
            "health",
            "medical",
            "medicine",
            "medicines",
            "vaccine",
            "vaccines",
            "pharmaceutical",
            "hospital",
            "hospitals",
        ],
        ["صحه", "صحي", "صحيه", "طبي", "طبيه", "ادويه", "لقاح", "لقاحات"],
    ),
    "culture": (["culture", "cultural", "heritage"], ["ثقافه", "ثقافي", "ثقافيه"]),
    "tourism": (["tourism", "tourist", "tourists"], ["سياحه", "سياحي", "سياحيه"]),
    "transport": (
        [
            "transport",
            "transportation",
            "railway",
            "railways",
            "rail",
            "aviation",
            "flights",
            "ports",
            "shipping",
            "metro",
        ],
        ["نقل", "سكك الحديد", "طيران", "موانئ", "ملاحه", "مترو"],
    ),
    "technology": (
        [
            "technology",
            "technologies",
            "technological",
            "innovation",
            "digital",
            "artificial intelligence",
        ],
        ["تكنولوجيا", "تكنولوجي", "تقنيه", "تقنيات", "تقني", "الذكاء الاصطناعي"],
    ),
    "telecommunications": (["telecommunications", "telecom", "5g", "internet"], ["اتصالات"]),
    "space": (["space", "satellite", "satellites"], ["فضاء", "فضايي", "اقمار صناعيه", "الفضاء"]),
    "science": (["science", "scientific", "research"], ["علوم", "علمي", "علميه", "بحث علمي"]),
    "training": (["training", "trainings"], ["تدريب", "تدريبيه", "تاهيل"]),
    "justice": (
        ["justice", "judicial", "legal assistance", "extradition"],
        ["قضاء", "قضايي", "قضاييه", "تسليم المجرمين", "عدل"],
    ),
    "media": (["media", "news agency", "broadcasting"], ["اعلام", "اعلامي", "اعلاميه"]),
    "sport": (["sport", "sports", "football"], ["رياضه", "رياضي", "رياضيه"]),
    "water": (["water", "irrigation", "dam", "dams"], ["مياه", "ري", "سدود"]),
    "industry": (
        ["industry", "industrial", "manufacturing", "factory", "factories"],
        ["صناعه", "صناعي", "صناعيه", "صناعات"],
    ),
    "mining": (["mining", "minerals", "gold", "lithium"], ["تعدين", "معادن", "ذهب"]),
    "infrastructure": (
        ["infrastructure", "construction", "housing", "roads", "bridges"],
        ["بنيه تحتيه", "اسكان", "طرق", "جسور"],
    ),
    "customs": (["customs"], ["جمارك", "جمركي", "جمركيه"]),
    "visas": (["visa", "visas", "visa free"], ["تاشيرات", "تاشيره", "التاشيرات"]),
    "diplomacy": (["diplomatic", "diplomacy", "consular"], ["دبلوماسي", "دبلوماسيه", "قنصلي"]),
}
# Phrases that contain a sector word without being about the sector.
SECTOR_FALSE_FRIENDS = [
    "artificial intelligence",
    "social security",
    "security council",
    "مجلس الامن",
    "energy security",
    "food security",
    "diplomatic sources",
    "مصادر دبلوماسية",
]

WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"]

MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTHS_AR = {
    name: number
    for number, names in enumerate(
        [
            ("يناير", "كانون الثاني"),
            ("فبراير", "شباط"),
            ("مارس", "اذار"),
            ("ابريل", "نيسان"),
            ("مايو", "ايار"),
            ("يونيو", "حزيران"),
            ("يوليو", "تموز"),
            ("اغسطس", "اب"),
            ("سبتمبر", "ايلول"),
            ("اكتوبر", "تشرين الاول"),
            ("نوفمبر", "تشرين الثاني"),
            ("ديسمبر", "كانون الاول"),
        ],
        start=1,
    )
    for name in names
}

# "since" for totals over a period.
EN_SINCE = {"since"}
AR_SINCE = {"منذ"}
EN_TOTAL_MARKERS = {
    "so far",
    "to date",
    "in total",
    "altogether",
    "over the years",
    "in all",
    "over the past",
    "in recent years",
    "over the last",
}
AR_TOTAL_MARKERS = {"حتى الان", "اجمالي", "مجموع", "حتي الان", "خلال السنوات", "في السنوات الاخيرة"}


def _folded() -> None:
    """Fold every entry once, so that the lists above may be written in plain spelling."""
    global AR_KINDS, EN_KINDS, AR_TITLES, EN_TITLES, AR_MINISTRIES, AR_FORMER, SECTORS
    global WEEKDAYS_AR, MONTHS_AR, AR_TOTAL_MARKERS, AR_NOT_SIGNING, SECTOR_FALSE_FRIENDS
    AR_KINDS = [(fold(text), kind) for text, kind in AR_KINDS]
    EN_KINDS = [(fold(text), kind) for text, kind in EN_KINDS]
    AR_TITLES = sorted(
        ((fold(text), role, title) for text, role, title in AR_TITLES), key=lambda t: -len(t[0])
    )
    EN_TITLES = sorted(
        ((fold(text), role, title) for text, role, title in EN_TITLES), key=lambda t: -len(t[0])
    )
    AR_MINISTRIES = {fold(word): title for word, title in AR_MINISTRIES.items()}
    AR_FORMER = {fold(word) for word in AR_FORMER}
    SECTORS = {
        slug: ([fold(word) for word in english], [fold(word) for word in arabic])
        for slug, (english, arabic) in SECTORS.items()
    }
    SECTOR_FALSE_FRIENDS = [fold(phrase) for phrase in SECTOR_FALSE_FRIENDS]
    WEEKDAYS_AR = [fold(day) for day in WEEKDAYS_AR]
    MONTHS_AR = {fold(name): number for name, number in MONTHS_AR.items()}
    AR_TOTAL_MARKERS = {fold(marker) for marker in AR_TOTAL_MARKERS}
    AR_NOT_SIGNING = {fold(word) for word in AR_NOT_SIGNING}


_folded()


def by_first_word(phrases: list[tuple]) -> dict[str, list[tuple]]:
    """Phrase entries indexed by their first word, longest phrase first."""
    index: dict[str, list[tuple]] = {}
    for entry in sorted(phrases, key=lambda e: -len(e[0].split())):
        index.setdefault(entry[0].split()[0], []).append(entry)
    return index


AR_KINDS_BY_WORD = by_first_word(AR_KINDS)
EN_KINDS_BY_WORD = by_first_word(EN_KINDS)
AR_TITLES_BY_WORD = by_first_word(AR_TITLES)
EN_TITLES_BY_WORD = by_first_word(EN_TITLES)
SECTOR_KEYWORDS_BY_WORD = by_first_word(
    [(keyword, slug) for slug, (english, arabic) in SECTORS.items() for keyword in english + arabic]
)
