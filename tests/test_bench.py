"""The benchmark command, on a small data set: it runs end to end, and its floor answers
every request of the mix with the very page the API gives (else the ratios would mean nothing)."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
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


def test_every_round_times_each_request_and_its_floor_in_turn_reversed_every_other_round():
    from agreements.bench.runner import _timings_in_turns

    order = []

    def timer(label):
        return lambda: order.append(label) or 1.0

    timers = [(timer(f"{name} api"), timer(name)) for name in ("pair", "detail")]
    timings = _timings_in_turns(timers, repeat=2)
    first_round = ["pair api", "pair", "detail api", "detail"]
    second_round = ["pair", "pair api", "detail", "detail api"]
    assert order == first_round + second_round
    assert timings == [([1.0, 1.0], [1.0, 1.0])] * 2


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
    assert len(result["api"]["worker_rss_mb"]["after_each_turn"]) == http_bench.TURNS


def _manage(database: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def bench_databases(tmp_path_factory):
    """SQLite files holding data sets of 100 and 300 agreements, built by the project's own
    commands (the scaling workers are processes of their own: they cannot read a test's
    database)."""
    folder = tmp_path_factory.mktemp("bench-databases")
    migrated = _manage(folder / "migrated.sqlite3", "migrate", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    paths = {}
    for size in (100, 300):
        paths[size] = folder / f"bench-{size}.sqlite3"
        shutil.copy(folder / "migrated.sqlite3", paths[size])
        built = _manage(
            paths[size], "bench", "--agreements", str(size), "--repeat", "1", "--out", str(folder)
        )
        assert built.returncode == 0, built.stderr
    return paths


def _bench_with_baseline(url, out, agreements=300):
    call_command(
        "bench",
        "--agreements",
        str(agreements),
        "--reuse",
        "--repeat",
        "1",
        "--out",
        str(out),
        "--baseline",
        url,
        stdout=io.StringIO(),
    )


def _bench_300_in_its_own_process(bench_databases, out, baseline_size):
    return _manage(
        bench_databases[300],
        "bench",
        "--agreements",
        "300",
        "--reuse",
        "--repeat",
        "3",
        "--out",
        str(out),
        "--baseline",
        f"sqlite:///{bench_databases[baseline_size]}",
    )


def test_a_baseline_is_timed_in_the_same_run(tmp_path, bench_databases):
    ran = _bench_300_in_its_own_process(bench_databases, tmp_path, 100)
    assert ran.returncode == 0, ran.stderr
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["baseline"] == {"agreements": 100}
    timed = {
        r["name"]
        for r in results["requests"]
        if r["scaling_here_p50_ms"] > 0 and r["scaling_baseline_p50_ms"] > 0
    }
    assert timed == MIX
    assert all(
        r["scaling"]
        == pytest.approx(r["scaling_here_p50_ms"] / r["scaling_baseline_p50_ms"], abs=0.01)
        for r in results["requests"]
    )
    assert "÷ base" in ran.stdout


def test_a_measured_database_other_than_the_one_bench_reads_is_refused(
    db, tmp_path, bench_databases, monkeypatch
):
    # The worker on the measured data set reads DATABASE_URL; here it names the 100 set while
    # this process measures the test database.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{bench_databases[100]}")
    with pytest.raises(CommandError, match="measured database reads another database"):
        _bench_with_baseline(f"sqlite:///{bench_databases[100]}", tmp_path)


def test_a_baseline_that_is_the_measured_database_is_refused(tmp_path, bench_databases):
    ran = _bench_300_in_its_own_process(bench_databases, tmp_path, 300)
    assert ran.returncode != 0
    assert "--baseline names the database measured" in ran.stderr


def test_without_a_baseline_no_scaling_is_reported(results):
    assert results["baseline"] is None
    scaling = {
        (r["scaling_here_p50_ms"], r["scaling_baseline_p50_ms"], r["scaling"])
        for r in results["requests"]
    }
    assert scaling == {(None, None, None)}


def test_a_baseline_must_be_smaller_than_the_measured_data_set(db, tmp_path, bench_databases):
    with pytest.raises(CommandError, match="300 agreements; a baseline must be smaller"):
        _bench_with_baseline(f"sqlite:///{bench_databases[300]}", tmp_path)


def test_a_baseline_file_that_is_not_there_is_refused_and_not_created(db, tmp_path):
    missing = tmp_path / "missing.sqlite3"
    with pytest.raises(CommandError, match="--baseline: no SQLite database at"):
        _bench_with_baseline(f"sqlite:///{missing}", tmp_path)
    assert not missing.exists()


def test_a_relative_baseline_path_is_read_from_the_callers_folder(
    db, tmp_path, bench_databases, monkeypatch
):
    monkeypatch.chdir(bench_databases[100].parent)
    with pytest.raises(CommandError, match="a baseline must be smaller than the 100 measured"):
        _bench_with_baseline(f"sqlite:///{bench_databases[100].name}", tmp_path, agreements=100)


def test_a_baseline_database_without_tables_is_refused(db, tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(CommandError, match="--baseline: no benchmark data set can be read"):
        _bench_with_baseline(f"sqlite:///{empty}", tmp_path)


def test_a_baseline_database_without_a_data_set_is_refused(db, tmp_path, bench_databases):
    unmarked = tmp_path / "unmarked.sqlite3"
    shutil.copy(bench_databases[100], unmarked)
    with sqlite3.connect(unmarked) as copy:
        copy.execute("UPDATE agreements_source SET title = 'Not a benchmark'")
    with pytest.raises(CommandError, match="--baseline: that database holds no benchmark"):
        _bench_with_baseline(f"sqlite:///{unmarked}", tmp_path)


def test_a_baseline_the_project_cannot_open_is_refused_with_the_reason(db, tmp_path):
    with pytest.raises(CommandError, match=r"--baseline: .*UnknownSchemeError: Scheme 'nosuch"):
        _bench_with_baseline("nosuch://nobody@127.0.0.1/nothing", tmp_path)


def test_a_worker_that_dies_during_the_run_is_reported_by_its_label(bench_databases):
    from agreements.bench.scaling import MixWorker, WorkerError

    with MixWorker("--baseline", f"sqlite:///{bench_databases[100]}") as worker:
        assert worker.time(0) > 0
        worker._process.kill()
        worker._process.wait()
        with pytest.raises(WorkerError, match="--baseline: the worker exited with -9"):
            worker.time(0)


def test_worker_memory_is_sampled_at_the_end_of_every_turn():
    from agreements.bench.http import _MemorySampler

    with _MemorySampler([os.getpid()]) as memory:
        memory.end_turn()
        memory.end_turn()
    summary = memory.summary()
    assert len(summary["after_each_turn"]) == 2
    assert all(0 < mb <= summary["peak"] for mb in summary["after_each_turn"])
