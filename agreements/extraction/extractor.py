"""Reading one news article: who signed how many of what, where, when, said by whom.

``extract(text, gazetteer, published_on)`` returns an ``Extraction`` whose findings each keep
the exact character span of the text that supports them; ``Extraction.summary()`` is the
article summary used by ``manage.py extract --json`` and by the evaluation.
"""

import datetime
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from agreements.extraction import lexicon
from agreements.extraction.gazetteer import Gazetteer, PlaceRecord
from agreements.extraction.mentions import find_mentions, is_false_friend, preceded_by_in
from agreements.extraction.numbers import (
    SCALE_WORDS,
    continues_number,
    number_before,
    qualifier_after,
    qualifier_before,
)
from agreements.extraction.people import QUOTES_CLOSE, QUOTES_OPEN, OfficialFinding, find_officials
from agreements.extraction.tokens import Token, arabic_prefix_forms, tokenize
from agreements.text import fold

_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
Span = tuple[int, int]


class _Cover:
    """Which positions or spans a set of spans covers, in O(log n) a question: the spans sorted
    by start with the running maximum of their ends (a long text has thousands of them)."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _end in ordered]
        self.max_ends: list[int] = []
        for _start, end in ordered:
            self.max_ends.append(max(end, self.max_ends[-1]) if self.max_ends else end)

    def _reach(self, position: int) -> int:
        """The furthest end of the spans that start at or before ``position``."""
        index = bisect_right(self.starts, position) - 1
        return self.max_ends[index] if index >= 0 else -1

    def covers(self, position: int) -> bool:  # some start <= position < end
        return self._reach(position) > position

    def contains(self, span: Span) -> bool:  # some start <= span start and span end <= end
        return self._reach(span[0]) >= span[1]


@dataclass
class CountryMention:
    code: str
    span: Span
    token: int
    name_kind: str


@dataclass
class PlaceMention:
    name: str
    country: str
    span: Span
    token: int
    in_dateline: bool


@dataclass
class CountFinding:
    value: int
    qualifier: str
    counted: str  # the agreement kind counted ("agreement" for any)
    span: Span
    since: int | None = None
    is_total: bool = False


@dataclass
class AgreementFinding:
    kind: str
    subject: str
    span: Span
    sectors: list[str] = field(default_factory=list)


@dataclass
class QuoteFinding:
    text: str
    span: Span
    speaker: OfficialFinding | None


@dataclass
class Extraction:
    text: str
    language: str
    countries: list[str] = field(default_factory=list)
    country_mentions: list[CountryMention] = field(default_factory=list)
    place_mentions: list[PlaceMention] = field(default_factory=list)
    country_names: dict[str, str] = field(default_factory=dict, repr=False)
    parties: list[str] = field(default_factory=list)
    officials: list[OfficialFinding] = field(default_factory=list)
    place: PlaceMention | None = None
    agreement_count: CountFinding | None = None
    total_count: CountFinding | None = None
    sectors: list[str] = field(default_factory=list)
    sector_spans: dict[str, Span] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    signed_on: str | None = None
    weekday: str | None = None
    date_span: Span | None = None
    agreements: list[AgreementFinding] = field(default_factory=list)
    quotes: list[QuoteFinding] = field(default_factory=list)
    signing_spans: list[Span] = field(default_factory=list)

    def title_of(self, official: OfficialFinding) -> str | None:
        """ "Deputy Prime Minister of Russia": the title with the country it is held for."""
        if not official.title:
            return None
        country = self.country_names.get(official.country or "")
        if country and " of " not in official.title and official.role != "ambassador":
            return f"{official.title} of {country}"
        return official.title

    def summary(self) -> dict:
        return {
            "language": self.language,
            "countries": sorted(self.countries),
            "parties": sorted(self.parties),
            "officials": [
                {
                    "name_en": official.name_en,
                    "name_native": official.name_native,
                    "country": official.country,
                    "title": self.title_of(official),
                }
                for official in self.officials
                if official.title  # an official named without an office is not reported
            ],
            "agreement_count": _count_summary(self.agreement_count),
            "total_count": _count_summary(self.total_count, with_since=True),
            "sectors": sorted(self.sectors),
            "place": self.place.name if self.place else None,
            "signed_on": self.signed_on,
            "weekday": self.weekday,
        }


def _count_summary(count: CountFinding | None, with_since: bool = False) -> dict | None:
    if count is None:
        return None
    summary = {"value": count.value, "qualifier": count.qualifier}
    if with_since:
        summary["since"] = count.since
    return summary


def detect_language(text: str) -> str:
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic > latin else "en"


_SENTENCE_END = re.compile(r'\n|[.!?؟](?=[ \n\t"”»]|\Z)')


def sentence_spans(text: str) -> list[Span]:
    """Sentences end at . ! ? ؟ before a space or a new line, and at blank lines; "U.S." and
    other single-letter abbreviations do not end one."""
    spans, start = [], 0
    # Only the candidate ends are visited (a regex finds them in C): a new line, or . ! ? ؟
    # before a space, a new line, a closing quote or the end of the text.
    for match in _SENTENCE_END.finditer(text):
        index = match.start()
        if text[index] == "." and (
            index >= 1
            and text[index - 1].isupper()
            and (index < 2 or not text[index - 2].isalpha())
        ):
            continue  # an abbreviation: "U.S."
        if not text[start : index + 1].isspace():
            spans.append((start, index + 1))
        start = index + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _dateline(text: str, tokens: list[Token], places: dict[int, str]) -> Span | None:
    """'MOSCOW, Nov 7 (Reuters) -' or 'موسكو - ' at the start: where the reporter files from."""
    head = text[:80]
    match = re.match(r"\s*([^\n,(–—\-:]{2,40}?)\s*(?:,|\(|–|—|-|:)", head)
    if not match:
        return None
    span = (match.start(1), match.end(1))
    covered = [index for index, token in enumerate(tokens) if span[0] <= token.start < span[1]]
    if covered and all(index in places for index in covered[:1]) and len(covered) <= 4:
        return (span[0], match.end())
    return None


def _is_signing(token: Token) -> bool:
    if not token.is_arabic:
        return token.key in lexicon.EN_SIGNING
    if token.key in lexicon.AR_NOT_SIGNING:
        return False
    return any(
        lexicon.AR_SIGNING.match(form) and form not in lexicon.AR_NOT_SIGNING
        for form, prefix in arabic_prefix_forms(token.key)
        if prefix in {"", "و", "ف"}
    )


def _is_signing_noun(token: Token) -> bool:
    return token.key == "signing" or "توقيع" in token.key


def _kind_at(tokens: list[Token], index: int, arabic: bool) -> tuple[str, int] | None:
    """An agreement noun at ``index``: (kind, number of tokens)."""
    phrases = lexicon.AR_KINDS_BY_WORD if arabic else lexicon.EN_KINDS_BY_WORD
    token = tokens[index]
    forms = (
        [form for form, prefix in arabic_prefix_forms(token.key) if prefix in _NOUN_PREFIXES]
        if arabic
        else [token.key]
    )
    for form in forms:
        for phrase, kind in phrases.get(form, ()):
            words = phrase.split()
            following = [t.key for t in tokens[index + 1 : index + len(words)]]
            if following == words[1:]:
                return kind, len(words)
    return None


# Words that may not stand between a number and the noun it counts: "2025 in the Kremlin, a treaty".
_NOT_BETWEEN = {fold(w) for w in ("in", "at", "on", "of", "the", "and", "في", "على", "إلى", "و")}
_NOUN_PREFIXES = {"", "و", "ال", "وال", "بال", "ب", "ل", "لل", "ف"}


def extract(
    text: str, gazetteer: Gazetteer | None = None, published_on: datetime.date | None = None
) -> Extraction:
    gazetteer = gazetteer or Gazetteer.builtin()
    language = detect_language(text)
    arabic = language == "ar"
    tokens = tokenize(text)
    sentences = sentence_spans(text)
    sentence_of = _sentence_index(tokens, sentences)
    extraction = Extraction(
        text=text,
        language=language,
        country_names={code: country.name_en for code, country in gazetteer.countries.items()},
    )

    mentions = find_mentions(tokens, gazetteer)
    place_tokens = {
        mention.first: mention
        for mention in mentions
        if any(entry.kind == "place" or entry.name_kind == "capital" for entry in mention.entries)
    }
    dateline = _dateline(text, tokens, place_tokens)
    country_at: dict[int, str] = {}
    for mention in mentions:
        in_dateline = dateline is not None and dateline[0] <= mention.start < dateline[1]
        places = [entry for entry in mention.entries if entry.kind == "place"]
        # A name before a capital: عمان is Oman before it is Amman.
        countries = sorted(
            (entry for entry in mention.entries if entry.kind == "country"),
            key=lambda entry: entry.name_kind == "capital",
        )
        capital = next((entry for entry in countries if entry.name_kind == "capital"), None)
        located = preceded_by_in(tokens, mention)
        if places and (located or in_dateline or not capital):
            place = gazetteer.places[places[0].key]
            extraction.place_mentions.append(
                PlaceMention(
                    place.name_en,
                    place.country,
                    (mention.start, mention.end),
                    mention.first,
                    in_dateline,
                )
            )
            continue
        if in_dateline:
            continue
        for entry in countries[:1]:
            if entry.name_kind == "capital" and located:
                continue
            if is_false_friend(tokens, mention, entry.key, text):
                continue
            extraction.country_mentions.append(
                CountryMention(
                    entry.key, (mention.start, mention.end), mention.first, entry.name_kind
                )
            )
            for index in range(mention.first, mention.last + 1):
                country_at[index] = entry.key
    extraction.countries = list(dict.fromkeys(m.code for m in extraction.country_mentions))

    known = {
        key: (official.name_en, official.country, official.native_names.get(language, ""))
        for key, official in gazetteer.officials.items()
    }
    officials = find_officials(tokens, text, arabic, mentions, country_at, known)
    _drop_countries_in_names(extraction, officials, country_at)
    extraction.officials = _merge_officials(officials, extraction, tokens, sentence_of)

    kinds = [_kind_at(tokens, i, arabic) for i in range(len(tokens))]
    signing = [i for i, token in enumerate(tokens) if _is_signing(token)]
    reference_year = published_on.year if published_on else None
    candidates = sorted({sentence_of[i] for i in signing})
    signing_sentences = candidates[:1] + [
        index
        for index in candidates[1:]
        if not _about_another_signing(text, sentences[index], reference_year)
    ]
    extraction.signing_spans = [sentences[i] for i in signing_sentences]

    extraction.parties = _parties(extraction, sentence_of, signing_sentences)
    extraction.place = _place_of_signing(extraction, sentence_of, signing_sentences)
    if extraction.place is None:
        capitals = {p.country: p for p in gazetteer.places.values() if p.capital}
        extraction.place = _unnamed_capital(
            tokens, sentence_of, signing_sentences, country_at, capitals
        )
    _counts(extraction, tokens, kinds, text, arabic, sentences, sentence_of, signing_sentences)
    _date_and_weekday(extraction, text, sentences, signing_sentences, published_on, arabic)
    # Sectors come from sentences with an agreement noun or a signing verb, not from "the
    # signing comes at a time when..." (the noun alone).
    verb_sentences = {sentence_of[i] for i in signing if not _is_signing_noun(tokens[i])}
    agreement_sentences = sorted(
        (set(signing_sentences) & verb_sentences)
        | {sentence_of[i] for i, kind in enumerate(kinds) if kind}
    )
    _sectors(extraction, text, sentences, agreement_sentences, reference_year)
    _itemised(extraction, tokens, kinds, text, arabic, sentences, sentence_of)
    extraction.quotes = _quotes(text, tokens, extraction.officials)
    return extraction


def _sentence_index(tokens: list[Token], sentences: list[Span]) -> list[int]:
    result, current = [], 0
    for token in tokens:
        while current + 1 < len(sentences) and token.start >= sentences[current][1]:
            current += 1
        result.append(current)
    return result


def _drop_countries_in_names(
    extraction: Extraction, officials: list[OfficialFinding], country_at: dict[int, str]
) -> None:
    """A country word inside a person's name is the name: السوداني in محمد شياع السوداني,
    جورجيا in جورجيا ميلوني."""
    names = _Cover([span for official in officials for span in official.spans])

    def inside(mention: CountryMention) -> bool:
        return names.contains(mention.span)

    # ... and so is the surname alone elsewhere ("وأوضح السوداني").
    surnames = {fold(official.name_native).split()[-1] for official in officials if official.title}
    surnames.discard("")

    def is_surname(mention: CountryMention) -> bool:
        return fold(extraction.text[mention.span[0] : mention.span[1]]) in surnames or any(
            fold(extraction.text[mention.span[0] : mention.span[1]]) == surname.removeprefix("ال")
            for surname in surnames
        )

    dropped = [m for m in extraction.country_mentions if inside(m) or is_surname(m)]
    dropped_ids = {id(m) for m in dropped}
    extraction.country_mentions = [
        m for m in extraction.country_mentions if id(m) not in dropped_ids
    ]
    for mention in dropped:
        country_at.pop(mention.token, None)
    extraction.countries = list(dict.fromkeys(m.code for m in extraction.country_mentions))


def _merge_officials(
    officials: list[OfficialFinding],
    extraction: Extraction,
    tokens: list[Token],
    sentence_of: list[int],
) -> list[OfficialFinding]:
    """One finding per person: the same folded name, or a known official's key."""
    merged: dict[str, OfficialFinding] = {}
    for official in sorted(officials, key=lambda o: o.first_token):
        identity = official.key or fold(official.name_native)
        for key, existing in merged.items():
            if (official.key and existing.key == official.key) or (
                not official.key and fold(official.name_native) in fold(existing.name_native)
            ):
                identity = key
        if identity not in merged:
            merged[identity] = official
            continue
        existing = merged[identity]
        existing.spans.extend(official.spans)
        existing.country = existing.country or official.country
        if official.title and not existing.title:
            existing.title, existing.role, existing.title_span = (
                official.title,
                official.role,
                official.title_span,
            )
        existing.former = existing.former or official.former
    token_at = {token.start: index for index, token in enumerate(tokens)}
    mention_tokens = [mention.token for mention in extraction.country_mentions]
    places_in: dict[int, list[PlaceMention]] = {}
    for place in extraction.place_mentions:
        if not place.in_dateline:
            places_in.setdefault(sentence_of[place.token], []).append(place)
    for official in merged.values():
        if official.country is None:
            official.country = _nearest_country(
                official, extraction, token_at, mention_tokens, places_in, sentence_of
            )
    return [official for official in merged.values() if official.title or official.key]


