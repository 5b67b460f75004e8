"""Published records per country pair, precomputed: what a relation summary counts.

A relation summary names how many agreements, events, commissions and reported totals a pair
has, when its agreements were signed, and how many fall in each sector. Counted at read time
that work grows with the pair (the busiest pairs have tens of thousands of agreements at a
million); read from these tables it is one index probe whatever the size.

The tables are derived data, kept out of the models on purpose (``dumpdata`` must not export
them, ``loaddata`` must not import stale ones): migration 0010 creates them, every write to a
pair's records recomputes that pair in the writer's transaction (``apps.py`` connects the
signals; bulk paths call ``refresh_pairs``), and ``migrate``/``flush`` recompute them all.
They hold published records only; curators, who also see drafts, are counted at read time.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections, transaction

Pair = tuple[int, int]
PAIRS = "agreements_pair_statistics"
SECTORS = "agreements_pair_sector_statistics"
PUBLISHED = "'published'"
_deferred: ContextVar[set[Pair] | None] = ContextVar("deferred_pairs", default=None)

COUNTED = f"""
SELECT party_a_id, party_b_id, COUNT(*) AS agreements, MIN(signed_on) AS first_signed_on,
       MAX(signed_on) AS last_signed_on, 0 AS events, 0 AS commissions, 0 AS count_claims
FROM agreements_agreement WHERE review_state = {PUBLISHED} {{where}} GROUP BY party_a_id, party_b_id
UNION ALL
SELECT party_a_id, party_b_id, 0, NULL, NULL, COUNT(*), 0, 0
FROM agreements_signingevent WHERE review_state = {PUBLISHED} {{where}}
GROUP BY party_a_id, party_b_id
UNION ALL
SELECT party_a_id, party_b_id, 0, NULL, NULL, 0, COUNT(*), 0
FROM agreements_commission WHERE review_state = {PUBLISHED} {{where}}
GROUP BY party_a_id, party_b_id
UNION ALL
SELECT party_a_id, party_b_id, 0, NULL, NULL, 0, 0, COUNT(*)
FROM agreements_countclaim WHERE review_state = {PUBLISHED} {{where}}
GROUP BY party_a_id, party_b_id
"""

INSERT_PAIRS = f"""
INSERT INTO {PAIRS} (party_a_id, party_b_id, pair, agreements, first_signed_on,
                     last_signed_on, events, commissions, count_claims)
SELECT counted.party_a_id, counted.party_b_id,
       CASE WHEN a.code < b.code THEN a.code || '-' || b.code ELSE b.code || '-' || a.code END,
       SUM(agreements), MIN(first_signed_on), MAX(last_signed_on), SUM(events),
       SUM(commissions), SUM(count_claims)
FROM ({COUNTED}) counted
JOIN agreements_country a ON a.id = counted.party_a_id
JOIN agreements_country b ON b.id = counted.party_b_id
GROUP BY counted.party_a_id, counted.party_b_id, a.code, b.code
"""

INSERT_SECTORS = f"""
INSERT INTO {SECTORS} (party_a_id, party_b_id, sector_id, agreements)
SELECT g.party_a_id, g.party_b_id, s.sector_id, COUNT(*)
FROM agreements_agreement g JOIN agreements_agreement_sectors s ON s.agreement_id = g.id
WHERE g.review_state = {PUBLISHED} {{where}}
GROUP BY g.party_a_id, g.party_b_id, s.sector_id
"""


def _condition(pairs: list[Pair] | None, prefix: str = "") -> tuple[str, list[int]]:
    if pairs is None:
        return "", []
    terms = " OR ".join(f"({prefix}party_a_id = %s AND {prefix}party_b_id = %s)" for _ in pairs)
    return f"AND ({terms})", [value for pair in pairs for value in pair]


def _chunks(pairs: list[Pair], size: int = 200) -> Iterator[list[Pair]]:
    for start in range(0, len(pairs), size):
        yield pairs[start : start + size]


def refresh_pairs(pairs: Iterable[Pair] | None = None, using: str = "default") -> None:
    """Recompute the statistics of ``pairs`` (stored order, lower id first), or of all pairs.

    Inside ``deferred()`` the pairs are only noted, and recomputed once when it ends.
    """
    if pairs is not None:
        pairs = sorted(set(pairs))
        waiting = _deferred.get()
        if waiting is not None:
            waiting.update(pairs)
            return
        if not pairs:
            return
    with transaction.atomic(using), connections[using].cursor() as cursor:
        for chunk in [None] if pairs is None else _chunks(pairs):
            where, params = _condition(chunk)
            for table in (PAIRS, SECTORS):
                cursor.execute(f"DELETE FROM {table} WHERE 1 = 1 {where}", params)
            # The condition appears once per counted table (four times).
            cursor.execute(INSERT_PAIRS.format(where=where), params * 4)
            cursor.execute(INSERT_SECTORS.format(where=_condition(chunk, "g.")[0]), params)


@contextmanager
def deferred(using: str = "default") -> Iterator[None]:
    """Recompute each touched pair once, at the end, rather than after every write: for the
    bulk paths (ingesting an article, loading fixtures, reviewing many records at once)."""
    if _deferred.get() is not None:  # already deferring: the outer block refreshes
        yield
        return
    pairs: set[Pair] = set()
    token = _deferred.set(pairs)
    try:
        yield
    finally:
        _deferred.reset(token)
    # Reached only when the block succeeded: a failed one rolls its writes back anyway.
    refresh_pairs(pairs, using)


def pair_of(record: Any) -> Pair | None:
    if record.party_a_id is None or record.party_b_id is None:
        return None
    return (record.party_a_id, record.party_b_id)


def statistics_of(pairs: list[Pair], using: str) -> dict[Pair, dict]:
    """The stored statistics of ``pairs``: counts, first and last signing, sector counts."""
    found: dict[Pair, dict] = {}
    if not pairs:
        return found
    where, params = _condition(pairs)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT party_a_id, party_b_id, agreements, first_signed_on, last_signed_on, events "
            f"FROM {PAIRS} WHERE 1 = 1 {where}",
            params,
        )
        for a, b, agreements, first, last, events in cursor.fetchall():
            found[a, b] = {
                "agreements": agreements,
                "first": first,
                "last": last,
                "events": events,
                "sectors": [],
            }
        cursor.execute(
            "SELECT t.party_a_id, t.party_b_id, x.slug, x.name_en, x.name_ar, t.agreements "
            f"FROM {SECTORS} t JOIN agreements_sector x ON x.id = t.sector_id "
            f"WHERE 1 = 1 {_condition(pairs, 't.')[0]} ORDER BY x.slug",
            params,
        )
        for a, b, slug, name_en, name_ar, count in cursor.fetchall():
            found[a, b]["sectors"].append(
                {"slug": slug, "name_en": name_en, "name_ar": name_ar, "count": count}
            )
    return found


def published_pairs(countries: list[int], using: str) -> list[Pair]:
    """Pairs with published records, in the order of their codes (``RU-VE``), for the countries
    given (all of them must be parties)."""
    ids = sorted(set(countries))
    if len(ids) > 2:
        return []
    where, params = "", []
    if len(ids) == 1:
        where, params = "AND (party_a_id = %s OR party_b_id = %s)", [ids[0], ids[0]]
    elif len(ids) == 2:
        where, params = "AND party_a_id = %s AND party_b_id = %s", ids
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT party_a_id, party_b_id FROM {PAIRS} WHERE 1 = 1 {where} ORDER BY pair", params
        )
        return [tuple(row) for row in cursor.fetchall()]
