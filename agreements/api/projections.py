"""Fast read paths: agreements and officials built as dicts from a few value queries.

The DRF serializers in ``serializers.py`` define the representation (and still serve writes,
the schema and the browsable forms); these functions produce exactly the same JSON for lists
and details without instantiating a serializer field per value, which made reads 5–10 times
slower than hand-written SQL. ``tests/test_api_projections.py`` holds them equal.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import router
from django.db.models import QuerySet
from rest_framework.request import Request

from agreements import models
from agreements.api.prepared import PreparedQuery, rows_together
from agreements.api.records import stored_page
from agreements.partial_dates import PartialDate

PUBLISHED = models.ReviewState.PUBLISHED


def iso_datetime(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# A cited source as embedded rows show it (its brief), read through a citation.
SOURCE_BRIEF_COLUMNS = (
    "source_id",
    "source__title",
    "source__publisher",
    "source__url",
    "source__language",
    "source__published_on",
)


def _citations(field: str, sees_drafts: bool) -> PreparedQuery:
    def build(ids: list[int]) -> QuerySet:
        citations = models.Citation.objects.from_sources_seen(sees_drafts)
        return (
            citations.filter(**{f"{field}__in_id_list": ids})
            .order_by("start", "pk")
            .values_list(
                field,
                "id",
                "passage",
                "translation_en",
                "start",
                "end",
                *SOURCE_BRIEF_COLUMNS,
            )
        )

    return PreparedQuery(build)


CITATIONS = {
    (field, sees_drafts): _citations(field, sees_drafts)
    for field in ("agreement", "official")
    for sees_drafts in (False, True)
}
SECTORS = PreparedQuery(
    lambda ids: (
        models.Agreement.sectors.through.objects.filter(agreement_id__in_id_list=ids)
        .order_by("sector__name_en")
        .values_list("agreement_id", "sector__slug", "sector__name_en", "sector__name_ar")
    )
)
SIGNERS = PreparedQuery(
    lambda ids: (
        models.Signatory.objects.filter(agreement_id__in_id_list=ids)
        .order_by("agreement_id", "country__name_en", "pk")
        .values_list(
            "agreement_id",
            "official_id",
            "official__name",
            "official__review_state",
            "country__code",
            "country__name_en",
        )
    )
)


def _offices(**where: Any) -> QuerySet:
    return (
        models.OfficeHeld.objects.filter(**where)
        .order_by("official_id", "started_on", "pk")
        .values_list(
            "official_id",
            "id",
            "role",
            "title",
            "country__code",
            "started_on",
            "ended_on",
            "review_state",
        )
    )


OFFICES = PreparedQuery(lambda ids: _offices(official_id__in_id_list=ids), convert=False)
# The offices of the agreements' signatories, found by the agreements' ids so that the query
# need not wait for the signatories' rows (and can go out with them).
SIGNER_OFFICES = PreparedQuery(
    lambda ids: _offices(
        official_id__in=models.Signatory.objects.filter(agreement_id__in_id_list=ids).values(
            "official_id"
        )
    )
)
COUNTRIES = PreparedQuery(
    lambda ids: models.Country.objects.filter(pk__in_id_list=ids).values_list(
        "pk", "code", "name_en"
    )
)


def named_countries(rows: Iterable[tuple]) -> dict[int, dict]:
    """(id, code, English name) rows as records embed countries, by id."""
    return {pk: {"code": code, "name": name} for pk, code, name in rows}


OFFICIAL_NAMES = PreparedQuery(
    lambda ids: (
        models.OfficialName.objects.filter(official_id__in_id_list=ids)
        .order_by("kind", "language", "text")
        .values_list("official_id", "language", "text", "kind")
    )
)


# No table has a record beyond a 64-bit id: asking for one is asking for nothing.
MAX_ID = 2**63 - 1


def _one_record(model: type, columns: tuple[str, ...], sees_drafts: bool) -> PreparedQuery:
    def build(ids: list[int]) -> QuerySet:
        records = model.objects.seen(sees_drafts).filter(pk__in_id_list=ids)
        return records.order_by().values_list(*columns)  # in any order: built in the page's

    return PreparedQuery(build)


class Projection:
    """``model``'s records as dicts: ``record_columns`` are read by the page query (or the
    record's own query), the lists they embed by one query each over the page's ids."""

    model: type
    record_columns: tuple[str, ...]
    _record_queries: dict[bool, PreparedQuery]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" not in cls.__dict__:
            return
        cls._record_queries = {
            sees_drafts: _one_record(cls.model, cls.record_columns, sees_drafts)
            for sees_drafts in (False, True)
        }

    def __init__(self, request: Request | None, sees_drafts: bool, root: str | None = None) -> None:
        self.sees_drafts = sees_drafts
        self.request = request
        self.using = router.db_for_read(models.Agreement)
        if root is None:
            root = request.build_absolute_uri("/api/v1/") if request is not None else "/api/v1/"
        self.root = root

    def href(self, resource: str, key: Any) -> str:
        return f"{self.root}{resource}/{key}/"

    def columns(self, queryset: QuerySet) -> QuerySet:
        """The page query: one row per record with what it embeds one-to-one."""
        return queryset.values_list(*self.record_columns)

    def page(self, rows: Iterable[tuple]) -> list:
        """A list page's records, from the rows of the page query."""
        return self.build(rows)

    def record(self, pk: int) -> dict | None:
        """One record as the reader may see it (None if none), by a query compiled once."""
        if pk > MAX_ID:
            return None
        built = self.build(self._record_queries[self.sees_drafts].rows([pk], using=self.using))
        return built[0] if built else None

    def countries_call(self, ids: Iterable[int | None]) -> tuple:
        """The call reading countries by id (see ``named_countries``). Read by a query of
        their own rather than joined into the page query: three joins of the countries made
        PostgreSQL spend 2 ms planning a page query that runs in 1."""
        return (COUNTRIES, [pk for pk in ids if pk is not None])

    def visible(self, state: str | None) -> bool:
        return self.sees_drafts or state == PUBLISHED

    def citations_call(self, field: str, ids: list[int]) -> tuple:
        """The call reading the citations of the records ``ids`` (through ``field``)."""
        return (CITATIONS[field, self.sees_drafts], ids)

    def cited(self, rows: list[tuple]) -> dict[int, list[dict]]:
        """Citations with their sources, by record, from the rows of ``citations_call``."""
        found: dict[int, list[dict]] = defaultdict(list)
        for row in rows:
            found[row[0]].append(
                {
                    "id": row[1],
                    "href": self.href("citations", row[1]),
                    "passage": row[2],
                    "translation_en": row[3],
                    "start": row[4],
                    "end": row[5],
                    "source": {
                        "id": row[6],
                        "href": self.href("sources", row[6]),
                        "title": row[7],
                        "publisher": row[8],
                        "url": row[9],
                        "language": row[10],
                        "published_on": row[11].isoformat() if row[11] else None,
                    },
                }
            )
        return found