def _nearest_country(
    official: OfficialFinding,
    extraction: Extraction,
    token_at: dict[int, int],
    mention_tokens: list[int],
    places_in: dict[int, list[PlaceMention]],
    sentence_of: list[int],
) -> str | None:
    """The country of an official whose title names none: the closest country mentioned before
    the name in its sentence, else the place in that sentence, else the closest before it.
    (The closest mention before a token is found by bisection: mentions are in text order.)"""
    positions = [token_at[start] for start, _end in official.spans if start in token_at]
    for rule in ("sentence", "place", "text"):
        best = None
        for index in positions:
            if rule == "place":
                candidates = [
                    (abs(index - place.token), place.country)
                    for place in places_in.get(sentence_of[index], ())
                ]
            else:
                before = bisect_left(mention_tokens, index) - 1
                mention = extraction.country_mentions[before] if before >= 0 else None
                candidates = (
                    [(index - mention.token, mention.code)]
                    if mention is not None
                    and (rule == "text" or sentence_of[mention.token] == sentence_of[index])
                    else []
                )
            for candidate in candidates:
                if best is None or candidate[0] < best[0]:
                    best = candidate
        if best:
            return best[1]
    return None


_OTHER_SIGNING = {
    fold(marker)
    for marker in (
        "separate",
        "last year",
        "previously",
        "earlier this year",
        "in the past",
        "العام الماضي",
        "سابقا",
        "في وقت سابق",
        "الماضي",
    )
}


