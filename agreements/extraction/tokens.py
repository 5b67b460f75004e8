"""Tokens with their character spans, and the forms an Arabic word takes with clitics."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

from agreements.text import fold

# Letters and digits, with Arabic diacritics and tatweel kept inside the word they mark.
_WORD = re.compile(
    r"[^\W_]+(?:[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640][^\W_]*)*", re.UNICODE
)
_ARABIC = re.compile(r"[\u0621-\u064a]")

# Attached conjunctions, prepositions and the article, longest first ("وال" before "و").
ARABIC_PREFIXES = (
    "وبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
# Endings of a nisba adjective: feminine, plural, dual (فنزويلية، فنزويليين، روسيتين).
ARABIC_ADJECTIVE_ENDINGS = ("يين", "يون", "ين", "ون", "ان", "ه", "ات")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    key: str  # folded: lower case, no diacritics, one form for letter variants

    @property
    def is_arabic(self) -> bool:
        return _is_arabic(self.key)


# Bounded caches: words repeat (a text of a megabyte has a few thousand distinct ones), and a
# long-running server must not keep every word it has ever read, nor any word longer than a
# word (a "word" of a megabyte is computed and forgotten).
_CACHE_SIZE = 50_000
_CACHED_LENGTH = 64
T = TypeVar("T")


def _cached_for_words(function: Callable[[str], T]) -> Callable[[str], T]:
    cached = lru_cache(maxsize=_CACHE_SIZE)(function)

    @wraps(function)
    def call(word: str) -> T:
        return cached(word) if len(word) <= _CACHED_LENGTH else function(word)

    return call


@_cached_for_words
def _key(word: str) -> str:
    return fold(word).replace(" ", "")


@_cached_for_words
def _is_arabic(key: str) -> bool:
    return bool(_ARABIC.search(key))


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group()
        key = _key(word)
        if key:
            tokens.append(Token(word, match.start(), match.end(), key))
    return tokens


@_cached_for_words
def arabic_prefix_forms(key: str) -> tuple[tuple[str, str], ...]:
    """(form, stripped prefix) pairs for an Arabic word: the word itself, then without each
    attached prefix that leaves at least two letters; "للصين" also gives "الصين"."""
    forms = [(key, "")]
    for prefix in ARABIC_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            rest = key[len(prefix) :]
            forms.append((rest, prefix))
            if prefix.endswith("لل"):
                forms.append(("ال" + rest, prefix[:-1]))
    return tuple(forms)


@_cached_for_words
def adjective_stems(key: str) -> tuple[str, ...]:
    """A folded adjective without its ending: فنزويليه → فنزويلي, venezuelans → venezuelan."""
    stems = [key]
    if _ARABIC.search(key):
        for ending in ARABIC_ADJECTIVE_ENDINGS:
            if key.endswith(ending) and len(key) - len(ending) >= 3:
                stem = key[: -len(ending)]
                stems.append(stem if stem.endswith("ي") else stem + "ي")
                stems.append(stem)
    elif key.endswith("s") and len(key) > 4:
        stems.append(key[:-1])
    return tuple(stems)


def letters_offset(raw: str, letters: int) -> int:
    """Index in ``raw`` after its first ``letters`` base letters (marks stay with their letter)."""
    seen = 0
    for index, char in enumerate(raw):
        if unicodedata.combining(char) or char == "\u0640":
            continue
        if seen == letters:
            return index
        seen += 1
    return len(raw)
