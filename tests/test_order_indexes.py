"""Lists in their default order are read off an index in that order, not sorted whole.

As in ``test_count_indexes.py``, the planner's other choices (sequential scans, sorts) are
priced out and the statistics taken afresh, so the plan shows whether an index gives the
API's own page query its order: without one, the plan is still a sort of every row.
"""

import pytest
from django.db import connection

from agreements import models
from tests.factories import OfficialFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")

INDEXES_ONLY = (
    "ANALYZE agreements_official",
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_sort = off",
)


def _page_query_plan(client, url: str) -> str:
    pages = []

    def record(execute, sql, params, many, context):
        if sql.startswith('SELECT "agreements_official"') and "LIMIT" in sql:
            pages.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    [(sql, params)] = pages
    with connection.cursor() as cursor:
        for setting in INDEXES_ONLY:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def officials(db):
    OfficialFactory.create_batch(30, review_state=models.ReviewState.PUBLISHED)
    OfficialFactory.create_batch(3)


@pytest.mark.parametrize("reader", ["api", "curator_api"])
def test_a_page_of_officials_is_read_in_name_order_off_its_index(request, reader, officials):
    plan = _page_query_plan(request.getfixturevalue(reader), "/api/v1/officials/?page_size=5")
    assert "using official_name_order on" in plan, plan
    assert "Sort" not in plan, plan
