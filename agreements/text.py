"""Text folding for search: one form for every spelling of a name.

"Chávez", "CHAVEZ" and "chavez" fold to the same key, and so do Arabic spellings that differ only
in hamza, alef, final yeh or teh marbuta, diacritics or tatweel (أ إ آ ا, ى ي, ة ه). Plain Python,
no Django, so the article reader can use it too.
"""

import functools
import hashlib
import re
import unicodedata

_ARABIC_LETTER_VARIANTS = str.maketrans(
    {
        "ٱ": "ا",  # alef wasla (does not decompose under NFKD)
        "ى": "ي",  # alef maksura written for final yeh
        "ة": "ه",  # teh marbuta written as heh
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        "ـ": "",  # tatweel (kashida)
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic digits
    }
)
_NOT_WORD = re.compile(r"[\W_]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _combining_marks() -> dict[int, None]:
    """The Basic Multilingual Plane's combining marks, for str.translate to delete: a table
    lookup per character in C instead of a Python call per character (fold runs on every
    sentence of an article)."""
    return {code: None for code in range(0x10000) if unicodedata.combining(chr(code))}


def _without_marks(text: str) -> str:
    stripped = text.translate(_combining_marks())
    if _ASTRAL.search(stripped):  # marks beyond the BMP (Brahmi, musical...) are rare
        stripped = "".join(char for char in stripped if not unicodedata.combining(char))
    return stripped


def fold(text: str) -> str:
    """Return the search key of ``text``: lower case, no accents or diacritics, one spacing.

    NFKD splits accented letters and hamza-carrying Arabic letters (أ, إ, آ, ؤ, ئ) into a base
    letter and a combining mark; dropping every combining mark removes accents, harakat and hamza
    alike.
    """
    stripped = _without_marks(unicodedata.normalize("NFKD", text))
    folded = stripped.translate(_ARABIC_LETTER_VARIANTS).casefold()
    return _NOT_WORD.sub(" ", folded).strip()


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# Light stemming after Larkey's "light10": attached conjunction and article, then common
# suffixes, always keeping at least two letters (forms as they are after fold()).
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem_arabic(word: str) -> str:
    """The light stem of one folded Arabic word: والمشوره → مشور, الطايرات → طاير."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def search_words(text: str) -> list[str]:
    """The words full-text search compares: folded, Arabic words light-stemmed. Documents and
    queries go through the same function, so "والمشورة" in a text matches a query "المشورة"."""
    return [
        stem_arabic(word) if _ARABIC_LETTER.search(word) else word for word in fold(text).split()
    ]


def normalize_source_text(text: str) -> str:
    """The form in which a source text is stored and hashed: no BOM, Unix line ends, no outer
    blanks. Citations' offsets count characters of this form."""
    # BOMs and blanks may alternate at the start ("  \ufeff..." from a pasted file): strip both
    # together, so that normalising twice gives the same text (and the same hash).
    return _OUTER_BLANKS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_OUTER_BLANKS = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same text is always the same source."""
    return hashlib.sha256(normalize_source_text(text).encode("utf-8")).hexdigest()


_LATIN_OF_ARABIC = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "'",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "u",
    "ي": "i",
    "ى": "a",
    "ء": "'",
    "ئ": "'",
    "ؤ": "'",
    "پ": "p",
    "چ": "ch",
    "ڤ": "v",
    "گ": "g",
}


def transliterate(text: str) -> str:
    """A rough Latin spelling of an Arabic name (no short vowels), for a draft until a curator
    writes the usual one: نيكولاس مادورو → Nikulas Maduru, عبد الفتاح السيسي → Abd al-Ftah
    al-Sisi."""
    words = []
    for position, word in enumerate(unicodedata.normalize("NFC", text).split()):
        word = "".join(char for char in word if not unicodedata.combining(char) and char != "ـ")
        prefix = ""
        if word.startswith("ال") and len(word) > 3:
            prefix, word = "al-", word[2:]
        latin = ""
        for index, char in enumerate(word):
            if index == 0 and char in "وي":
                latin += "w" if char == "و" else "y"
            elif index == 0 and char == "ع":
                latin += "a"
            else:
                latin += _LATIN_OF_ARABIC.get(char, char)
        latin = latin.strip("'").capitalize()
        words.append((prefix.capitalize() if position == 0 else prefix) + latin)
    return " ".join(words)
