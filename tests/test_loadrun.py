"""The load run's parts: its read paths answer, lost writes are found, failures fail it."""

import pytest
from django.core.management import CommandError, call_command

from agreements import loadrun
from agreements.models import Agreement
from tests.factories import AgreementFactory


@pytest.fixture
def written(db):
    agreement = AgreementFactory(title="Load run agreement", summary="Edited.")
    return agreement, {agreement.pk: ("Load run agreement", "Edited.")}


def test_every_read_path_answers_200(seed, api):
    statuses = {path: api.get(path).status_code for path in loadrun.read_paths()}

    assert set(statuses.values()) == {200}, statuses


def test_stored_writes_are_not_lost(written):
    _, acknowledged = written

    assert loadrun.lost_writes(acknowledged) == []


def test_a_missing_write_is_lost(written):
    agreement, acknowledged = written
    pk = agreement.pk
    agreement.delete()

    assert loadrun.lost_writes(acknowledged) == [
        f"agreement {pk}: acknowledged ('Load run agreement', 'Edited.'), stored None"
    ]


def test_an_overwritten_write_is_lost(written):
    agreement, acknowledged = written
    Agreement.objects.filter(pk=agreement.pk).update(summary="Someone else's.")

    assert len(loadrun.lost_writes(acknowledged)) == 1


def figures(**changes):
    return {
        "seconds": 1.0,
        "readers": 1,
        "writers": 1,
        "requests": 10,
        "rps": 10.0,
        "p50_ms": 1.0,
        "p99_ms": 2.0,
        "errors": 0,
        "error_samples": [],
        "writes_acknowledged": 1,
        "writes_lost": 0,
        "lost_samples": [],
        "written_ids": [],
    } | changes


def test_the_command_fails_on_errors(db, monkeypatch):
    monkeypatch.setattr(loadrun, "run", lambda *args: figures(errors=2, error_samples=["GET /"]))

    with pytest.raises(CommandError, match="2 errors and 0 lost writes"):
        call_command("loadrun", seconds=1)


def test_the_command_fails_on_lost_writes(db, monkeypatch):
    monkeypatch.setattr(loadrun, "run", lambda *args: figures(writes_lost=1))

    with pytest.raises(CommandError, match="0 errors and 1 lost writes"):
        call_command("loadrun", seconds=1)


def test_the_command_removes_what_it_wrote(written, monkeypatch):
    agreement, _ = written
    monkeypatch.setattr(loadrun, "run", lambda *args: figures(written_ids=[agreement.pk]))

    call_command("loadrun", seconds=1)

    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_keep_keeps_what_it_wrote(written, monkeypatch):
    agreement, _ = written
    monkeypatch.setattr(loadrun, "run", lambda *args: figures(written_ids=[agreement.pk]))

    call_command("loadrun", seconds=1, keep=True)

    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_run_without_time_is_refused(db):
    with pytest.raises(CommandError, match="--seconds must be positive"):
        call_command("loadrun", seconds=0)
