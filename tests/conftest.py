from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import CuratorFactory, UserFactory

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "000_2da5b34de469e791.json"


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