def _about_another_signing(text: str, sentence: Span, reference_year: int | None) -> bool:
    """A sentence about an earlier or separate signing: "signed a separate memorandum with
    Washington last year", "signed in 2015"."""
    body = f" {fold(text[sentence[0] : sentence[1]])} "
    if any(f" {marker} " in body for marker in _OTHER_SIGNING):
        return True
    years = {int(match.group()) for match in _YEAR.finditer(text[sentence[0] : sentence[1]])}
    return (
        reference_year is not None
        and bool(years)
        and all(year < reference_year - 1 for year in years)
    )


def _parties(extraction: Extraction, sentence_of: list[int], signing: list[int]) -> list[str]:
    """The two countries that sign: mentioned in the sentences about the signing (the first of
    them above all), as the countries of the officials, and of the place of signing."""
    scores: Counter[str] = Counter()
    in_signing = set(signing)
    lead = signing[0] if signing else None
    for mention in extraction.country_mentions:
        sentence = sentence_of[mention.token]
        scores[mention.code] += 3 if sentence in in_signing else 1
        scores[mention.code] += 2 if sentence == lead else 0
    for official in extraction.officials:
        if official.country:
            scores[official.country] += 1
    for place in extraction.place_mentions:
        if not place.in_dateline and sentence_of[place.token] in in_signing:
            scores[place.country] += 2
    ranked = [code for code, _ in scores.most_common()]
    return sorted(ranked[:2]) if len(ranked) >= 2 else []


