"""Officials: known ones from the gazetteer, new ones from the titles written around names."""

from collections.abc import Container
from dataclasses import dataclass, field

from agreements.extraction import lexicon
from agreements.extraction.mentions import Mention
from agreements.extraction.tokens import Token, arabic_prefix_forms
from agreements.text import fold

AR_STOP = {
    "في",
    "من",
    "علي",
    "عن",
    "مع",
    "الي",
    "ان",
    "قد",
    "كان",
    "هذا",
    "هذه",
    "التي",
    "الذي",
    "قال",
    "وقال",
    "صرح",
    "اكد",
    "واكد",
    "خلال",
    "يوم",
    "امس",
    "اليوم",
    "مساء",
    "صباح",
    "بعد",
    "قبل",
    "حيث",
    "لدي",
    "عام",
    "منذ",
    "بين",
    "او",
    "ثم",
    "كما",
    "لكن",
    "وهو",
    "وهي",
    "هو",
    "هي",
    "الذين",
    "ذلك",
    "تلك",
    "حول",
    "بشان",
    "شان",
    "اثناء",
    "عبر",
    "نحو",
    "قايلا",
    "قايله",
    "السابق",
    "السابقه",
    "الحالي",
    "الجديد",
    "خليفه",
    "حليف",
    "وفقا",
    "بحسب",
    "حسب",
}
EN_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "di",
    "bin",
    "bint",
    "al",
    "el",
    "van",
    "von",
    "la",
    "le",
    "ibn",
    "abu",
}
EN_HONORIFICS = {"sheikh", "sheikha", "sir", "dr", "mr", "mrs", "ms", "prince", "princess"}
EN_NOT_NAMES = {
    "the",
    "a",
    "an",
    "on",
    "in",
    "at",
    "and",
    "of",
    "for",
    "with",
    "said",
    "says",
    "told",
    "who",
    "ministry",
    "government",
    "state",
    "council",
    "office",
    "thursday",
    "friday",
    "monday",
    "tuesday",
    "wednesday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "after",
    "during",
    "his",
    "her",
    "their",
    "its",
    "this",
    "that",
    "when",
    "while",
    "also",
    "but",
}
AR_HONORIFICS = {
    fold(word)
    for word in (
        "الأمير",
        "الشيخ",
        "السيد",
        "السيدة",
        "الدكتور",
        "الدكتورة",
        "المهندس",
        "الجنرال",
        "اللواء",
        "الفريق",
        "المشير",
        "سمو",
        "الملكة",
    )
}
AR_CONNECTORS = {fold(word) for word in ("بن", "بنت", "آل", "عبد", "أبو", "ابن", "ولد")}
# Words that follow a name and are no part of it: verbs of meeting and saying, "his counterpart".
AR_NAME_ENDERS = {
    fold(word)
    for word in (
        "استقبل",
        "يستقبل",
        "التقى",
        "يلتقي",
        "بحث",
        "يبحث",
        "أكد",
        "أعلن",
        "وقع",
        "زار",
        "يزور",
        "يرافقه",
        "نظيره",
        "نظيرته",
        "ونظيره",
        "ونظيرته",
        "اليوم",
        "أمس",
        "إن",
        "أن",
        "الذي",
        "التي",
        "خلال",
        "عقب",
        "بعد",
        "وعدد",
        "عدد",
        "وزراء",
        "ووزراء",
    )
}
QUOTES_OPEN = '"“«„'
QUOTES_CLOSE = '"”»“'


@dataclass
class OfficialFinding:
    name_native: str
    name_en: str | None
    key: str | None = None  # a known official's key in the gazetteer
    country: str | None = None
    title: str | None = None  # English, without the country: "Deputy Prime Minister"
    role: str | None = None
    former: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    title_span: tuple[int, int] | None = None
    first_token: int = 0


def _title_at(tokens: list[Token], index: int, arabic: bool) -> tuple[int, str, str, str] | None:
    """A title starting at token ``index``: (tokens it takes, role, English title, prefix)."""
    titles = lexicon.AR_TITLES_BY_WORD if arabic else lexicon.EN_TITLES_BY_WORD
    first_forms = arabic_prefix_forms(tokens[index].key) if arabic else [(tokens[index].key, "")]
    for form, prefix in first_forms:
        if prefix not in {"", "و", "ف", "ل", "ب"}:
            continue
        for phrase, role, title in titles.get(form, ()):
            words = phrase.split()
            following = [token.key for token in tokens[index + 1 : index + len(words)]]
            if following == words[1:]:
                return len(words), role, title, prefix
    return None


