from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import CuratorFactory, UserFactory

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "000_2da5b34de469e791.json"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Nothing may reach the configured database before the test database replaces it: a
    connection (or PostgreSQL pool) opened at import time goes on serving the real database
    to the tests, their migrations and their writes."""
    from django.db import connections

    opened = [
        connection.alias
        for connection in connections.all(initialized_only=True)
        if connection.connection is not None
        or connection.alias in getattr(connection, "_connection_pools", {})
    ]
    if opened:
        raise pytest.UsageError(f"The database {opened} was used while collecting tests.")


@pytest.fixture(autouse=True)
def table_sizes_read_afresh(monkeypatch):
    """A process reads a table's size once a minute (api/pagination.py): in tests it reads it
    every time, so that a request's queries do not depend on which test ran before."""
    from agreements.api import pagination

    monkeypatch.setattr(pagination, "TABLE_SIZE_SECONDS", 0.0)


@pytest.fixture
def curator(db):
    return CuratorFactory()


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def staff_outside_curators(db):
    """Staff status lets one into the admin, but without the group one may change nothing."""
    return UserFactory(is_staff=True)


@pytest.fixture
def seed(db):
    call_command("load_seed_fixtures", verbosity=0)


@pytest.fixture
def api():
    """An anonymous API client."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def curator_api(curator):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    return client


@pytest.fixture
def plain_user_api(db):
    """Signed in, but not a curator."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    user = UserFactory()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def if_match(client, url: str) -> dict:
    """The header that makes a write conditional on the record as ``client`` reads it now
    (updates and deletes without one are refused with 428)."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return {"HTTP_IF_MATCH": response["ETag"]}
