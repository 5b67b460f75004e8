"""Loading fixtures into a database that does not have them yet, and the errors of bad ones."""

import json

import pytest
from django.core.management import CommandError, call_command

from agreements.fixtures_loader import FixtureError, load_missing
from agreements.models import Agreement, Citation, Source
from tests.conftest import SEED_FIXTURE

pytestmark = pytest.mark.django_db


def test_the_seed_fixture_loads_into_an_empty_database_with_loaddata():
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert (Agreement.objects.count(), Citation.objects.count()) == (4, 22)


def test_a_partly_loaded_fixture_gets_only_its_missing_records(tmp_path):
    records = json.loads(SEED_FIXTURE.read_text("utf-8"))
    places = [r for r in records if r["model"] in ("agreements.place", "agreements.placename")]
    first_part = tmp_path / "part.json"
    first_part.write_text(json.dumps(places), encoding="utf-8")
    load_missing(first_part)
    result = load_missing(SEED_FIXTURE)
    assert result.created == len(records) - 4 and result.skipped == 4


def _broken(tmp_path, mutate):
    records = json.loads(SEED_FIXTURE.read_text("utf-8"))
    mutate(records)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_record_that_refers_to_nothing_is_named_and_nothing_is_written(tmp_path):
    def drop_event(records):
        records[:] = [r for r in records if r["model"] != "agreements.signingevent"]

    with pytest.raises(FixtureError, match=r"broken.json, record \d+ \(agreements.CountClaim\)"):
        load_missing(_broken(tmp_path, drop_event))
    assert not Source.objects.exists()


def test_a_citation_that_misquotes_its_source_is_named(tmp_path):
    def misquote(records):
        citation = next(r for r in records if r["model"] == "agreements.citation")
        citation["fields"]["passage"] = "not in the article"

    with pytest.raises(FixtureError, match=r"agreements.Citation.*does not match the source"):
        load_missing(_broken(tmp_path, misquote))
    assert not Agreement.objects.exists()


def test_a_file_that_is_not_json_is_a_clear_command_error(tmp_path, settings):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.json"):
        call_command("load_seed_fixtures", directory=tmp_path, verbosity=0)
