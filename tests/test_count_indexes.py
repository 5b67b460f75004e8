"""The public's capped counts are read off the published-only indexes (PostgreSQL).

On a few rows the planner would rather read the table: sequential and bitmap scans (and,
for the join, hash and nested-loop joins and sorts) are priced out, and the statistics are
taken afresh, so the plan shows which index serves the API's own count query best (not these
if they go, or if the count stops matching their condition).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import models
from tests.factories import AgreementFactory, country, sector

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")

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


def _count_plan(client, url: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    counts = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1, "the page is full: its count must be asked"
    with connection.cursor() as cursor:
        for setting in INDEXES_ONLY:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN {counts[0]}")
        return "\n".join(row[0] for row in cursor.fetchall())


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


def test_a_public_pairs_count_reads_the_published_pair_index(api, agreements):
    plan = _count_plan(api, "/api/v1/agreements/?country=RU&country=VE&page_size=1")
    assert "using agreement_published_pair on" in plan, plan


def test_a_public_sectors_count_reads_the_published_id_index(api, agreements):
    plan = _count_plan(api, "/api/v1/agreements/?sector=oil&page_size=1")
    assert "using agreement_published_id on" in plan, plan
