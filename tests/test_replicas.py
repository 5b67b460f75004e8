"""Read replicas, for real: run with DATABASE_REPLICA_URLS naming a streaming replica of the
test server (``.ci/run`` starts one with pg_basebackup -R); skipped otherwise."""

import os
import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tracker.replicas import replica_aliases

REPLICAS = replica_aliases()
if os.environ.get("TRACKER_REQUIRE_REPLICAS") and not REPLICAS:
    raise RuntimeError("TRACKER_REQUIRE_REPLICAS is set but DATABASE_REPLICA_URLS is not.")
pytestmark = [
    pytest.mark.skipif(not REPLICAS, reason="DATABASE_REPLICA_URLS is not set"),
    # Committed writes (a replica never sees an open transaction); the reference data that
    # migrations loaded comes back after each test.
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", *REPLICAS]
    ),
]

NEW_AGREEMENT = {
    "kind": "agreement",
    "title": "Agreement on replicated reads",
    "parties": ["VE", "RU"],
    "signed_on": "2026-11",
    "review_state": "published",
}


def _titles(client) -> list[str]:
    return [row["title"] for row in client.get("/api/v1/agreements/").json()["results"]]


def _seen_on_a_replica(client, title: str, seconds: float = 15.0) -> bool:
    # Streaming replication is asynchronous: the replica catches up within moments.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if title in _titles(client):
            return True
        time.sleep(0.1)
    return False


def test_each_replica_is_a_read_only_standby():
    for alias in REPLICAS:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True


def test_a_write_through_the_api_is_read_back_through_a_replica(api, curator_api):
    created = curator_api.post("/api/v1/agreements/", NEW_AGREEMENT, format="json")
    assert created.status_code == 201, created.content

    assert _seen_on_a_replica(api, NEW_AGREEMENT["title"])
    replica = connections[REPLICAS[0]]
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert api.get("/api/v1/agreements/").status_code == 200
    assert len(on_replica) >= 2  # the data version and the page at least
    assert len(on_primary) == 0


def test_a_curator_reads_their_own_write_from_the_primary(curator_api):
    with CaptureQueriesContext(connections[REPLICAS[0]]) as on_replica:
        created = curator_api.post("/api/v1/agreements/", NEW_AGREEMENT, format="json")
        titles = _titles(curator_api)
    assert created.status_code == 201
    assert NEW_AGREEMENT["title"] in titles  # at once, without waiting for replication
    assert len(on_replica) == 0