def _place_of_signing(
    extraction: Extraction, sentence_of: list[int], signing: list[int]
) -> PlaceMention | None:
    in_signing = set(signing)
    candidates = [
        place
        for place in extraction.place_mentions
        if not place.in_dateline and sentence_of[place.token] in in_signing
    ]
    return candidates[0] if candidates else None


def _unnamed_capital(
    tokens: list[Token],
    sentence_of: list[int],
    signing: list[int],
    country_at: dict[int, str],
    capitals: dict[str, "PlaceRecord"],
) -> PlaceMention | None:
    """ "signed in the Kazakh capital", "في العاصمة الأردنية": the capital of that country."""
    in_signing = set(signing)
    for index, token in enumerate(tokens):
        if token.key not in _CAPITAL_WORDS or sentence_of[index] not in in_signing:
            continue
        neighbour = index - 1 if token.key == "capital" else index + 1
        code = country_at.get(neighbour)
        if code in capitals:
            place = capitals[code]
            return PlaceMention(
                place.name_en, place.country, (token.start, token.end), index, False
            )
    return None


_CAPITAL_WORDS = {"capital", fold("العاصمة")}


def _counts(
    extraction: Extraction,
    tokens: list[Token],
    kinds: list[tuple[str, int] | None],
    text: str,
    arabic: bool,
    sentences: list[Span],
    sentence_of: list[int],
    signing: list[int],
) -> None:
    counts: list[CountFinding] = []
    folded: dict[int, str] = {}  # sentence index -> folded text, folded once however many counts
    since_memo: dict[Span, _SinceIn] = {}
    index = 0
    while index < len(tokens):
        kind = kinds[index]
        if kind is None:
            index += 1
            continue
        for gap in range(0, 3):
            number = number_before(tokens, index - gap, text)
            if number is None:
                continue
            value, first = number
            between = [token.key for token in tokens[index - gap : index]]
            if (
                any(word in SCALE_WORDS for word in between)
                or text[max(0, tokens[first].start - 1) : tokens[first].start] == "$"
            ):
                break
            if value < 1 or 1900 <= value <= 2100:
                break  # a year, not a count
            if any(word in _NOT_BETWEEN for word in between) or (arabic and gap > 1):
                break
            qualifier, qualifier_first = qualifier_before(tokens, first)
            after_noun = index + kind[1]
            trailing, _ = qualifier_after(tokens, after_noun)
            if qualifier == "exact" and trailing:
                qualifier = trailing
            span = (tokens[qualifier_first].start, tokens[after_noun - 1].end)
            sentence = sentences[sentence_of[index]]
            if sentence_of[index] not in folded:
                folded[sentence_of[index]] = fold(text[sentence[0] : sentence[1]])
            sentence_text = folded[sentence_of[index]]
            since = _since(text, sentence, tokens[first].start, span[1], since_memo)
            is_total = since is not None or any(
                marker in f" {sentence_text} "
                for marker in (lexicon.AR_TOTAL_MARKERS | lexicon.EN_TOTAL_MARKERS)
            )
            counts.append(CountFinding(value, qualifier, kind[0], span, since, is_total))
            break
        index += kind[1]
    counts.extend(
        _totals_by_number_of(tokens, text, sentences, sentence_of, counts, folded, since_memo)
    )
    in_signing = set(signing)
    event_counts = [c for c in counts if not c.is_total]
    starts = [start for start, _end in sentences]
    event_counts.sort(
        key=lambda c: (sentence_of_char(sentences, c.span[0], starts) not in in_signing, c.span[0])
    )
    extraction.agreement_count = event_counts[0] if event_counts else None
    totals = [c for c in counts if c.is_total]
    extraction.total_count = totals[0] if totals else None


