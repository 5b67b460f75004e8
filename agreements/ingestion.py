"""Articles into draft records: the reader's findings, matched against what the database holds,
each fact with a citation of its exact passage. Nothing reviewed or published is ever changed."""

import datetime
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q

from agreements.extraction import Extraction, Gazetteer, OfficialRecord, PlaceRecord, extract
from agreements.extraction.extractor import AgreementFinding, CountFinding
from agreements.extraction.gazetteer import builtin_countries, builtin_places
from agreements.extraction.people import OfficialFinding
from agreements.extraction.reading import MAX_BYTES
from agreements.models import (
    Agreement,
    Citation,
    CountClaim,
    Country,
    CountryAlias,
    OfficeHeld,
    Official,
    OfficialName,
    Place,
    PlaceName,
    ReviewState,
    Sector,
    SigningEvent,
    Source,
    Statement,
)
from agreements.text import content_hash, fold, normalize_source_text, transliterate

# Deterministic ids: ingesting the same text anywhere gives records with the same uid, so that
# fixtures made from seeds/ are reproducible.
UID_NAMESPACE = uuid.UUID("2c0a8f5e-9a7b-4f0e-8d55-6a1e5b4f3c21")


# Each record is validated and saved one by one (about 20 ms with its citation): an article
# giving thousands of agreements or quotes is not news but a list, and would hold a
# transaction (and the admin's request) for minutes.
MAX_FINDINGS = 200


class IngestError(Exception):
    """The article cannot be ingested; nothing was written. The message says why."""


def database_gazetteer() -> Gazetteer:
    """The built-in gazetteer plus what curators recorded: aliases, places and officials."""
    countries = {record.code: record for record in builtin_countries()}
    for code, text, language, kind in CountryAlias.objects.values_list(
        "country__code", "text", "language", "kind"
    ):
        if code in countries and (text, language, kind) not in countries[code].names:
            countries[code].names.append((text, language, kind))
    places = {(place.name_en, place.country): place for place in builtin_places()}
    names = defaultdict(list)
    for place_id, text in PlaceName.objects.values_list("place_id", "text"):
        names[place_id].append(text)
    for place in Place.objects.select_related("country"):
        key = (place.name, place.country.code)
        record = places.setdefault(key, PlaceRecord(place.name, place.country.code))
        record.names.extend(text for text in names[place.pk] if text not in record.names)
    official_names = defaultdict(list)
    native = defaultdict(dict)
    for official_id, text, language in OfficialName.objects.values_list(
        "official_id", "text", "language"
    ):
        official_names[official_id].append(text)
        native[official_id].setdefault(language, text)
    officials = [
        OfficialRecord(
            official.slug,
            official.name,
            official.country.code,
            official_names[official.pk],
            native[official.pk],
        )
        for official in Official.objects.select_related("country")
    ]
    return Gazetteer(list(countries.values()), list(places.values()), officials)


def extract_article(
    text: str, *, published_on: datetime.date | None = None, gazetteer: Gazetteer | None = None
) -> Extraction:
    return extract(text, gazetteer or Gazetteer.builtin(), published_on)


@dataclass
class IngestResult:
    source: Source
    created: bool
    extraction: Extraction | None = None
    records: dict[str, list[models.Model]] = field(default_factory=dict)
    referenced: list[models.Model] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.records.items()}


class _Ingestion:
    def __init__(self, text: str, extraction: Extraction, user: Any, source_hash: str) -> None:
        self.text = text
        self.extraction = extraction
        self.user = user
        self.hash = source_hash
        self.records: dict[str, list[models.Model]] = defaultdict(list)
        self.referenced: list[models.Model] = []
        self._serial = 0

    def uid(self, kind: str) -> uuid.UUID:
        self._serial += 1
        return uuid.uuid5(UID_NAMESPACE, f"{self.hash}/{kind}/{self._serial}")

    def save(self, record: models.Model, kind: str) -> models.Model:
        try:
            record.full_clean()
        except ValidationError as error:
            raise IngestError(
                f"{record._meta.verbose_name}: {'; '.join(error.messages)}"
            ) from error
        record._history_user = self.user
        record.save()
        self.records[kind].append(record)
        return record

    def cite(self, span: tuple[int, int], **fact: models.Model) -> None:
        start, end = span
        passage = self.text[start:end]
        if not passage.strip():
            return
        citation = Citation(
            uid=self.uid("citation"),
            source=self.source,
            passage=passage,
            start=start,
            end=end,
            **fact,
        )
        self.save(citation, "citations")


def _country(code: str | None) -> Country | None:
    return Country.objects.filter(code=code).first() if code else None


