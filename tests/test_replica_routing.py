"""Which requests may read from a replica: decided per request, without a replica running."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.test import RequestFactory

from tests.factories import UserFactory
from tracker import replicas


def _alias_seen(request, monkeypatch) -> str | None:
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    seen = []
    middleware = replicas.ReplicaReadsMiddleware(lambda r: seen.append(replicas._reads_from.get()))
    middleware(request)
    return seen[0]


def _request(method: str = "get", **headers: str):
    request = getattr(RequestFactory(), method)("/api/v1/agreements/", **headers)
    request.user = AnonymousUser()
    return request


def test_an_anonymous_read_goes_to_a_replica(monkeypatch):
    assert _alias_seen(_request(), monkeypatch) == "replica_1"


def test_a_read_with_a_token_stays_on_the_primary(monkeypatch):
    assert _alias_seen(_request(HTTP_AUTHORIZATION="Token abc"), monkeypatch) is None


@pytest.mark.django_db
def test_a_signed_in_read_stays_on_the_primary(monkeypatch):
    request = _request()
    request.user = UserFactory()
    assert _alias_seen(request, monkeypatch) is None


def test_a_write_stays_on_the_primary(monkeypatch):
    assert _alias_seen(_request("post"), monkeypatch) is None


def test_the_choice_ends_with_the_request(monkeypatch):
    _alias_seen(_request(), monkeypatch)
    assert replicas._reads_from.get() is None


def test_reads_inside_a_transaction_stay_on_the_primary(monkeypatch):
    router = replicas.ReplicaRouter()
    token = replicas._reads_from.set("replica_1")
    try:
        assert router.db_for_read(object) == "replica_1"
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(object) == "default"
    finally:
        replicas._reads_from.reset(token)


def test_writes_and_migrations_only_touch_the_primary():
    router = replicas.ReplicaRouter()
    assert router.db_for_write(object) == "default"
    assert router.allow_migrate("replica_1", "agreements") is False