_NUMBER_OF = re.compile(
    r"\b(?:number|total)\s+of\s+(?:\w+\s+){0,2}(?:agreements|accords|deals|documents|"
    r"memorand\w*|instruments|treaties)\b"
    r"|(?<!\S)[وبل]?عدد\s+(?:ال)?(?:اتفاق\w*|مذكرات|وثائق|معاهدات)"
)


def _totals_by_number_of(
    tokens: list[Token],
    text: str,
    sentences: list[Span],
    sentence_of: list[int],
    counts: list[CountFinding],
    folded: dict[int, str],
    since_memo: "dict[Span, _SinceIn]",
) -> list[CountFinding]:
    """ "brings to more than 150 the number of agreements", "يرتفع عدد الاتفاقيات إلى نحو 60":
    the number in such a sentence is a running total. ``folded`` and ``since_memo`` are the
    readings of sentences that ``_counts`` made, shared so that no sentence is read twice."""
    found = []
    ordered = sorted(counts, key=lambda count: count.span[0])
    count_starts = [count.span[0] for count in ordered]
    for index, sentence in enumerate(sentences):
        if index not in folded:
            folded[index] = fold(text[sentence[0] : sentence[1]])
        if not _NUMBER_OF.search(folded[index]):
            continue
        # sentence_of is ordered: the sentence's tokens are one run, found by bisection.
        own = range(bisect_left(sentence_of, index), bisect_right(sentence_of, index))
        inside = ordered[
            bisect_left(count_starts, sentence[0]) : bisect_left(count_starts, sentence[1])
        ]
        for count in inside:
            count.is_total = True
        if inside:
            continue
        for position in own:
            token = tokens[position]
            if not token.key.isdecimal():
                continue
            if continues_number(tokens, position + 1, text):
                continue  # the 1 of 1,200: the number is read at its last group
            number = number_before(tokens, position + 1, text)
            if number is None:
                continue
            value, first = number
            if 1900 <= value <= 2100 or value < 2:
                continue
            qualifier, first = qualifier_before(tokens, first)
            span = (tokens[first].start, token.end)
            # "the number of ... since 1993"
            since = _since(text, sentence, token.start, memo=since_memo)
            found.append(CountFinding(value, qualifier, "agreement", span, since, True))
            break
    return found


def sentence_of_char(sentences: list[Span], position: int, starts: list[int] | None = None) -> int:
    """The sentence holding ``position`` (else the last): sentences are ordered and disjoint, so
    bisection finds it; pass ``starts`` when asking many times."""
    starts = starts if starts is not None else [start for start, _end in sentences]
    index = bisect_right(starts, position) - 1
    if index >= 0 and position < sentences[index][1]:
        return index
    return len(sentences) - 1


_SINCE = re.compile(r"\bsince\b|(?<!\S)[وف]?منذ(?!\S)", re.IGNORECASE)


@dataclass
class _SinceIn:
    """What _since needs of one sentence, read once however many numbers it holds."""

    marker: re.Match | None
    direct: int | None = None
    later: list[int] = field(default_factory=list)
    year_ends: list[int] = field(default_factory=list)  # where each year ends in the text
    years: list[int] = field(default_factory=list)


def _since_in(text: str, sentence: Span) -> _SinceIn:
    body = text[sentence[0] : sentence[1]]
    # Positions are the raw text's: the folded text may be shorter (marks dropped) and
    # lower() may be longer (İ), so neither gives offsets to compare with number_start.
    marker = _SINCE.search(body)
    if marker is None:
        return _SinceIn(None)
    direct = re.search(r"(?:since|منذ)\s+(?:عام\s+|the\s+year\s+)?(\d{4})", fold(body))
    years = list(_YEAR.finditer(body))
    return _SinceIn(
        marker,
        int(direct.group(1)) if direct else None,
        [int(m.group()) for m in _YEAR.finditer(fold(body[marker.end() :]))],
        [sentence[0] + m.end() for m in years],
        [int(m.group()) for m in years],
    )


def _since(
    text: str,
    sentence: Span,
    number_start: int,
    count_end: int | None = None,
    memo: dict[Span, _SinceIn] | None = None,
) -> int | None:
    """The year of "since 2004" / "منذ عام 2004", or of "in 2004 ... and since then". "Since"
    must come before the count or just after it: "the first visit since he took power in 2014"
    later in the sentence is about something else. ``memo`` keeps each sentence's reading
    (a sentence of a megabyte with thousands of numbers is read once, not once a number)."""
    memo = {} if memo is None else memo
    if sentence not in memo:
        memo[sentence] = _since_in(text, sentence)
    found = memo[sentence]
    marker = found.marker
    if marker is None:
        return None
    if count_end is not None and sentence[0] + marker.start() > number_start:
        between = text[count_end : sentence[0] + marker.start()]
        if len(between.split()) > 3:
            return None
    if found.direct is not None:
        return found.direct
    # "signed since the two countries established a partnership in 1993"
    later = found.later
    if later and sentence[0] + marker.end() > number_start:
        return later[0]
    before = bisect_right(found.year_ends, number_start)  # the last year before the number
    return found.years[before - 1] if before else (later[0] if later else None)