def _separated_by_space(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start] in {" ", "\u00a0", "-", "'"}


def _arabic_name_after(
    tokens: list[Token], index: int, text: str, blocked: set[int], adjectives: set[int]
) -> tuple[int, int] | None:
    """Name tokens after a title (possibly in quotes, after honorifics such as الشيخ):
    (first, last) inclusive. At most three parts; بن, آل, عبد and أبو join the next word."""
    while index < len(tokens) and tokens[index].key in AR_HONORIFICS:
        index += 1
    if index >= len(tokens):
        return None
    gap = text[tokens[index - 1].end : tokens[index].start] if index > 0 else ""
    quoted = any(mark in gap for mark in QUOTES_OPEN)
    if gap.strip(" \u00a0" + QUOTES_OPEN):
        return None  # a comma or a full stop: the name does not follow the title
    last, parts, position = None, 0, index
    while position < len(tokens) and parts < 3:
        token = tokens[position]
        if position > index and text[tokens[position - 1].end : token.start].strip():
            break
        if token.key in AR_STOP or token.key in AR_NAME_ENDERS or token.key.isdigit():
            break
        if _title_at(tokens, position, True) is not None:
            break
        if not token.is_arabic or (position == index and position in adjectives):
            break
        if position in blocked and not (
            position == index and _name_like(tokens, position + 1, text, blocked)
        ):
            break  # a country or place, unless a name starts with it (جورجيا ميلوني)
        if (
            position > index
            and len(token.text) >= 4
            and token.text.endswith(("ه", "ها", "هم", "هما"))
        ):
            break  # a pronoun suffix: ضيفه "his guest" follows the name
        if parts >= 2 and token.key.startswith("و") and token.key not in AR_CONNECTORS:
            break  # "بدر عبد العاطي وهاكان فيدان": و starts the next person
        if token.key in AR_CONNECTORS and position + 1 < len(tokens):
            position += 1
        last, parts, position = position, parts + 1, position + 1
        if quoted and any(
            mark in text[tokens[last].end : tokens[last].end + 2] for mark in QUOTES_CLOSE
        ):
            break
    if last is None or (not quoted and parts == 1):
        return None  # one bare word after a title is too often not a name
    return index, last


def _name_like(tokens: list[Token], position: int, text: str, blocked: set[int]) -> bool:
    if position >= len(tokens) or position in blocked:
        return False
    token = tokens[position]
    joined = not text[tokens[position - 1].end : token.start].strip()
    return joined and token.is_arabic and token.key not in AR_STOP


def _english_name_after(
    tokens: list[Token], index: int, text: str, taken: Container[int]
) -> tuple[int, int] | None:
    while index < len(tokens) and tokens[index].key in EN_HONORIFICS:
        index += 1
    last = None
    for position in range(index, min(index + 6, len(tokens))):
        token = tokens[position]
        capital = token.text[:1].isupper()
        particle = token.key in EN_PARTICLES and position > index
        hyphenated = position > index and text[tokens[position - 1].end : token.start] == "-"
        if position in taken or token.key in EN_NOT_NAMES:
            break
        if not (capital or particle or hyphenated):
            break
        if position > index and not _separated_by_space(text, tokens[position - 1], token):
            break
        last = position
    if last is None or (last == index and not tokens[index].text[:1].isupper()):
        return None
    while last > index and tokens[last].key in EN_PARTICLES:
        last -= 1
    return index, last


def _english_name_before(
    tokens: list[Token], end: int, text: str, taken: Container[int]
) -> tuple[int, int] | None:
    """Capitalised tokens ending at ``end`` (inclusive), as in "Delcy Rodríguez, the ..."."""
    first = None
    for position in range(end, max(end - 6, -1), -1):
        token = tokens[position]
        if position in taken or token.key in EN_NOT_NAMES or token.key in EN_HONORIFICS:
            break
        hyphenated = position < end and text[token.end : tokens[position + 1].start] == "-"
        if not (
            token.text[:1].isupper() or hyphenated or (token.key in EN_PARTICLES and position < end)
        ):
            break
        if position < end and not _separated_by_space(text, token, tokens[position + 1]):
            break
        first = position
    if first is None or first == end:
        return None  # a name is at least two capitalised words here
    return first, end