def ingest_article(
    raw_text: str,
    *,
    title: str = "",
    url: str = "",
    publisher: str = "",
    published_on: datetime.date | None = None,
    user: Any = None,
    gazetteer: Gazetteer | None = None,
) -> IngestResult:
    """Create the source and the draft records an article states, in one transaction.

    The same text twice is one source: the second call creates nothing (``created`` False).
    """
    text = normalize_source_text(raw_text)
    if not text:
        raise IngestError("the article is empty")
    _refuse_unstorable(text)
    source_hash = content_hash(text)
    existing = Source.objects.filter(content_hash=source_hash).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    if url and Source.objects.filter(url=url).exists():
        raise IngestError(f"another source already has the URL {url}")
    extraction = extract(text, gazetteer or database_gazetteer(), published_on)
    if not extraction.countries:
        raise IngestError("no country found in the article")
    for findings, what in ((extraction.agreements, "agreements"), (extraction.quotes, "quotes")):
        if len(findings) > MAX_FINDINGS:
            raise IngestError(
                f"the article states {len(findings):,} different {what}; one article may give "
                f"at most {MAX_FINDINGS}: split it"
            )
    with transaction.atomic():
        job = _Ingestion(text, extraction, user, source_hash)
        _create_records(job, title=title, url=url, publisher=publisher, published_on=published_on)
    return IngestResult(job.source, True, extraction, dict(job.records), job.referenced)