def _date_and_weekday(
    extraction: Extraction,
    text: str,
    sentences: list[Span],
    signing: list[int],
    published_on: datetime.date | None,
    arabic: bool,
) -> None:
    order = signing or list(range(min(2, len(sentences))))
    for index in order:
        start, end = sentences[index]
        body = fold(text[start:end])
        explicit = _explicit_date(body, published_on)
        if explicit and not extraction.signed_on:
            extraction.signed_on = explicit
        weekdays = lexicon.WEEKDAYS_AR if arabic else lexicon.WEEKDAYS_EN
        for number, day in enumerate(weekdays, start=1):
            match = re.search(
                rf"(?:^|\s)(?:يوم\s+|مساء\s+|صباح\s+|on\s+|last\s+)?[وب]?{day}\b", body
            )
            if match and _said_on(body, match.start()):
                continue  # "the ministry said on Monday": when it was said, not signed
            if match and extraction.weekday is None:
                extraction.weekday = lexicon.WEEKDAYS_EN[number - 1].capitalize()
                if not extraction.signed_on and published_on is not None:
                    delta = (published_on.isoweekday() - number) % 7
                    extraction.signed_on = (
                        published_on - datetime.timedelta(days=delta)
                    ).isoformat()
        if extraction.signed_on or extraction.weekday:
            extraction.date_span = (start, end)
            return


_SAID = {
    fold(word)
    for word in (
        "said",
        "told",
        "announced",
        "reported",
        "stated",
        "قال",
        "قالت",
        "أعلن",
        "أعلنت",
        "صرح",
        "ذكر",
        "ذكرت",
        "أكد",
        "أكدت",
    )
}


def _said_on(body: str, position: int) -> bool:
    return any(word in _SAID for word in body[max(0, position - 40) : position].split()[-3:])


def _explicit_date(body: str, published_on: datetime.date | None) -> str | None:
    months = {**lexicon.MONTHS_EN, **lexicon.MONTHS_AR}
    names = "|".join(sorted((re.escape(name) for name in months), key=len, reverse=True))
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", body)
    if iso:
        return _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    day_month = re.search(
        rf"\b(\d{{1,2}})\s+(?:{names})(?:\s*/\s*(?:{names}))?\b(?:\s+(\d{{4}}))?", body
    )
    month_day = re.search(rf"\b({names})\s+(\d{{1,2}})\b(?:\s*,?\s*(\d{{4}}))?", body)
    for match, day_group, month_group, year_group in (
        (day_month, 1, None, 2),
        (month_day, 2, 1, 3),
    ):
        if not match:
            continue
        if month_group is None:
            month_name = re.search(rf"(?:{names})", match.group(0)).group(0)
        else:
            month_name = match.group(month_group)
        month = months[month_name]
        day = int(match.group(day_group))
        year = int(match.group(year_group)) if match.group(year_group) else None
        if year is None and published_on is not None:
            year = published_on.year if month <= published_on.month else published_on.year - 1
        if year is not None:
            return _valid(year, month, day)
    month_year = re.search(rf"\b(?:in\s+|في\s+)?({names})\s+(\d{{4}})\b", body)
    if month_year:
        return f"{int(month_year.group(2)):04d}-{months[month_year.group(1)]:02d}"
    # "signed in June", "في يونيو" with a publication date: the last such month.
    month_only = re.search(rf"(?:\bin|(?<!\S)في)\s+({names})\b", body)
    if month_only and published_on is not None:
        month = months[month_only.group(1)]
        year = published_on.year if month <= published_on.month else published_on.year - 1
        return f"{year:04d}-{month:02d}"
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _sectors(
    extraction: Extraction,
    text: str,
    sentences: list[Span],
    chosen: list[int],
    reference_year: int | None,
) -> None:
    """Sectors of the agreements: from the sentences about them, but not from running totals,
    other (earlier) agreements, or officials' titles ("commerce and industry minister")."""
    lead = chosen[:1]
    totals = [c.span[0] for c in (extraction.total_count,) if c and c.is_total]
    titles = _Cover(
        [
            span
            for official in extraction.officials
            for span in (official.title_span, *official.spans)
            if span
        ]
    )
    found: dict[str, Span] = {}
    for index in chosen:
        start, end = sentences[index]
        if any(start <= position < end for position in totals):
            continue
        if index not in lead and _about_another_signing(text, (start, end), reference_year):
            continue
        for slug, span in sectors_in(text, start, end).items():
            if slug not in found and not titles.covers(span[0]):
                found[slug] = span
    extraction.sectors = sorted(found)
    extraction.sector_spans = found


_MINISTRY_WORDS = {
    fold(w) for w in ("ministry", "minister", "ministries", "وزارة", "وزير", "وزيرة")
}