AGREEMENT_COLUMNS = (
    "id",
    "uid",
    "created_at",
    "updated_at",
    "kind",
    "title",
    "original_title",
    "summary",
    "signed_on",
    "status",
    "in_force_on",
    "expires_on",
    "review_state",
    "party_a_id",
    "party_b_id",
    "place_id",
    "place__name",
    "place__country_id",
    "place__review_state",
    "event_id",
    "event__name",
    "event__held_on",
    "event__review_state",
)


# Where the page row holds the ids of the countries it embeds (the parties, the place's).
AGREEMENT_COUNTRY_COLUMNS = tuple(
    AGREEMENT_COLUMNS.index(name) for name in ("party_a_id", "party_b_id", "place__country_id")
)


class AgreementProjection(Projection):
    model = models.Agreement
    record_columns = AGREEMENT_COLUMNS

    def build(self, rows: Iterable[tuple]) -> list[dict]:
        rows = list(rows)
        ids = [row[0] for row in rows]
        countries, sectors, signers, offices, citations = rows_together(
            self.countries_call(
                {row[column] for row in rows for column in AGREEMENT_COUNTRY_COLUMNS}
            ),
            (SECTORS, ids),
            (SIGNERS, ids),
            (SIGNER_OFFICES, ids),
            self.citations_call("agreement", ids),
            using=self.using,
        )
        countries = named_countries(countries)
        sectors = self._sectors(sectors)
        signatories = self._signatories(signers, offices, {row[0]: row[8] for row in rows})
        citations = self.cited(citations)
        return [self._agreement(row, countries, sectors, signatories, citations) for row in rows]

    def _sectors(self, rows: list[tuple]) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = defaultdict(list)
        for agreement_id, slug, name_en, name_ar in rows:
            found[agreement_id].append({"slug": slug, "name_en": name_en, "name_ar": name_ar})
        return found

    def _signatories(
        self, signers: list[tuple], office_rows: list[tuple], signed_on: dict[int, str | None]
    ) -> dict[int, list[dict]]:
        offices: dict[int, list[tuple]] = defaultdict(list)
        for office in office_rows:
            offices[office[0]].append(office)
        found: dict[int, list[dict]] = defaultdict(list)
        for agreement_id, official_id, name, state, code, country in signers:
            if not self.visible(state):
                continue  # as VisibleSignatoriesSerializer: no row for a hidden official
            found[agreement_id].append(
                {
                    "official": {
                        "id": official_id,
                        "href": self.href("officials", official_id),
                        "name": name,
                    },
                    "country": {"code": code, "name": country},
                    "office": self._office_on(offices[official_id], signed_on[agreement_id]),
                }
            )
        return found

    def _office_on(self, offices: list[tuple], signed_on: str | None) -> dict | None:
        if not signed_on:
            return None
        day = PartialDate(signed_on)
        for _official, pk, role, title, code, started, ended, state in offices:
            if started and not PartialDate(started).may_be_on_or_before(day):
                continue
            if ended and not PartialDate(ended).may_be_on_or_after(day):
                continue
            if not self.visible(state):
                continue
            return {
                "id": pk,
                "href": self.href("offices", pk),
                "role": role,
                "title": title,
                "country": code,
                "started_on": started,
                "ended_on": ended,
            }
        return None

    def _agreement(
        self, row: tuple, countries: dict, sectors: dict, signatories: dict, citations: dict
    ) -> dict:
        (
            pk,
            uid,
            created,
            updated,
            kind,
            title,
            original,
            summary,
            signed,
            status,
            in_force,
            expires,
            state,
            party_a,
            party_b,
            place_id,
            place_name,
            place_country,
            place_state,
            event_id,
            event_name,
            held_on,
            event_state,
        ) = row
        parties = sorted((countries[party_a], countries[party_b]), key=lambda party: party["code"])
        place = event = None
        if place_id and self.visible(place_state):
            place = {
                "id": place_id,
                "href": self.href("places", place_id),
                "name": place_name,
                "country": countries[place_country]["code"],
            }
        if event_id and self.visible(event_state):
            event = {
                "id": event_id,
                "href": self.href("events", event_id),
                "name": event_name,
                "held_on": held_on,
            }
        return {
            "id": pk,
            "href": self.href("agreements", pk),
            "uid": str(uid),
            "created_at": iso_datetime(created),
            "updated_at": iso_datetime(updated),
            "kind": kind,
            "title": title,
            "original_title": original,
            "summary": summary,
            "parties": parties,
            "sectors": sectors[pk],
            "signed_on": signed,
            "place": place,
            "event": event,
            "status": status,
            "in_force_on": in_force,
            "expires_on": expires,
            "signatories": signatories[pk],
            "citations": citations[pk],
            "review_state": state,
        }


