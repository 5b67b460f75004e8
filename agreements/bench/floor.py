"""The floor: each request of the mix answered by hand-written SQL, serialised with orjson.

It produces the same page (same records, same fields, same order) as the API, with the least
machinery one would write by hand: a query for the page with its joined one-to-one records,
one query per embedded list, a dict per record. The benchmark compares the API against it.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from django.db import connection

from agreements.api.csv import CSVRenderer
from agreements.partial_dates import PartialDate
from agreements.text import search_words

BASE = "http://testserver/api/v1"
PUBLISHED = "published"


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    if value.tzinfo is None:  # SQLite's driver gives naive UTC times
        return text + "Z"
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _rows(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


# The countries are read by a query of their own, as the API reads them: joined three times
# into the page query, they cost PostgreSQL 2 ms of planning for a query that runs in 1.
AGREEMENT_PAGE = """
SELECT a.id, a.uid, a.created_at, a.updated_at, a.kind, a.title, a.original_title, a.summary,
       a.signed_on, a.status, a.in_force_on, a.expires_on, a.review_state,
       a.party_a_id, a.party_b_id,
       p.id, p.name, p.country_id, p.review_state, e.id, e.name, e.held_on, e.review_state
FROM agreements_agreement a
LEFT JOIN agreements_place p ON p.id = a.place_id
LEFT JOIN agreements_signingevent e ON e.id = a.event_id
WHERE a.review_state = 'published' {where}
ORDER BY a.signed_on DESC NULLS LAST, a.id DESC LIMIT {limit} OFFSET {offset}
"""


def _with_countries(rows: list[tuple]) -> list[tuple]:
    """Page rows with each country id replaced by its code (and, for the parties, its name)."""
    ids = {pk for row in rows for pk in (row[13], row[14], row[17]) if pk is not None}
    names = {
        pk: (code, name)
        for pk, code, name in _rows(
            f"SELECT id, code, name_en FROM agreements_country WHERE id IN ({_in(ids)})"
        )
    }
    return [
        (
            *row[:13],
            *names[row[13]],
            *names[row[14]],
            *row[15:17],
            names[row[17]][0] if row[17] is not None else None,
            *row[18:],
        )
        for row in rows
    ]


def agreements_page(where: str, params: list, limit: int, offset: int) -> list[dict]:
    rows = _rows(AGREEMENT_PAGE.format(where=where, limit=limit, offset=offset), params)
    rows = _with_countries(rows)
    ids = [row[0] for row in rows]
    sectors = defaultdict(list)
    for agreement_id, slug, name_en, name_ar in _rows(
        "SELECT s.agreement_id, x.slug, x.name_en, x.name_ar FROM agreements_agreement_sectors s "
        f"JOIN agreements_sector x ON x.id = s.sector_id WHERE s.agreement_id IN ({_in(ids)}) "
        "ORDER BY x.name_en"
    ):
        sectors[agreement_id].append({"slug": slug, "name_en": name_en, "name_ar": name_ar})
    signatories = defaultdict(list)
    signers = _rows(
        "SELECT s.agreement_id, o.id, o.name, o.review_state, c.code, c.name_en "
        "FROM agreements_signatory s JOIN agreements_official o ON o.id = s.official_id "
        "JOIN agreements_country c ON c.id = s.country_id "
        f"WHERE s.agreement_id IN ({_in(ids)}) ORDER BY s.agreement_id, c.name_en, s.id"
    )
    offices = defaultdict(list)
    for office in _rows(
        "SELECT f.official_id, f.id, f.role, f.title, c.code, f.started_on, f.ended_on, "
        "f.review_state FROM agreements_officeheld f "
        "JOIN agreements_country c ON c.id = f.country_id "
        f"WHERE f.official_id IN ({_in([s[1] for s in signers])}) "
        "ORDER BY f.official_id, f.started_on"
    ):
        offices[office[0]].append(office)
    signed = {row[0]: row[8] for row in rows}
    for agreement_id, official_id, name, state, code, country_name in signers:
        signatories[agreement_id].append(
            {
                "official": {
                    "id": official_id,
                    "href": f"{BASE}/officials/{official_id}/",
                    "name": name,
                }
                if state == PUBLISHED
                else None,
                "country": {"code": code, "name": country_name},
                "office": _office_on(offices[official_id], signed[agreement_id]),
            }
        )
    citations = _citations("agreement_id", ids)
    return [_agreement(row, sectors, signatories, citations) for row in rows]


def _office_on(offices: list[tuple], signed_on: str | None) -> dict | None:
    if not signed_on:
        return None
    day = PartialDate(signed_on)
    for _official, office_id, role, title, code, started, ended, state in offices:
        if state != PUBLISHED:
            continue
        if started and not PartialDate(started).may_be_on_or_before(day):
            continue
        if ended and not PartialDate(ended).may_be_on_or_after(day):
            continue
        return {
            "id": office_id,
            "href": f"{BASE}/offices/{office_id}/",
            "role": role,
            "title": title,
            "country": code,
            "started_on": started,
            "ended_on": ended,
        }
    return None


def _citations(column: str, ids: list[int]) -> dict[int, list[dict]]:
    """The citations of the records ``ids`` (by ``column``) whose sources are published."""
    citations = defaultdict(list)
    for row in _rows(
        f'SELECT t.{column}, t.id, t.passage, t.translation_en, t.start, t."end", '
        "s.id, s.title, s.publisher, s.url, s.language, s.published_on FROM agreements_citation t "
        f"JOIN agreements_source s ON s.id = t.source_id WHERE t.{column} IN ({_in(ids)}) "
        "AND s.review_state = 'published' ORDER BY t.start, t.id"
    ):
        citations[row[0]].append(
            {
                "id": row[1],
                "href": f"{BASE}/citations/{row[1]}/",
                "passage": row[2],
                "translation_en": row[3],
                "start": row[4],
                "end": row[5],
                "source": {
                    "id": row[6],
                    "href": f"{BASE}/sources/{row[6]}/",
                    "title": row[7],
                    "publisher": row[8],
                    "url": row[9],
                    "language": row[10],
                    "published_on": row[11].isoformat() if row[11] else None,
                },
            }
        )
    return citations


def _agreement(row: tuple, sectors: dict, signatories: dict, citations: dict) -> dict:
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
        code_a,
        name_a,
        code_b,
        name_b,
        place_id,
        place_name,
        place_country,
        place_state,
        event_id,
        event_name,
        held_on,
        event_state,
    ) = row
    parties = sorted(
        [{"code": code_a, "name": name_a}, {"code": code_b, "name": name_b}],
        key=lambda p: p["code"],
    )
    return {
        "id": pk,
        "href": f"{BASE}/agreements/{pk}/",
        "uid": str(uuid.UUID(str(uid))),  # SQLite keeps 32 hex digits
        "created_at": _iso(created),
        "updated_at": _iso(updated),
        "kind": kind,
        "title": title,
        "original_title": original,
        "summary": summary,
        "parties": parties,
        "sectors": sectors[pk],
        "signed_on": signed,
        "place": {
            "id": place_id,
            "href": f"{BASE}/places/{place_id}/",
            "name": place_name,
            "country": place_country,
        }
        if place_id and place_state == PUBLISHED
        else None,
        "event": {
            "id": event_id,
            "href": f"{BASE}/events/{event_id}/",
            "name": event_name,
            "held_on": held_on,
        }
        if event_id and event_state == PUBLISHED
        else None,
        "status": status,
        "in_force_on": in_force,
        "expires_on": expires,
        "signatories": signatories[pk],
        "citations": citations[pk],
        "review_state": state,
    }


def count(where: str, params: list) -> tuple[int, bool]:
    """Exact up to a threshold, PostgreSQL's estimate above it, and the estimate alone where
    it is far above: what the API reports."""
    from agreements.api.pagination import ESTIMATE_ABOVE, SURELY_ABOVE, table_size
    from agreements.models import Agreement

    base = f"SELECT 1 FROM agreements_agreement a WHERE a.review_state = 'published' {where}"

    def planned() -> int:
        return int(_rows(f"EXPLAIN (FORMAT JSON) {base}", params)[0][0][0]["Plan"]["Plan Rows"])

    postgresql = connection.vendor == "postgresql"
    # The same once-a-minute reading of the table's size as the API's, so both ask alike.
    estimate = (
        planned() if postgresql and table_size(Agreement.objects.all()) >= SURELY_ABOVE else None
    )
    if estimate is not None and estimate >= SURELY_ABOVE:
        return estimate, True
    capped = _rows(f"SELECT COUNT(*) FROM ({base} LIMIT {ESTIMATE_ABOVE + 1}) counted", params)[0][
        0
    ]
    if capped <= ESTIMATE_ABOVE:
        return capped, False
    if postgresql:
        return max(planned() if estimate is None else estimate, capped), True
    return _rows(f"SELECT COUNT(*) FROM ({base}) counted", params)[0][0], False


def page_link(path: str, page: int) -> str:
    base, _, query = path.partition("?")
    params = [(key, value) for key, value in parse_qsl(query) if key != "page"]
    if page > 1:
        params.append(("page", str(page)))
    return f"{BASE}{base}?{urlencode(sorted(params))}" if params else f"{BASE}{base}"


def page_body(where: str, params: list, path: str, page: int = 1, size: int = 50) -> dict:
    total, estimated = count(where, params)
    results = agreements_page(where, params, size, (page - 1) * size)
    pages = (total + size - 1) // size
    return {
        "count": total,
        "count_estimated": estimated,
        "next": page_link(path, page + 1) if page < pages else None,
        "previous": page_link(path, page - 1) if page > 1 else None,
        "results": results,
    }


def country_ids(codes: tuple[str, str]) -> tuple[int, int]:
    found = dict(_rows("SELECT code, id FROM agreements_country WHERE code IN (%s, %s)", codes))
    first, second = found[codes[0]], found[codes[1]]
    return (min(first, second), max(first, second))


def text_condition(term: str) -> tuple[str, list]:
    words = search_words(term)
    if connection.vendor == "postgresql":
        return " AND a.search_vector @@ plainto_tsquery('english', %s)", [" ".join(words)]
    return "".join(" AND a.search_text LIKE %s" for _ in words), [f"%{w}%" for w in words]


def json_response(body: Any) -> bytes:
    return orjson.dumps(body)


def csv_response(body: dict) -> bytes:
    return CSVRenderer().render(body)


Floor = Callable[[], bytes]


def relation_body(codes: tuple[str, str]) -> dict:
    a, b = country_ids(codes)
    countries = {
        row[0]: {"code": row[1], "name": row[2]}
        for row in _rows(
            "SELECT id, code, name_en FROM agreements_country WHERE id IN (%s, %s)", (a, b)
        )
    }
    pair = "party_a_id = %s AND party_b_id = %s AND review_state = 'published'"
    stored = _rows(
        "SELECT agreements, first_signed_on, last_signed_on, events "
        "FROM agreements_pair_statistics WHERE party_a_id = %s AND party_b_id = %s",
        (a, b),
    )
    total, first, last, event_count = stored[0] if stored else (0, None, None, 0)
    events = [
        {"id": i, "href": f"{BASE}/events/{i}/", "name": n, "held_on": h}
        for i, n, h in _rows(
            f"SELECT id, name, held_on FROM agreements_signingevent WHERE {pair} "
            "ORDER BY held_on DESC NULLS LAST, id DESC LIMIT 10",
            (a, b),
        )
    ]
    claims = _rows(
        "SELECT id, value, qualifier, counted, since, until, commission_id "
        f"FROM agreements_countclaim WHERE {pair} AND event_id IS NULL "
        "ORDER BY since NULLS LAST, id",
        (a, b),
    )
    sources = defaultdict(dict)
    for claim_id, source_id, title, publisher, url, language, published in _rows(
        "SELECT t.count_claim_id, s.id, s.title, s.publisher, s.url, s.language, s.published_on "
        "FROM agreements_citation t JOIN agreements_source s ON s.id = t.source_id "
        f"WHERE t.count_claim_id IN ({_in([c[0] for c in claims])}) "
        "AND s.review_state = 'published'"
    ):
        sources[claim_id][source_id] = {
            "id": source_id,
            "href": f"{BASE}/sources/{source_id}/",
            "title": title,
            "publisher": publisher,
            "url": url,
            "language": language,
            "published_on": published.isoformat() if published else None,
        }
    commissions = _rows(
        f"SELECT id, name, founded_on FROM agreements_commission WHERE {pair} "
        "ORDER BY founded_on NULLS LAST, id",
        (a, b),
    )
    visible_commissions = {row[0] for row in commissions}
    sectors = [
        {"slug": slug, "name_en": name_en, "name_ar": name_ar, "count": n}
        for slug, name_en, name_ar, n in _rows(
            "SELECT x.slug, x.name_en, x.name_ar, t.agreements "
            "FROM agreements_pair_sector_statistics t "
            "JOIN agreements_sector x ON x.id = t.sector_id "
            "WHERE t.party_a_id = %s AND t.party_b_id = %s ORDER BY x.slug",
            (a, b),
        )
    ]
    ordered = sorted(countries.values(), key=lambda c: c["code"])
    key = "-".join(c["code"] for c in ordered)
    return {
        "pair": key,
        "href": f"{BASE}/relations/{key}/",
        "countries": ordered,
        "agreement_count": total,
        "first_signed_on": first,
        "last_signed_on": last,
        "event_count": event_count,
        "recent_events": events,
        "reported_totals": [
            {
                "value": value,
                "qualifier": qualifier,
                "counted": counted,
                "since": since,
                "until": until,
                "commission": commission if commission in visible_commissions else None,
                "sources": list(sources[claim_id].values()),
            }
            for claim_id, value, qualifier, counted, since, until, commission in claims
        ],
        "commissions": [
            {"id": i, "href": f"{BASE}/commissions/{i}/", "name": n, "founded_on": f}
            for i, n, f in commissions
        ],
        "sectors": sectors,
    }


def officials_body(term: str) -> dict:
    from agreements.api.pagination import ESTIMATE_ABOVE
    from agreements.text import fold

    key = f"%{fold(term)}%"
    where = "o.review_state = 'published' AND o.search_names LIKE %s"
    total = _rows(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM agreements_official o WHERE {where} "
        f"LIMIT {ESTIMATE_ABOVE + 1}) counted",
        (key,),
    )[0][0]
    rows = _rows(
        "SELECT o.id, o.uid, o.created_at, o.updated_at, o.slug, o.name, c.code, c.name_en, "
        "o.wikidata_id, o.review_state FROM agreements_official o JOIN agreements_country c "
        f"ON c.id = o.country_id WHERE {where} ORDER BY o.name, o.id LIMIT 50",
        (key,),
    )
    ids = _in([row[0] for row in rows])
    names = defaultdict(list)
    for official_id, language, text, kind in _rows(
        f"SELECT official_id, language, text, kind FROM agreements_officialname "
        f"WHERE official_id IN ({ids}) ORDER BY kind, language, text"
    ):
        names[official_id].append({"language": language, "text": text, "kind": kind})
    offices = defaultdict(list)
    for official_id, office_id, role, title, code, started, ended in _rows(
        "SELECT f.official_id, f.id, f.role, f.title, c.code, f.started_on, f.ended_on FROM "
        "agreements_officeheld f JOIN agreements_country c ON c.id = f.country_id "
        f"WHERE f.official_id IN ({ids}) AND f.review_state = 'published' "
        "ORDER BY f.started_on, f.id"
    ):
        offices[official_id].append(
            {
                "id": office_id,
                "href": f"{BASE}/offices/{office_id}/",
                "role": role,
                "title": title,
                "country": code,
                "started_on": started,
                "ended_on": ended,
            }
        )
    citations = _citations("official_id", [row[0] for row in rows])
    results = [
        {
            "id": pk,
            "href": f"{BASE}/officials/{pk}/",
            "uid": str(uuid.UUID(str(uid))),  # SQLite keeps 32 hex digits
            "created_at": _iso(created),
            "updated_at": _iso(updated),
            "slug": slug,
            "name": name,
            "country": {"code": code, "name": country_name},
            "wikidata_id": wikidata,
            "names": names[pk],
            "offices": offices[pk],
            "citations": citations[pk],
            "review_state": state,
        }
        for pk, uid, created, updated, slug, name, code, country_name, wikidata, state in rows
    ]
    return {
        "count": total,
        "count_estimated": False,
        "next": page_link(f"/officials/?q={term}", 2) if total > 50 else None,
        "previous": None,
        "results": results,
    }
