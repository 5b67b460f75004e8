"""Timing the mix in-process: the API through Django's test client, the floor directly, and
the database's own time for the API's queries (EXPLAIN ANALYZE on PostgreSQL)."""

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from agreements.bench.mix import BenchRequest

if TYPE_CHECKING:
    from agreements.bench.scaling import MixWorker


@dataclass
class Result:
    name: str
    path: str
    queries: int
    api_p50_ms: float
    api_p95_ms: float
    floor_p50_ms: float
    db_ms: float | None
    ratio: float
    scales: bool
    status: int
    same_as_floor: bool
    # With a baseline data set timed in the same run (both by worker processes): the API
    # p50 here and there, and here ÷ there.
    scaling_here_p50_ms: float | None = None
    scaling_baseline_p50_ms: float | None = None
    scaling: float | None = None


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _same_body(api: bytes, floor: bytes) -> bool:
    """Whether the floor answered with the same page: the comparison is only fair if so."""
    try:
        return json.loads(api) == json.loads(floor)
    except ValueError:
        return api == floor


def milliseconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _timings_in_turns(
    timers: list[tuple[Callable[[], float], ...]], repeat: int
) -> list[tuple[list[float], ...]]:
    """Each request's times, taken in turns: every round takes each request's timers (the API
    and its floor, or the scaling workers' two) one after the other, request after request,
    in reverse order every other round. A slow spell of the machine (this one has them, lasting
    seconds to minutes) then weighs on every request and on each of its timers alike, rather
    than on whichever ran during it."""
    timings = [tuple([] for _ in request_timers) for request_timers in timers]
    for round_number in range(repeat):
        for request_timers, request_timings in zip(timers, timings, strict=True):
            turns = list(zip(request_timers, request_timings, strict=True))
            for timer, times in turns if round_number % 2 == 0 else reversed(turns):
                times.append(timer())
    return timings


def _database_ms(queries: list[str]) -> float | None:
    if connection.vendor != "postgresql":
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Execution Time"] + plan[0].get("Planning Time", 0.0)
    return round(total, 3)


def _record(captured: list[str], execute, sql, params, many, context):
    shown = sql
    if params and context["connection"].vendor == "postgresql":
        # With the values in, to EXPLAIN it; the prepared queries bind them on the server.
        with psycopg.ClientCursor(context["connection"].connection) as inliner:
            shown = inliner.mogrify(sql, params)
    captured.append(shown)
    return execute(sql, params, many, context)


@contextmanager
def benchmark_settings() -> Iterator[None]:
    """One client sends thousands of requests: the rate limits are off, as under gunicorn."""
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        DEBUG=False,
        TRACKER_ANON_RATE=None,
        TRACKER_USER_RATE=None,
    ):
        yield


def api_call(client: Client, path: str) -> Callable[[], None]:
    """A call of ``path`` through ``client`` that fails loudly on anything but a 200."""

    def call() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])

    return call


def run(
    requests: list[BenchRequest],
    repeat: int,
    scaling_workers: "tuple[MixWorker, MixWorker] | None" = None,
) -> list[Result]:
    """Times the mix; with ``scaling_workers`` (one on this data set, one on the baseline's),
    each request's API through both of them too, in rounds of their own (``bench/scaling.py``)."""
    with benchmark_settings():
        return _run(requests, repeat, scaling_workers)


def _run(
    requests: list[BenchRequest],
    repeat: int,
    scaling_workers: "tuple[MixWorker, MixWorker] | None",
) -> list[Result]:
    client = Client()
    timers, first_responses, captures = [], [], []
    for request in requests:
        api = api_call(client, request.path)
        # Counted warm: what a process reads once in a while (a table's size) is not the
        # request's own.
        api(), request.floor()
        captured: list[str] = []
        with connection.execute_wrapper(partial(_record, captured)):
            first_responses.append(client.get(request.path))
        captures.append(captured)
        timers.append((partial(milliseconds, api), partial(milliseconds, request.floor)))
    timings = _timings_in_turns(timers, repeat)
    scaling_timings = [((), ())] * len(requests)
    if scaling_workers:
        here, baseline = scaling_workers
        pairs = [(partial(here.time, i), partial(baseline.time, i)) for i in range(len(requests))]
        scaling_timings = _timings_in_turns(pairs, repeat)
    results = []
    for request, response, captured, (api_times, floor_times), scaling_times in zip(
        requests, first_responses, captures, timings, scaling_timings, strict=True
    ):
        api_p50, floor_p50 = statistics.median(api_times), statistics.median(floor_times)
        here_p50, baseline_p50 = (
            statistics.median(times) if times else None for times in scaling_times
        )
        results.append(
            Result(
                name=request.name,
                path=request.path,
                queries=len(captured),
                api_p50_ms=round(api_p50, 3),
                api_p95_ms=round(_percentile(api_times, 0.95), 3),
                floor_p50_ms=round(floor_p50, 3),
                db_ms=_database_ms(captured),
                ratio=round(api_p50 / floor_p50, 2) if floor_p50 else 0.0,
                scales=request.scales,
                status=response.status_code,
                same_as_floor=_same_body(response.content, request.floor()),
                scaling_here_p50_ms=None if here_p50 is None else round(here_p50, 3),
                scaling_baseline_p50_ms=None if baseline_p50 is None else round(baseline_p50, 3),
                scaling=round(here_p50 / baseline_p50, 2) if baseline_p50 else None,
            )
        )
    return results


def write(
    out: Path,
    database: str,
    agreements: int,
    results: list[Result],
    http: dict | None,
    baseline_agreements: int | None = None,
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    body = {
        "database": database,
        "agreements": agreements,
        "requests": [
            {key: value for key, value in asdict(result).items() if key != "status"}
            for result in results
        ],
        "http": http,
        "baseline": None if baseline_agreements is None else {"agreements": baseline_agreements},
    }
    (out / "results.json").write_text(
        json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (out / f"results-{database}-{agreements}.json").write_text(
        json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return out / "results.json"


def plot(out: Path, database: str) -> Path | None:
    """Latency against N for each request, log scale, from every run kept in ``out``."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dev dependency
        return None
    runs = []
    for path in sorted(out.glob(f"results-{database}-*.json")):
        runs.append(json.loads(path.read_text(encoding="utf-8")))
    runs.sort(key=lambda run: run["agreements"])
    if not runs:
        return None
    figure, axis = plt.subplots(figsize=(9, 6))
    names = [request["name"] for request in runs[-1]["requests"]]
    for name in names:
        points = [
            (run["agreements"], next(r["api_p50_ms"] for r in run["requests"] if r["name"] == name))
            for run in runs
            if any(r["name"] == name for r in run["requests"])
        ]
        axis.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("agreements")
    axis.set_ylabel("API p50 (ms)")
    axis.set_title(f"Agreement Tracker API latency on {database}")
    axis.legend(fontsize="small")
    axis.grid(True, which="both", alpha=0.3)
    path = out / f"latency-{database}.png"
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)
    return path