OFFICIAL_COLUMNS = (
    "id",
    "uid",
    "created_at",
    "updated_at",
    "slug",
    "name",
    "country__code",
    "country__name_en",
    "wikidata_id",
    "review_state",
)


class OfficialProjection(Projection):
    """Officials are paged by id alone: a name search's page query sorts every match (no
    index gives that order), and carrying whole records through that sort cost 0.3 of its
    1.2 ms for the 800 matches of "Haddad" at a million agreements. The page's records are
    read by id with the lists they embed, in one round trip; their countries are joined to
    those 50 rows (a query compiled and planned once), not read by a query of their own."""

    model = models.Official
    record_columns = OFFICIAL_COLUMNS

    def columns(self, queryset: QuerySet) -> QuerySet:
        return queryset.values_list("id")

    def record(self, pk: int) -> dict | None:
        built = self.build([(pk,)]) if pk <= MAX_ID else []
        return built[0] if built else None

    def page(self, rows: Iterable[tuple]) -> list:
        """The public reads the stored records (``records.py``) as JSON; curators, other
        formats (CSV flattens dicts) and any official whose record is not stored yet get
        them built."""
        ids = [row[0] for row in rows]
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.sees_drafts or getattr(renderer, "format", None) != "json":
            return self.build([(pk,) for pk in ids])
        stored: dict[int, Any] = stored_page(ids, self.root, self.using)
        missing = [(pk,) for pk in ids if pk not in stored]
        if missing:
            stored.update((record["id"], record) for record in self.build(missing))
        # In the page's order; a record deleted (or hidden) since the page was read is gone.
        return [stored[pk] for pk in ids if pk in stored]

    def build(self, rows: Iterable[tuple]) -> list[dict]:
        ids = [row[0] for row in rows]
        records, name_rows, office_rows, citations = rows_together(
            (self._record_queries[self.sees_drafts], ids),
            (OFFICIAL_NAMES, ids),
            (OFFICES, ids),
            self.citations_call("official", ids),
            using=self.using,
        )
        names: dict[int, list[dict]] = defaultdict(list)
        for official_id, language, text, kind in name_rows:
            names[official_id].append({"language": language, "text": text, "kind": kind})
        root, sees_drafts = self.root, self.sees_drafts
        offices: dict[int, list[dict]] = defaultdict(list)
        for official_id, pk, role, title, code, started, ended, state in office_rows:
            if sees_drafts or state == PUBLISHED:
                offices[official_id].append(
                    {
                        "id": pk,
                        "href": f"{root}offices/{pk}/",
                        "role": role,
                        "title": title,
                        "country": code,
                        "started_on": started,
                        "ended_on": ended,
                    }
                )
        citations = self.cited(citations)
        # In the page's order; a record deleted (or hidden) since the page was read is gone.
        by_id = {record[0]: record for record in records}
        ordered = [by_id[pk] for pk in ids if pk in by_id]
        return [
            {
                "id": pk,
                "href": f"{root}officials/{pk}/",
                "uid": str(uid),
                "created_at": iso_datetime(created),
                "updated_at": iso_datetime(updated),
                "slug": slug,
                "name": name,
                "country": {"code": code, "name": country},
                "wikidata_id": wikidata,
                "names": names[pk],
                "offices": offices[pk],
                "citations": citations[pk],
                "review_state": state,
            }
            for pk, uid, created, updated, slug, name, code, country, wikidata, state in ordered
        ]