def _names_a_ministry(keys: list[str], position: int) -> bool:
    following = keys[position + 1 : position + 2]
    preceding = keys[max(0, position - 3) : position]
    return bool(set(following) & _MINISTRY_WORDS) or bool(set(preceding) & _MINISTRY_WORDS)


def sectors_in(text: str, start: int, end: int) -> dict[str, Span]:
    """Sectors whose keywords occur in text[start:end], with the span of the first occurrence."""
    tokens = tokenize(text[start:end])
    keys = [token.key for token in tokens]
    masked = set()
    joined = " ".join(keys)
    key_starts = []  # where each key starts in ``joined``
    offset = 0
    for key in keys:
        key_starts.append(offset)
        offset += len(key) + 1
    for phrase in lexicon.SECTOR_FALSE_FRIENDS:
        for match in re.finditer(re.escape(phrase), joined):
            first = bisect_right(key_starts, match.start()) - 1
            masked.update(range(first, first + len(phrase.split())))
    found: dict[str, Span] = {}
    for position, token in enumerate(tokens):
        forms = (
            [form for form, _ in arabic_prefix_forms(token.key)] if token.is_arabic else [token.key]
        )
        for form in forms:
            for keyword, slug in lexicon.SECTOR_KEYWORDS_BY_WORD.get(form, ()):
                words = keyword.split()
                if slug in found or keys[position + 1 : position + len(words)] != words[1:]:
                    continue
                if len(words) == 1 and position in masked:
                    continue  # "intelligence" in "artificial intelligence"
                if len(words) == 1 and _names_a_ministry(keys, position):
                    continue  # "the industry ministry", "وزارة الصناعة": a ministry, no sector
                last = tokens[position + len(words) - 1]
                found[slug] = (start + token.start, start + last.end)
    return found


_LIST_OPENERS = {"وهي", "هي", "منها", "بينها", "including", "namely"}
_AR_ABOUT = [
    ("في", "شان"),
    ("بشان",),
    ("حول",),
    ("بخصوص",),
    ("في", "مجال"),
    ("في", "مجالات"),
    ("لتعزيز",),
    ("للتعاون", "في"),
]
_EN_ABOUT = {"on", "for", "to", "covering", "regarding", "concerning", "in"}
_AR_MODIFIERS = {
    "تعاون",
    "مشترك",
    "مشتركه",
    "خاصه",
    "خاص",
    "جديده",
    "جديد",
    "ثنائيه",
    "اطاريه",
    "ثناييه",
}
_EN_MODIFIERS = {"cooperation", "new", "bilateral", "framework", "joint", "strategic", "special"}


def _itemised(
    extraction: Extraction,
    tokens: list[Token],
    kinds_at: list[tuple[str, int] | None],
    text: str,
    arabic: bool,
    sentences: list[Span],
    sentence_of: list[int],
) -> None:
    items: list[AgreementFinding] = []
    stated: set[tuple[str, str]] = set()
    seen: set[int] = set()
    kinds: list[str] = []
    index = 0
    while index < len(tokens):
        kind = kinds_at[index]
        if kind is None:
            index += 1
            continue
        kinds.append(kind[0])
        after = index + kind[1]
        while after < len(tokens) and tokens[after].key.removeprefix("و") in (
            _AR_MODIFIERS if arabic else _EN_MODIFIERS
        ):
            after += 1
        sentence = sentences[sentence_of[index]]
        subject_start = None
        if arabic:
            for phrase in _AR_ABOUT:
                keys = tuple(token.key for token in tokens[after : after + len(phrase)])
                if keys == phrase:
                    subject_start = after + len(phrase)
                    break
        elif (
            after < len(tokens)
            and tokens[after].key in _EN_ABOUT
            and not (
                tokens[after].key == "in"
                and after + 1 < len(tokens)
                and tokens[after + 1].text[:1].isupper()
            )
        ):
            subject_start = after + 1
        if subject_start is None and after < len(tokens) and tokens[after].key in _LIST_OPENERS:
            subject_start = after + 1
        if subject_start is not None and subject_start < len(tokens) and subject_start not in seen:
            spans = _split_items(tokens, text, subject_start, sentence[1], arabic)
            for item_start, item_end in spans:
                subject = text[item_start:item_end].strip(" ،,.؛;")
                if len(subject) < 3:
                    continue
                item_kind = _item_kind(subject, arabic) or kind[0]
                if (item_kind, fold(subject)) in stated:
                    continue  # the same agreement told again (the lead, then the body)
                stated.add((item_kind, fold(subject)))
                items.append(
                    AgreementFinding(
                        item_kind,
                        subject,
                        (item_start, item_start + len(subject)),
                        sorted(sectors_in(text, item_start, item_end)),
                    )
                )
            last_end = spans[-1][1] if spans else tokens[subject_start].end
            for position in range(subject_start, len(tokens)):
                if tokens[position].start >= last_end:
                    break  # token starts increase: the rest are after the subject
                seen.add(position)
        index = after
    extraction.agreements = items
    extraction.kinds = sorted(set(kinds))


def _item_kind(subject: str, arabic: bool) -> str | None:
    subject_tokens = tokenize(subject)
    for position in range(min(3, len(subject_tokens))):
        kind = _kind_at(subject_tokens, position, arabic)
        if kind:
            return kind[0]
    return None


