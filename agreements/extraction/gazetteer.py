"""The names the extractor knows: countries (with aliases and adjectives), places and officials.

Plain data. ``Gazetteer.builtin()`` builds it from ISO and CLDR data and the project's alias
files, without a database; ``agreements.ingestion.database_gazetteer()`` adds what curators
recorded.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from agreements.extraction.tokens import tokenize

DATA = Path(__file__).resolve().parent.parent / "data"

# Country names that are also common words: they count only with a marker (see extractor).
AMBIGUOUS_NAMES = {
    ("ML", "مالي"),
    ("QA", "قطر"),
    ("MA", "المغرب"),
    ("JO", "jordan"),
    ("TD", "chad"),
    ("GE", "georgia"),
    ("TR", "turkey"),
    ("CN", "china"),
    ("NE", "niger"),
    ("OM", "عمان"),
    ("JO", "الاردن"),
    ("GN", "guinea"),
}


@dataclass(frozen=True)
class Entry:
    kind: str  # "country", "place" or "official"
    key: str  # country code, place name (English) or official key
    name_kind: str  # "name", "adjective", "capital", "misspelling", "spelling", "variant"...
    text: str


@dataclass
class CountryRecord:
    code: str
    name_en: str
    name_ar: str = ""
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (text, language, kind)


@dataclass
class PlaceRecord:
    name_en: str
    country: str
    names: list[str] = field(default_factory=list)
    capital: bool = False


@dataclass
class OfficialRecord:
    key: str
    name_en: str
    country: str
    names: list[str] = field(default_factory=list)
    native_names: dict[str, str] = field(default_factory=dict)  # language -> name


def arabic_adjective(name_ar: str) -> str | None:
    """The nisba adjective of a one-word Arabic country name: روسيا → روسي, مصر → مصري."""
    if " " in name_ar:
        return None
    stem = name_ar.removeprefix("ال")
    if stem.endswith("يا"):
        return stem[:-1]
    if stem.endswith(("ا", "ة")):
        return stem[:-1] + ("" if stem[:-1].endswith("ي") else "ي")
    return stem if stem.endswith("ي") else stem + "ي"


class Gazetteer:
    def __init__(
        self,
        countries: list[CountryRecord],
        places: list[PlaceRecord],
        officials: list[OfficialRecord] = (),
    ) -> None:
        self.countries = {country.code: country for country in countries}
        self.places = {place.name_en: place for place in places}
        self.officials = {official.key: official for official in officials}
        self._index: dict[str, list[tuple[tuple[str, ...], Entry]]] = defaultdict(list)
        for country in countries:
            for text, _language, kind in country.names:
                self._add(text, Entry("country", country.code, kind, text))
        for place in places:
            for text in {place.name_en, *place.names}:
                self._add(text, Entry("place", place.name_en, "name", text))
        for official in officials:
            for text in {official.name_en, *official.names}:
                self._add(text, Entry("official", official.key, "name", text))

    def _add(self, text: str, entry: Entry) -> None:
        keys = tuple(token.key for token in tokenize(text))
        if keys and (keys, entry) not in self._index[keys[0]]:
            self._index[keys[0]].append((keys, entry))

    def starting_with(self, key: str) -> list[tuple[tuple[str, ...], Entry]]:
        return self._index.get(key, [])

    def with_officials(self, officials: list[OfficialRecord]) -> "Gazetteer":
        return Gazetteer(list(self.countries.values()), list(self.places.values()), officials)

    @classmethod
    @cache
    def builtin(cls) -> "Gazetteer":
        return cls(builtin_countries(), builtin_places())


def builtin_countries() -> list[CountryRecord]:
    from agreements.reference import country_aliases, iso_countries

    records = {}
    for values in iso_countries():
        record = CountryRecord(values["code"], values["name_en"], values["name_ar"])
        for language in ("en", "ar", "es", "fr", "ru"):
            record.names.append((values[f"name_{language}"], language, "name"))
        adjective = arabic_adjective(values["name_ar"])
        if adjective:
            record.names.append((adjective, "ar", "adjective"))
        records[record.code] = record
    for code, language, kind, text in country_aliases():
        records[code].names.append((text, language, kind))
    demonyms = json.loads((DATA / "demonyms.json").read_text(encoding="utf-8"))
    for code, adjectives in demonyms.items():
        if code in records:
            records[code].names.extend((text, "en", "adjective") for text in adjectives)
    for place in builtin_places():
        if place.capital:
            for text in {place.name_en, *place.names}:
                records[place.country].names.append(
                    (text, "ar" if text in place.names else "en", "capital")
                )
    return list(records.values())


def builtin_places() -> list[PlaceRecord]:
    rows = json.loads((DATA / "places.json").read_text(encoding="utf-8"))["places"]
    return [
        PlaceRecord(name, country, [text for text in arabic.split("|") if text], bool(capital))
        for name, country, arabic, capital in rows
    ]
