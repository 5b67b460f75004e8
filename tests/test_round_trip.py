"""Backups restore exactly: what is dumped loads into an empty database and dumps again to the
same bytes, and every list of the API answers the same bytes before and after, for curators
(drafts included) and for the public; on PostgreSQL the same through pg_dump and pg_restore."""

import io
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from agreements.models import Agreement, Country, OfficeHeld, ReviewState, Signatory
from agreements.services import set_review_state
from tests.factories import (
    AgreementFactory,
    CuratorFactory,
    OfficeHeldFactory,
    PlaceFactory,
    country,
    sector,
)

# serialized_rollback puts back the reference data (countries, sectors) that flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FULL_DUMP = ("dumpdata", "auth.user", "agreements")  # the README's full backup, with history


def _dump(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def records(seed):
    office = OfficeHeldFactory(started_on="2013-04", title="Minister of Oil")
    agreement = AgreementFactory(
        party_a=country("CN"), party_b=country("VE"), signed_on="2024-11-07", expires_on="2030"
    )
    agreement.sectors.add(sector("oil"), sector("finance"))
    Signatory.objects.create(agreement=agreement, official=office.official, country=country("VE"))


@pytest.fixture
def curator(db):
    return CuratorFactory(username="restoring-curator")


@pytest.fixture
def varied(records, curator):
    """Drafts, reviewed and published records, with history, and a timestamp whose fraction
    of a second is under a millisecond (the kind the old dumps lost)."""
    drafts = [AgreementFactory(party_a=country("CU"), signed_on="2019") for _ in range(3)]
    set_review_state(Agreement.objects.filter(pk=drafts[0].pk), ReviewState.PUBLISHED, user=None)
    set_review_state(Agreement.objects.filter(pk=drafts[1].pk), ReviewState.REVIEWED, user=curator)
    PlaceFactory(review_state=ReviewState.PUBLISHED)
    office = OfficeHeld.objects.first()
    office.title = "Minister of Petroleum"
    office.save()
    Agreement.objects.filter(pk=drafts[2].pk).update(
        updated_at=drafts[2].updated_at.replace(microsecond=123)
    )


def test_natural_key_export_round_trips_into_an_empty_database(records, tmp_path):
    before = _dump("export_records")
    path = tmp_path / "records.json"
    path.write_text(before, encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)
    assert not Country.objects.exists()

    call_command("loaddata", str(path), verbosity=0)

    assert Country.objects.count() == 249
    assert Agreement.objects.count() == 5
    assert _dump("export_records") == before


def _restore_from_dump(tmp_path):
    path = tmp_path / "full.json"
    path.write_text(_dump(*FULL_DUMP, natural_foreign=True), encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)


def test_a_full_dump_keeps_the_history(records, tmp_path):
    agreement = Agreement.objects.get(party_a=country("CN"))
    agreement.summary = "Changed once."
    agreement.save()
    before = _dump(*FULL_DUMP, natural_foreign=True)

    _restore_from_dump(tmp_path)

    assert _dump(*FULL_DUMP, natural_foreign=True) == before
    reloaded = Agreement.objects.get(party_a=country("CN"))
    assert [h.summary for h in reloaded.history.order_by("history_date")] == ["", "Changed once."]


def test_a_timestamp_under_a_millisecond_survives_a_dump(records, tmp_path):
    """The cause of the old flakiness: Django's JSON cut timestamps to milliseconds, and one in
    a thousand (fewer than 1000 µs) dumped as ".000Z", loaded as ":00" and dumped again
    without a fraction, so the second dump differed."""
    agreement = Agreement.objects.get(party_a=country("CN"))
    stamp = agreement.updated_at.replace(microsecond=999)
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=stamp)
    before = _dump(*FULL_DUMP, natural_foreign=True)

    _restore_from_dump(tmp_path)

    assert Agreement.objects.get(pk=agreement.pk).updated_at == stamp
    assert _dump(*FULL_DUMP, natural_foreign=True) == before


def _api_lists(client):
    """Every page of every list of the API, as bytes, by URL."""
    pages = {}
    for url in client.get("/api/v1/").json().values():
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:200])
            pages[url] = response.content
            url = response.json().get("next")
    return pages


def _readers():
    curator = APIClient()
    curator.force_authenticate(get_user_model().objects.get(username="restoring-curator"))
    return {"curator": _api_lists(curator), "anonymous": _api_lists(APIClient())}


def test_every_api_list_answers_the_same_bytes_after_dumpdata_and_loaddata(varied, tmp_path):
    before = _readers()
    assert len(before["curator"]) >= 14  # countries alone take five pages
    assert before["curator"] != before["anonymous"]  # the drafts are in the backup too

    _restore_from_dump(tmp_path)

    assert _readers() == before


def _postgres(*command, database=None):
    settings = connection.settings_dict
    arguments = [*command, "-h", settings["HOST"] or "localhost", "-U", settings["USER"]]
    if settings["PORT"]:
        arguments += ["-p", str(settings["PORT"])]
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    if database:
        arguments.append(database)
    subprocess.run(arguments, check=True, env=environment, capture_output=True, timeout=300)


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    _postgres("createdb", database=name)
    yield name
    _postgres("dropdb", "--if-exists", database=name)


_READ_IN_ANOTHER_PROCESS = """
import json, django
django.setup()
from tests.test_round_trip import _readers
print(json.dumps({who: {url: body.decode("latin-1") for url, body in pages.items()}
                  for who, pages in _readers().items()}))
"""


def _readers_of(database):
    """``_readers()`` in a process of its own reading ``database``: switching this process's
    pooled connection to another database proved unreliable in a long run."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{database}"
    )
    environment = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",  # the test client's host
    }
    read = subprocess.run(
        [sys.executable, "-c", _READ_IN_ANOTHER_PROCESS],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert read.returncode == 0, read.stderr[-2000:]
    return json.loads(read.stdout)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
def test_every_api_list_answers_the_same_bytes_after_pg_dump_and_pg_restore(
    varied, tmp_path, fresh_database
):
    before = {
        who: {url: body.decode("latin-1") for url, body in pages.items()}
        for who, pages in _readers().items()
    }
    archive = tmp_path / "backup.dump"
    _postgres("pg_dump", "-Fc", "-f", str(archive), database=connection.settings_dict["NAME"])

    _postgres("pg_restore", "--no-owner", "-d", fresh_database, str(archive))

    restored = _readers_of(fresh_database)
    assert len(restored["curator"]) >= 14
    assert restored == before