def _split_items(
    tokens: list[Token], text: str, first: int, sentence_end: int, arabic: bool
) -> list[Span]:
    """A subject runs to the end of its clause; "X و Y" and "وتقديم …" (and + a verbal noun)
    start a new item in Arabic, ", and a/an …" and "; " in English."""
    end = sentence_end
    clause = re.search(r"[.؛;]|،\s*(?:و|في|حيث)|\(", text[tokens[first].start : sentence_end])
    if clause:
        end = tokens[first].start + clause.start()
    items, start = [], tokens[first].start
    for position in range(first + 1, len(tokens)):
        token = tokens[position]
        if token.start >= end:
            break
        gap = text[tokens[position - 1].end : token.start]
        boundary = False
        if arabic:
            boundary = (token.key == "و" and gap.strip() == "") or (
                token.key.startswith("وت")
                and len(token.key) >= 6
                and not token.key.startswith("وتعاون")
            )
        else:
            boundary = (gap.strip() in {",", ";"} and token.key in {"a", "an", "and"}) or (
                token.key == "and"
                and position + 1 < len(tokens)
                and tokens[position + 1].key in {"a", "an"}
            )
        if boundary:
            items.append((start, tokens[position - 1].end))
            start = token.start + (
                1 if arabic and token.key != "و" and token.key.startswith("و") else 0
            )
            if token.key in {"و", "and"}:
                start = tokens[position + 1].start if position + 1 < len(tokens) else token.end
    items.append((start, min(end, sentence_end)))
    return [(a, b) for a, b in items if b > a]


_QUOTE_OPEN = re.compile(f"[{re.escape(QUOTES_OPEN)}]")
_QUOTE_CLOSE = re.compile(f"[{re.escape(QUOTES_CLOSE)}]")


def _quotes(text: str, tokens: list[Token], officials: list[OfficialFinding]) -> list[QuoteFinding]:
    quotes = []
    quoted: set[tuple[str, int]] = set()
    speakers = _Speakers(tokens, officials)
    position = 0
    while position < len(text):
        opening = _QUOTE_OPEN.search(text, position)  # the next mark, found in C
        if opening is None:
            break
        position = opening.start()
        if text[position] == '"' and position > 0 and text[position - 1].isalnum():
            position += 1
            continue
        paragraph_end = text.find("\n", position)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        closing = _QUOTE_CLOSE.search(text, position + 1, paragraph_end)
        close = closing.start() if closing else -1
        end = close if close >= 0 else paragraph_end
        words = text[position + 1 : end].split()
        if len(words) >= 5:
            span = (position + 1, end)
            quote = QuoteFinding(text[span[0] : span[1]].strip(), span, speakers.of(text, span))
            if (quote.text, id(quote.speaker)) not in quoted:  # said once, however often told
                quoted.add((quote.text, id(quote.speaker)))
                quotes.append(quote)
        position = (close if close >= 0 else end) + 1
    return quotes


class _Speakers:
    """Who says a quote: the official named last before it in its paragraph (by full name, or by
    surname alone as in "Putin said"), else the first named just after it.

    Names and surname tokens are indexed once by position, so that each quote costs a bisection,
    not a pass over every official's every mention and the paragraph's every word (a paragraph
    of a megabyte with thousands of quotes)."""

    def __init__(self, tokens: list[Token], officials: list[OfficialFinding]) -> None:
        self.officials = officials
        # (start, official's order, 0 for a name, 1 for a surname): at the same start, the
        # earlier official and a full name before a surname, as the pass over them chose.
        named = [
            (start, order, 0)
            for order, official in enumerate(officials)
            for start, _end in official.spans
        ]
        surnames: dict[str, int] = {}  # surname -> the first official's order
        for order, official in enumerate(officials):
            for surname in fold(official.name_native).split()[-1:]:
                surnames.setdefault(surname, order)
        longest = max(map(len, surnames), default=0)
        for token in tokens:
            # A word naming someone by a surname it ends with ("وأوضح السوداني"): the
            # word's suffixes (no longer than a surname) looked up, the first official's
            # order if several match.
            key = token.key
            orders = [
                surnames[key[cut:]]
                for cut in range(max(0, len(key) - longest), len(key))
                if key[cut:] in surnames
            ]
            if orders:
                named.append((token.start, min(orders), 1))
        named.sort(key=lambda item: (item[0], item[1], item[2]))
        self.named = named
        self.starts = [start for start, _order, _kind in named]
        # The first of several at the same start wins: keep the index of each start's first.
        self.first_at: dict[int, int] = {}
        for index, start in enumerate(self.starts):
            self.first_at.setdefault(start, index)
        self.spans = [sorted(start for start, _end in o.spans) for o in officials]

    def of(self, text: str, span: Span) -> OfficialFinding | None:
        paragraph_start = text.rfind("\n", 0, span[0]) + 1
        last = bisect_left(self.starts, span[0]) - 1
        if last >= 0 and self.starts[last] >= paragraph_start:
            _start, order, _kind = self.named[self.first_at[self.starts[last]]]
            return self.officials[order]
        following_end = min(len(text), span[1] + 120)
        for official, starts in zip(self.officials, self.spans, strict=True):
            index = bisect_left(starts, span[1])
            if index < len(starts) and starts[index] < following_end:
                return official
        return None
