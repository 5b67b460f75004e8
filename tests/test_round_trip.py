"""What is dumped loads into an empty database and dumps again to the same bytes."""

import io

import pytest
from django.core.management import call_command

from agreements.models import Agreement, Country, Signatory
from tests.factories import AgreementFactory, OfficeHeldFactory, country, sector

# serialized_rollback puts back the reference data (countries, sectors) that flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


def test_a_full_dump_keeps_the_history(records, tmp_path):
    agreement = Agreement.objects.get(party_a=country("CN"))
    agreement.summary = "Changed once."
    agreement.save()
    before = _dump("dumpdata", "auth.user", "agreements", natural_foreign=True)
    path = tmp_path / "full.json"
    path.write_text(before, encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    call_command("loaddata", str(path), verbosity=0)

    assert _dump("dumpdata", "auth.user", "agreements", natural_foreign=True) == before
    reloaded = Agreement.objects.get(party_a=country("CN"))
    assert [h.summary for h in reloaded.history.order_by("history_date")] == ["", "Changed once."]