def find_officials(
    tokens: list[Token],
    text: str,
    arabic: bool,
    mentions: list[Mention],
    country_at: dict[int, str],
    known_names: dict[str, tuple[str, str, str]],
) -> list[OfficialFinding]:
    """Officials with their titles. ``country_at`` maps a token index to the country an adjective
    or name there stands for; ``known_names`` maps a gazetteer official key to (name_en, country,
    native name)."""
    adjectives = {
        i
        for m in mentions
        if any(e.kind == "country" and e.name_kind == "adjective" for e in m.entries)
        for i in range(m.first, m.last + 1)
    }
    taken = {
        i
        for m in mentions
        if any(e.kind in {"country", "place", "official"} for e in m.entries)
        for i in range(m.first, m.last + 1)
    } - adjectives
    findings: list[OfficialFinding] = []
    known_starting: dict[int, OfficialFinding] = {}
    known_ending: dict[int, OfficialFinding] = {}

    for mention in mentions:
        officials = [entry for entry in mention.entries if entry.kind == "official"]
        if officials:
            key = officials[0].key
            name_en, country, _native = known_names[key]
            finding = OfficialFinding(
                name_native=text[mention.start : mention.end],
                name_en=name_en,
                key=key,
                country=country,
                spans=[(mention.start, mention.end)],
                first_token=mention.first,
            )
            findings.append(finding)
            known_starting[mention.first] = finding
            known_ending[mention.last] = finding

    index = 0
    while index < len(tokens):
        title = _title_at(tokens, index, arabic)
        if title is None:
            index += 1
            continue
        length, role, english_title, _prefix = title
        after = index + length
        title_end = tokens[after - 1].end
        if arabic and english_title == "Emir" and after not in country_at:
            index += 1  # أمير is also a given name; the title names its state: أمير قطر
            continue
        # وزير الخارجية / وزير المياه والري: the ministry's words; then the country adjective;
        # then "former".
        if arabic and role == "minister":
            ministry_words = 0
            while (
                after < len(tokens)
                and ministry_words < 3
                and after not in country_at
                and tokens[after].key.startswith(("ال", "وال"))
                and tokens[after].key not in AR_STOP
            ):
                english_title = lexicon.AR_MINISTRIES.get(tokens[after].key, english_title)
                after, ministry_words = after + 1, ministry_words + 1
            title_end = tokens[after - 1].end
        country = None
        former = index > 0 and tokens[index - 1].key in lexicon.EN_FORMER
        for _ in range(2):
            if country is None and after < len(tokens) and after in country_at:
                country = country_at[after]
                while after < len(tokens) and after in country_at and country_at[after] == country:
                    after += 1
                title_end = tokens[after - 1].end
            if after < len(tokens) and tokens[after].key in lexicon.AR_FORMER:
                former, after = True, after + 1
        if not arabic:
            # "Russian Deputy Prime Minister", "Russia's deputy prime minister", "India's
            # commerce and industry minister": the country just before the title.
            for before in range(index - 1, max(index - 6, -1), -1):
                if text[tokens[before].end : tokens[before + 1].start].strip() == ",":
                    break
                if before in country_at:
                    country = country_at[before]
                    break
            if after + 1 < len(tokens) and tokens[after].key == "of" and after + 1 in country_at:
                country = country_at[after + 1]
                after += 2
                while after < len(tokens) and after in country_at:
                    after += 1
        span = (tokens[index].start, title_end)
        # A known official right after the title, or right before it ("X", the president).
        holder = known_starting.get(_skip_honorifics(tokens, after))
        if holder is None and index > 0 and role != "counterpart":
            gap = text[tokens[index - 1].end : tokens[index].start]
            if any(mark in gap for mark in ("،", ",", *QUOTES_CLOSE)):
                holder = known_ending.get(index - 1)
        if holder is not None:
            if holder.title is None:
                holder.title, holder.role, holder.title_span = english_title, role, span
                holder.country = country or holder.country
                holder.former = holder.former or former
            index = after if after > index else index + 1
            continue
        if arabic:
            name = _arabic_name_after(tokens, after, text, taken, adjectives)
        else:
            taken_or_adjective = _Either(taken, adjectives)
            name = _english_name_after(tokens, after, text, taken_or_adjective)
        if name is None and arabic:
            name = _quoted_name_before(tokens, index, text, taken, adjectives)
        if name is None and not arabic:
            name = _english_name_after_comma(tokens, after, text, taken_or_adjective)
            if name is None:
                name = _comma_name_before(tokens, index, text, taken_or_adjective)
                if name is not None:
                    # The title runs from the comma to the next one: "India's commerce and
                    # industry minister", "the minister of state for foreign trade".
                    end = after
                    while (
                        end < len(tokens)
                        and end - after < 4
                        and tokens[end].text.islower()
                        and not text[tokens[end - 1].end : tokens[end].start].strip()
                    ):
                        end += 1
                    span = (tokens[name[1] + 1].start, tokens[end - 1].end)
        if name is not None:
            first, last = name
            start = tokens[first].start
            if arabic and first - 1 in taken and tokens[first].key.startswith("و"):
                start += 1  # "بدر عبد العاطي وهاكان فيدان": و joins the second name to the first
            native = text[start : tokens[last].end]
            findings.append(
                OfficialFinding(
                    name_native=native,
                    name_en=None if arabic else native,
                    country=country,
                    title=english_title,
                    role=role,
                    former=former,
                    spans=[(start, tokens[last].end)],
                    title_span=span,
                    first_token=first,
                )
            )
            taken.update(range(first, last + 1))
        index = after if after > index else index + 1
    return _resolve_counterparts(findings)


