"""The benchmark command, on a small data set: it runs end to end, and its floor answers
every request of the mix with the very page the API gives (else the ratios would mean nothing)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements import models
from agreements.bench import floor
from tests.factories import CitationFactory, OfficialFactory, SourceFactory

MIX = {
    "pair",
    "sector",
    "date range",
    "full text ar",
    "full text en",
    "deep page",
    "detail",
    "relation",
    "official search",
    "csv export",
}


@pytest.fixture
def results(db, tmp_path):
    call_command(
        "bench",
        "--agreements",
        "300",
        "--repeat",
        "1",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    return json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))


def test_the_benchmark_reports_every_request_of_the_mix(results):
    assert (results["database"], results["agreements"]) == (connection.vendor, 300)
    assert {request["name"] for request in results["requests"]} == MIX
    assert all(
        request["queries"] > 0 and request["api_p50_ms"] > 0 for request in results["requests"]
    )


def test_the_floor_answers_the_same_pages_as_the_api(results):
    assert [r["name"] for r in results["requests"] if not r["same_as_floor"]] == []


def test_the_data_set_stores_every_published_officials_public_record(results):
    from agreements.models import Official, OfficialRecord

    published = Official.objects.published()
    assert published.count() == 50
    assert set(OfficialRecord.objects.values_list("official", flat=True)) == set(
        published.values_list("pk", flat=True)
    )


def test_the_database_time_is_measured_on_postgresql_only(results):
    measured = [request["db_ms"] is not None for request in results["requests"]]
    assert all(measured) if connection.vendor == "postgresql" else not any(measured)


def test_the_benchmark_refuses_a_database_with_other_data(seed, tmp_path):
    with pytest.raises(CommandError, match="benchmark"):
        call_command("bench", "--agreements", "300", "--out", str(tmp_path), stdout=io.StringIO())


def test_the_benchmark_needs_at_least_a_hundred_agreements(db, tmp_path):
    with pytest.raises(CommandError, match="at least 100"):
        call_command("bench", "--agreements", "10", "--out", str(tmp_path))


def test_the_floor_reads_the_citations_of_the_officials_it_finds(db, client):
    published = models.ReviewState.PUBLISHED
    official = OfficialFactory(name="Tareck Haddad", review_state=published)
    for state in (published, models.ReviewState.DRAFT):
        CitationFactory(official=official, agreement=None, source=SourceFactory(review_state=state))
    api = client.get("/api/v1/officials/?q=Haddad").json()
    floor_page = json.loads(floor.json_response(floor.officials_body("Haddad")))
    assert len(api["results"][0]["citations"]) == 1
    assert floor_page == api


def test_every_round_times_each_request_and_its_floor_in_turn():
    from agreements.bench.runner import _timings_in_turns

    order = []
    calls = [
        (lambda name=name: order.append(f"{name} api"), lambda name=name: order.append(name))
        for name in ("pair", "detail")
    ]
    timings = _timings_in_turns(calls, repeat=2)
    assert order == ["pair api", "pair", "detail api", "detail"] * 2
    assert [(len(api), len(floor)) for api, floor in timings] == [(2, 2), (2, 2)]


def test_the_http_load_alternates_the_two_apps_turn_by_turn(monkeypatch):
    from agreements.bench import http as http_bench
    from agreements.bench.dataset import DataSet

    class Server:
        def __init__(self, app, workers, **environment):
            self.port = 8000 if app == http_bench.APPS["api"] else 9000

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def worker_pids(self):
            return []

    order = []

    def load(port, paths, seconds):
        order.append(("api" if port == 8000 else "floor", seconds))
        return http_bench.Load([10.0, 30.0], errors=0, seconds=seconds)

    monkeypatch.setattr(http_bench, "GunicornServer", Server)
    monkeypatch.setattr(http_bench, "_load", load)
    monkeypatch.setattr(http_bench, "requests", lambda data: [])
    result = http_bench.run(DataSet(100, [], ("RU", "VE"), "oil", 0.0), 10.0, io.StringIO())
    turn = 10.0 / http_bench.TURNS
    warm = [("api", http_bench.WARM_UP_SECONDS), ("floor", http_bench.WARM_UP_SECONDS)]
    assert order == warm + [("api", turn), ("floor", turn)] * http_bench.TURNS
    assert result["api"]["requests"] == 2 * http_bench.TURNS
    assert result["api"]["rps"] == 1.0  # all turns' requests over all turns' time
