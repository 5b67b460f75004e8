"""The public's capped and exact counts are read off the published-only indexes.

On a few rows PostgreSQL's planner would rather read the table: sequential and bitmap scans
(and, for the join, hash and nested-loop joins and sorts) are priced out, and the statistics
are taken afresh, so the plan shows which index serves the API's own count query best (not
these if they go, or if the count stops matching their condition). SQLite uses a partial
index only where the query's own condition proves the index's: with the review state bound
as a parameter it read every counted row from the table.
"""

import pytest
from django.db import connection

from agreements import models
from agreements.api import pagination
from agreements.models.fields import Constant
from tests.factories import AgreementFactory, country, sector

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")

PUBLISHED = models.ReviewState.PUBLISHED
INDEXES_ONLY = (
    "ANALYZE agreements_agreement",
    "ANALYZE agreements_agreement_sectors",
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_hashjoin = off",
    "SET LOCAL enable_nestloop = off",
    "SET LOCAL enable_sort = off",
)


def _count_queries(client, url: str) -> list[tuple[str, list]]:
    """The count queries the API ran, as it ran them: with their parameters apart."""
    counts = []

    def record(execute, sql, params, many, context):
        if sql.startswith("SELECT COUNT(*)"):
            counts.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    assert counts, "the page is full: its count must be asked"
    return counts


def _postgresql_plan(client, url: str) -> str:
    [(sql, params)] = _count_queries(client, url)
    with connection.cursor() as cursor:
        for setting in INDEXES_ONLY:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _sqlite_table_reads(client, url: str) -> list[tuple[bool, int]]:
    """For each count query: whether it reads agreement_published_pair, and how many times its
    bytecode reads a column of a row of the table itself (Column on the table's cursor)."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE name IN "
            "('agreements_agreement', 'agreement_published_pair')"
        )
        roots = dict(cursor.fetchall())
        for sql, params in _count_queries(client, url):
            cursor.execute(f"EXPLAIN {sql}", params)
            program = [(row[1], row[2], row[3]) for row in cursor.fetchall()]
            opened = {p1: p2 for opcode, p1, p2 in program if opcode == "OpenRead"}
            table = {p1 for p1, root in opened.items() if root == roots["agreements_agreement"]}
            reads = sum(opcode == "Column" and p1 in table for opcode, p1, _ in program)
            found.append((roots["agreement_published_pair"] in opened.values(), reads))
    return found


@pytest.fixture
def agreements(db):
    for state in (PUBLISHED, PUBLISHED, PUBLISHED, models.ReviewState.DRAFT):
        AgreementFactory(
            party_a=country("RU"),
            party_b=country("VE"),
            review_state=state,
            sectors=[sector("oil")],
        )
    # Other pairs, so that the statistics tell a pair's rows from the rest.
    AgreementFactory.create_batch(60, party_a=country("CU"), party_b=country("VE"))


@on_postgresql
def test_a_public_pairs_count_reads_the_published_pair_index(api, agreements):
    plan = _postgresql_plan(api, "/api/v1/agreements/?country=RU&country=VE&page_size=1")
    assert "using agreement_published_pair on" in plan, plan


@on_postgresql
def test_a_public_sectors_count_reads_the_published_id_index(api, agreements):
    plan = _postgresql_plan(api, "/api/v1/agreements/?sector=oil&page_size=1")
    assert "using agreement_published_id on" in plan, plan


@on_sqlite
def test_a_public_pairs_counts_read_no_table_row_on_sqlite(api, agreements, monkeypatch):
    # Beyond the cap SQLite counts exactly (it has no estimate): both counts run. With the
    # review state bound as a parameter, each read the state from the table for every entry.
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 1)
    counts = _sqlite_table_reads(api, "/api/v1/agreements/?country=RU&country=VE&page_size=1")
    assert counts == [(True, 0), (True, 0)]


def test_only_a_plain_word_is_written_into_the_sql():
    assert Constant("published").as_sql(None, connection) == ("'published'", [])
    for word in ("it's", "a b", "x'; DROP TABLE t; --", "", "é"):
        with pytest.raises(ValueError, match="Not a plain word"):
            Constant(word)