class _Either:
    """Membership in either set, without copying them for every title (quadratic in a long
    text)."""

    def __init__(self, first: set[int], second: set[int]) -> None:
        self.first, self.second = first, second

    def __contains__(self, item: int) -> bool:
        return item in self.first or item in self.second


def _skip_honorifics(tokens: list[Token], index: int) -> int:
    while index < len(tokens) and tokens[index].key in AR_HONORIFICS:
        index += 1
    return index


def _resolve_counterparts(findings: list[OfficialFinding]) -> list[OfficialFinding]:
    """ "His Iranian counterpart Masoud Pezeshkian" holds the office of the official before him."""
    resolved = []
    for finding in sorted(findings, key=lambda f: f.first_token):
        if finding.role == "counterpart":
            previous = next((f for f in reversed(resolved) if f.title), None)
            if previous is None:
                continue
            finding.role, finding.title = previous.role, previous.title
        resolved.append(finding)
    return resolved


def _quoted_name_before(
    tokens: list[Token], title_index: int, text: str, taken: set[int], adjectives: set[int]
) -> tuple[int, int] | None:
    """'"نيكولاس مادورو" الرئيس الفنزويلي' and 'ديلسي رودريغيز، نائبة الرئيس': the name before."""
    if title_index == 0:
        return None
    gap = text[tokens[title_index - 1].end : tokens[title_index].start]
    quoted = any(mark in gap for mark in QUOTES_CLOSE)
    if not quoted and "،" not in gap and "," not in gap:
        return None
    last = title_index - 1
    first = None
    for position in range(last, max(last - 4, -1), -1):
        token = tokens[position]
        if position in taken or token.key in AR_STOP or not token.is_arabic:
            break
        if position in adjectives or _title_at(tokens, position, True) is not None:
            break  # a title or an adjective ("نائبة الرئيس الفنزويلي") is no name
        if position < last and text[token.end : tokens[position + 1].start].strip():
            break
        first = position
        opening = text[max(0, token.start - 2) : token.start]
        if quoted and any(mark in opening for mark in QUOTES_OPEN):
            break
    if first is None or (first == last and not quoted):
        return None
    if quoted:
        opening = text[max(0, tokens[first].start - 2) : tokens[first].start]
        if not any(mark in opening for mark in QUOTES_OPEN):
            return None
    return first, last


def _english_name_after_comma(
    tokens: list[Token], after: int, text: str, taken: Container[int]
) -> tuple[int, int] | None:
    """ "the president of Venezuela, Nicolás Maduro"."""
    if (
        after < len(tokens)
        and after > 0
        and text[tokens[after - 1].end : tokens[after].start].strip() == ","
    ):
        return _english_name_after(tokens, after, text, taken)
    return None


def _comma_name_before(
    tokens: list[Token], title_index: int, text: str, taken: Container[int]
) -> tuple[int, int] | None:
    """ "Dmitry Chernyshenko, Russia's deputy prime minister": the name before the comma."""
    position = title_index - 1
    skipped = 0
    while (
        position >= 0
        and skipped < 5
        and text[tokens[position].end : tokens[position + 1].start].strip() != ","
    ):
        # "Piyush Goyal, India's commerce and industry minister": skip what describes the title.
        token = tokens[position]
        if not (token.key in {"the", "s", "and"} or position in taken or token.text.islower()):
            break
        position -= 1
        skipped += 1
    if position < 0 or text[tokens[position].end : tokens[position + 1].start].strip() != ",":
        return None
    return _english_name_before(tokens, position, text, taken)