def _refuse_unstorable(text: str) -> None:
    """What no source may hold, whichever way the text came (file, form, API, code): more than
    the 2 MB a file may have, a lone surrogate (no UTF-8 for it, so no hash and no database
    column), or a NUL character (PostgreSQL refuses it in text)."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise IngestError(
            f"not valid Unicode text (a lone surrogate at character {error.start + 1:,})"
        ) from error
    if size > MAX_BYTES:
        raise IngestError(f"larger than 2 MB ({size:,} bytes of UTF-8)")
    if "\x00" in text:
        raise IngestError("the text contains NUL characters")


def _create_records(job: _Ingestion, *, title: str, url: str, publisher: str, published_on) -> None:
    extraction = job.extraction
    source = Source(
        uid=job.uid("source"),
        title=(title or _title_of(job.text))[:300],
        url=url,
        publisher=publisher,
        language=extraction.language,
        published_on=published_on,
        text=job.text,
        review_state=ReviewState.DRAFT,
    )
    job.source = job.save(source, "sources")
    source.countries_mentioned.set(Country.objects.filter(code__in=extraction.countries))

    officials = {id(finding): _official(job, finding) for finding in extraction.officials}
    parties = [_country(code) for code in extraction.parties]
    if len(parties) != 2:
        return
    place = _place(job, extraction.place) if extraction.place else None
    event = SigningEvent(
        uid=job.uid("event"),
        name=_event_name(parties, place),
        party_a=parties[0],
        party_b=parties[1],
        held_on=extraction.signed_on,
        weekday=_weekday_number(extraction.weekday),
        place=place,
    )
    job.save(event, "events")
    for span in extraction.signing_spans[:1]:
        job.cite(span, event=event)
    present = [
        official
        for finding, official in ((f, officials[id(f)]) for f in extraction.officials)
        if official is not None and _in_spans(finding.spans, extraction.signing_spans)
    ]
    event.officials_present.set(present)
    if extraction.agreement_count:
        _claim(job, extraction.agreement_count, parties, event=event)
    if extraction.total_count:
        _claim(job, extraction.total_count, parties, since=extraction.total_count.since)
    for finding in extraction.agreements:
        _agreement(job, finding, parties, event, place)
    for quote in extraction.quotes:
        speaker = officials.get(id(quote.speaker)) if quote.speaker else None
        if speaker is None:
            continue
        statement = Statement(
            uid=job.uid("statement"),
            official=speaker,
            kind=Statement.Kind.QUOTE,
            text=quote.text,
            language=extraction.language,
            event=event,
        )
        job.save(statement, "statements")
        job.cite(quote.span, statement=statement)


def _title_of(text: str) -> str:
    first = text.strip().splitlines()[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def _event_name(parties: list[Country], place: Place | None) -> str:
    names = "–".join(sorted(country.name_en for country in parties))
    return f"{names} signing in {place.name}" if place else f"{names} signing"


def _weekday_number(name: str | None) -> int | None:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    return days.index(name) + 1 if name in days else None


def _in_spans(spans: list[tuple[int, int]], within: list[tuple[int, int]]) -> bool:
    return any(start <= s < end for s, _e in spans for start, end in within)


def _official(job: _Ingestion, finding: OfficialFinding) -> Official | None:
    country = _country(finding.country)
    official = None
    if finding.key:
        official = Official.objects.filter(slug=finding.key).first()
    if official is None:
        official = _matching_official(finding)
    if official is None:
        if country is None:
            return None
        name = finding.name_en or finding.name_native
        if job.extraction.language == "ar" and not finding.name_en:
            name = transliterate(finding.name_native)  # Latin placeholder for the curator
        official = Official(uid=job.uid("official"), name=name, country=country)
        job.save(official, "officials")
        name = OfficialName(
            official=official, language=job.extraction.language, text=finding.name_native
        )
        job.save(name, "official names")
        job.cite(finding.spans[0], official=official)
    else:
        job.referenced.append(official)
    if finding.title and finding.role and country is not None:
        _office(job, official, finding, country)
    return official


def _matching_official(finding: OfficialFinding) -> Official | None:
    """An official already recorded under this name, in any script (never a second one)."""
    for name in (finding.name_native, finding.name_en):
        if not name:
            continue
        key = fold(name)
        matches = Official.objects.filter(Q(search_name=key) | Q(names__search_key=key)).distinct()
        if matches.count() == 1:
            return matches.first()
    return None


def _office(
    job: _Ingestion, official: Official, finding: OfficialFinding, country: Country
) -> None:
    existing = OfficeHeld.objects.filter(
        official=official, country=country, role=finding.role
    ).first()
    if existing is not None:
        job.referenced.append(existing)
        return
    title = finding.title if " of " in finding.title else f"{finding.title} of {country.name_en}"
    office = OfficeHeld(
        uid=job.uid("office"), official=official, country=country, role=finding.role, title=title
    )
    job.save(office, "offices")
    spans = [finding.title_span, *finding.spans[:1]] if finding.title_span else finding.spans[:1]
    job.cite((min(s for s, _ in spans), max(e for _, e in spans)), office_held=office)


def _place(job: _Ingestion, mention) -> Place | None:
    country = _country(mention.country)
    place = Place.objects.filter(name=mention.name, country=country).first()
    if place is not None:
        job.referenced.append(place)
        return place
    place = Place(uid=job.uid("place"), name=mention.name, country=country)
    job.save(place, "places")
    written = job.text[mention.span[0] : mention.span[1]]
    if written != mention.name:
        job.save(
            PlaceName(place=place, language=job.extraction.language, text=written), "place names"
        )
    return place


def _claim(
    job: _Ingestion,
    count: CountFinding,
    parties: list[Country],
    *,
    event: SigningEvent | None = None,
    since: int | None = None,
) -> None:
    claim = CountClaim(
        uid=job.uid("claim"),
        value=count.value,
        qualifier=count.qualifier,
        counted="agreements",
        party_a=parties[0],
        party_b=parties[1],
        event=event,
        since=str(since) if since else None,
    )
    job.save(claim, "count claims")
    job.cite(count.span, count_claim=claim)


def _agreement(
    job: _Ingestion,
    finding: AgreementFinding,
    parties: list[Country],
    event: SigningEvent,
    place: Place | None,
) -> None:
    agreement = Agreement(
        uid=job.uid("agreement"),
        kind=finding.kind,
        title=finding.subject[:300],
        original_title=finding.subject[:300] if job.extraction.language != "en" else "",
        party_a=parties[0],
        party_b=parties[1],
        signed_on=job.extraction.signed_on,
        place=place,
        event=event,
    )
    job.save(agreement, "agreements")
    agreement.sectors.set(Sector.objects.filter(slug__in=finding.sectors))
    job.cite(finding.span, agreement=agreement)


def ingest_as_fixture(raw_text: str, **options: Any) -> tuple[IngestResult, str]:
    """The records ``ingest_article`` would create, as a natural-key fixture; the database is
    left as it was. Referenced records (officials, places) are included so that the fixture
    loads on its own."""
    fixture = ""
    with transaction.atomic():
        result = ingest_article(raw_text, **options)
        if not result.created:
            raise IngestError("this text is already a source in the database")
        objects = _fixture_objects(result)
        records = serializers.serialize(
            "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        for record in records:
            # Timestamps belong to the database the fixture is loaded into, and leaving them
            # out makes a fixture of the same text the same file every time.
            record["fields"].pop("created_at", None)
            record["fields"].pop("updated_at", None)
        fixture = json.dumps(records, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        transaction.set_rollback(True)
    return result, fixture


def _fixture_objects(result: IngestResult) -> list[models.Model]:
    order = [
        "sources",
        "places",
        "place names",
        "officials",
        "official names",
        "offices",
        "events",
        "count claims",
        "agreements",
        "statements",
        "citations",
    ]
    created = [record for kind in order for record in result.records.get(kind, [])]
    referenced = list({(type(r), r.pk): r for r in result.referenced}.values())
    return referenced + created
