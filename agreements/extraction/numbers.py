"""Numbers written with digits or words (English and Arabic), and the qualifiers before them."""

from agreements.extraction.tokens import Token
from agreements.text import fold

EN_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "hundred": 100,
    "a": 1,
    "an": 1,
}
_AR_UNITS = {
    "واحد": 1,
    "واحده": 1,
    "احد": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتين": 2,
    "اثنتان": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
    "اثنا": 2,
    "اثني": 2,
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
    "مئه": 100,
    "مايه": 100,
    "ماءه": 100,
    "مئتين": 200,
    "مايتين": 200,
    "مئتي": 200,
    "الف": 1000,
    "الفين": 2000,
    "دزينه": 12,
}
AR_UNITS = {fold(word): value for word, value in _AR_UNITS.items()}
SCALE_WORDS = {"million", "millions", "billion", "billions", "مليون", "ملايين", "مليار", "مليارات"}

# (folded phrase, qualifier); longer phrases first, so "ما لا يزيد عن" wins over "يزيد عن".
_QUALIFIERS = [
    ("ما لا يزيد عن", "at_most"),
    ("ما لا يزيد على", "at_most"),
    ("لا يزيد عن", "at_most"),
    ("لا يزيد على", "at_most"),
    ("ما لا يقل عن", "at_least"),
    ("لا يقل عن", "at_least"),
    ("ما يزيد عن", "more_than"),
    ("ما يزيد على", "more_than"),
    ("يزيد عن", "more_than"),
    ("يزيد على", "more_than"),
    ("ما يربو على", "more_than"),
    ("ما يربو عن", "more_than"),
    ("اكثر من", "more_than"),
    ("ازيد من", "more_than"),
    ("ما يفوق", "more_than"),
    ("ما يقرب من", "about"),
    ("ما يقارب", "about"),
    ("نحو", "about"),
    ("حوالي", "about"),
    ("حوالى", "about"),
    ("قرابه", "about"),
    ("زهاء", "about"),
    ("اقل من", "fewer_than"),
    ("ما يقل عن", "fewer_than"),
    ("حتى", "at_most"),
    ("على الاقل", "at_least"),
    ("more than", "more_than"),
    ("over", "more_than"),
    ("upwards of", "more_than"),
    ("in excess of", "more_than"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("a minimum of", "at_least"),
    ("about", "about"),
    ("around", "about"),
    ("some", "about"),
    ("nearly", "about"),
    ("almost", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("close to", "about"),
    ("an estimated", "about"),
    ("up to", "at_most"),
    ("at most", "at_most"),
    ("no more than", "at_most"),
    ("a maximum of", "at_most"),
    ("fewer than", "fewer_than"),
    ("less than", "fewer_than"),
    ("under", "fewer_than"),
]
QUALIFIERS = sorted(
    ((tuple(fold(phrase).split()), qualifier) for phrase, qualifier in _QUALIFIERS),
    key=lambda item: -len(item[0]),
)
# Said after the number and its noun: "17 اتفاقا على الأقل", "17 agreements at least".
TRAILING_QUALIFIERS = [
    (tuple(fold("على الأقل").split()), "at_least"),
    (("at", "least"), "at_least"),
    (tuple(fold("تقريبا").split()), "about"),
]


# A count has at most this many digits; longer runs are identifiers, phone numbers or noise
# (and int() refuses strings of more than 4,300 digits).
MAX_DIGITS = 15
# Between groups of three digits: the comma, and the Arabic thousands separator (U+066C).
THOUSANDS_SEPARATORS = {",", "٬"}


def _word_value(key: str) -> int | None:
    for form in (key, key[1:] if key.startswith("و") and len(key) > 3 else None):
        if form is None:
            continue
        if form in EN_UNITS:
            return EN_UNITS[form]
        if form in AR_UNITS:
            return AR_UNITS[form]
    return None


def continues_number(tokens: list[Token], index: int, text: str) -> bool:
    """Whether ``tokens[index]`` is a group of three digits of the number before it: 1,200 and
    ١٬٢٠٠ are tokenised as 1 and 200."""
    return (
        0 < index < len(tokens)
        and len(tokens[index].key) == 3
        and tokens[index].key.isdecimal()
        and tokens[index - 1].key.isdecimal()
        and text[tokens[index - 1].end : tokens[index].start] in THOUSANDS_SEPARATORS
    )


def number_before(tokens: list[Token], end: int, text: str) -> tuple[int, int] | None:
    """The number whose last token is ``tokens[end - 1]``: (value, first token index)."""
    index = end - 1
    if index < 0:
        return None
    key = tokens[index].key
    if key.isdecimal():
        first, digits = index, key
        while len(digits) <= MAX_DIGITS and continues_number(tokens, first, text):
            first -= 1
            digits = tokens[first].key + digits
        if len(digits) > MAX_DIGITS:
            return None
        return int(digits), first
    if _word_value(key) is None or key in {"a", "an"}:
        return None
    # Words: "seventeen", "a dozen", "two dozen", "سبعة عشر", "خمسة وعشرين", "ثلاثمئة".
    first, words = index, [key]
    while first > 0 and index - first < 3 and _word_value(tokens[first - 1].key) is not None:
        first -= 1
        words.insert(0, tokens[first].key)
    values = [_word_value(word) for word in words]
    if words[-1] in {"عشر", "عشره"} and len(values) >= 2:  # سبعة عشر = 7 + 10
        return values[-2] + 10, first
    if words[-1] == "dozen":
        return (values[-2] if len(values) >= 2 else 1) * 12, first
    if words[-1] == "hundred":
        return (values[-2] if len(values) >= 2 else 1) * 100, first
    total = sum(value for value in values if value is not None)
    return total, first


def qualifier_before(tokens: list[Token], first: int) -> tuple[str, int]:
    """The qualifier just before the number at ``first``: (qualifier, its first token index)."""
    preceding = [token.key for token in tokens[max(0, first - 4) : first]]
    for phrase, qualifier in QUALIFIERS:
        if tuple(preceding[-len(phrase) :]) == phrase:
            return qualifier, first - len(phrase)
        # "about a dozen": the article belongs to the number.
        if preceding[-1:] == ["a"] and tuple(preceding[-len(phrase) - 1 : -1]) == phrase:
            return qualifier, first - len(phrase) - 1
    return "exact", first


def qualifier_after(tokens: list[Token], after: int) -> tuple[str | None, int]:
    following = tuple(token.key for token in tokens[after : after + 2])
    for phrase, qualifier in TRAILING_QUALIFIERS:
        if following[: len(phrase)] == phrase:
            return qualifier, after + len(phrase)
    return None, after
