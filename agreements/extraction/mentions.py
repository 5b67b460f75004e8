"""Finding the gazetteer's names in a text, with Arabic clitics and adjective endings."""

from dataclasses import dataclass

from agreements.extraction.gazetteer import AMBIGUOUS_NAMES, Entry, Gazetteer
from agreements.extraction.tokens import Token, adjective_stems, arabic_prefix_forms, letters_offset
from agreements.text import fold

# Words before a country name that make an ambiguous one (مالي "financial") a country.
COUNTRY_MARKERS = set(
    [
        "دوله",
        "جمهوريه",
        "حكومه",
        "شعب",
        "عاصمه",
        "سلطنه",
        "مملكه",
        "بين",
        "مع",
        "الي",
        "امير",
        "اماره",
        "رييس",
        "ملك",
        "سلطان",
        "وزير",
        "سفير",
        "ولي",
        "شيخ",
        "حاكم",
        "republic",
        "government",
        "state",
        "between",
        "with",
        "to",
        "of",
        "and",
        "visit",
        "in",
        "the",
        "for",
        "from",
        "on",
        "by",
        "at",
        "as",
        "that",
        "said",
        "told",
    ]
)
COUNTRY_FOLLOWERS = {"و", "and", "'s", "s"}
# Words that make المغرب the sunset prayer and قطر a diameter.
FALSE_FRIEND_CONTEXT = {fold(w) for w in ("صلاة", "أذان", "وقت", "بعد", "قبل", "نصف", "michael")}
CAPITAL_WORDS = {fold(w) for w in ("العاصمة", "capital")}
IN_WORDS = {fold(w) for w in ("in", "at", "في", "داخل", "إلى", "to", "from", "من")}


@dataclass
class Mention:
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character span in the text
    end: int
    entries: list[Entry]
    prefix: str  # Arabic clitic stripped from the first token ("و", "ب", "ال"...)


def _match_rest(tokens: list[Token], start: int, keys: tuple[str, ...], adjective: bool) -> bool:
    if start + len(keys) - 1 > len(tokens):
        return False
    for offset, key in enumerate(keys[1:], start=1):
        index = start + offset
        if index >= len(tokens):
            return False
        token_key = tokens[index].key
        last = offset == len(keys) - 1
        if token_key == key or (adjective and last and key in adjective_stems(token_key)):
            continue
        return False
    return True


def find_mentions(tokens: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    """The longest gazetteer names at each position, left to right, without overlaps."""
    mentions = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        forms = arabic_prefix_forms(token.key) if token.is_arabic else [(token.key, "")]
        best: tuple[int, list[Entry], str] | None = None
        for form, prefix in forms:
            stems = {form: False}
            for stem in adjective_stems(form)[1:]:
                stems.setdefault(stem, True)
            for stem, is_stemmed in stems.items():
                for keys, entry in gazetteer.starting_with(stem):
                    adjective = entry.name_kind == "adjective"
                    if is_stemmed and not (adjective and len(keys) == 1):
                        continue
                    if not _match_rest(tokens, index, keys, adjective):
                        continue
                    length = len(keys)
                    if best is None or length > best[0]:
                        best = (length, [entry], prefix)
                    elif length == best[0] and entry not in best[1] and prefix == best[2]:
                        best[1].append(entry)
        if best is None:
            index += 1
            continue
        length, entries, prefix = best
        last = index + length - 1
        start = token.start + letters_offset(token.text, len(prefix))
        mentions.append(Mention(index, last, start, tokens[last].end, entries, prefix))
        index = last + 1
    return mentions


def preceded_by_in(tokens: list[Token], mention: Mention) -> bool:
    """'in Caracas', 'في كراكاس', 'بكراكاس': a place, not the state."""
    if mention.prefix in {"ب", "وب", "فب", "بال", "وبال"}:
        return True
    if mention.first == 0:
        return False
    previous = tokens[mention.first - 1].key
    if previous in IN_WORDS or previous.removeprefix("و") in IN_WORDS:
        return True
    # "في العاصمة الأردنية عمّان", "in the Kazakh capital Astana".
    window = [token.key for token in tokens[max(0, mention.first - 3) : mention.first]]
    return any(word in CAPITAL_WORDS for word in window)


def is_false_friend(tokens: list[Token], mention: Mention, code: str, text: str) -> bool:
    """An ambiguous country name counts only next to a word that marks it as a country."""
    key = " ".join(token.key for token in tokens[mention.first : mention.last + 1])
    name = key[len(mention.prefix) :]
    forms = {key, name, *adjective_stems(name)}
    if not any((code, form) in AMBIGUOUS_NAMES for form in forms):
        return False
    before = tokens[mention.first - 1].key if mention.first > 0 else ""
    after = tokens[mention.last + 1].key if mention.last + 1 < len(tokens) else ""
    if before in FALSE_FRIEND_CONTEXT:
        return True
    raw = text[mention.start : mention.end]
    if raw[:1].isascii():
        # English: a capitalised name, and not a surname after a capitalised first name.
        if not raw[:1].isupper():
            return True
        previous = tokens[mention.first - 1] if mention.first > 0 else None
        following = tokens[mention.last + 1] if mention.last + 1 < len(tokens) else None
        after_first_name = (
            previous is not None
            and previous.text[:1].isupper()
            and before not in COUNTRY_MARKERS
            and text[previous.end : mention.start] == " "
        )
        before_surname = (
            following is not None
            and following.text[:1].isupper()
            and text[mention.end : following.start] == " "
        )
        return after_first_name or before_surname
    marked = (
        before.removeprefix("و") in COUNTRY_MARKERS
        or mention.prefix in {"و", "ل", "ب"}
        or after in COUNTRY_FOLLOWERS
    )
    return not marked
