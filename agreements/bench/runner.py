"""Timing the mix in-process: the API through Django's test client, the floor directly, and
the database's own time for the API's queries (EXPLAIN ANALYZE on PostgreSQL)."""

import json
import statistics
import time
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from agreements.bench.mix import BenchRequest


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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _same_body(api: bytes, floor: bytes) -> bool:
    """Whether the floor answered with the same page: the comparison is only fair if so."""
    try:
        return json.loads(api) == json.loads(floor)
    except ValueError:
        return api == floor


def _milliseconds(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _timings_in_turns(calls: list[tuple], repeat: int) -> list[tuple[list[float], list[float]]]:
    """Each request's API and floor times, taken in turns: every round times each request's
    API and then its floor, request after request. A slow spell of the machine (this one has
    them, lasting seconds to minutes) then weighs on every request and on API and floor alike,
    rather than on whichever ran during it."""
    timings = [([], []) for _ in calls]
    for _ in range(repeat):
        for (api, floor), (api_times, floor_times) in zip(calls, timings, strict=True):
            api_times.append(_milliseconds(api))
            floor_times.append(_milliseconds(floor))
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


def run(requests: list[BenchRequest], repeat: int) -> list[Result]:
    # One client sends thousands of requests: the rate limits are off, as under gunicorn.
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        DEBUG=False,
        TRACKER_ANON_RATE=None,
        TRACKER_USER_RATE=None,
    ):
        return _run(requests, repeat)


def _run(requests: list[BenchRequest], repeat: int) -> list[Result]:
    client = Client()
    calls, first_responses, captures = [], [], []
    for request in requests:

        def api(path: str = request.path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])

        # Counted warm: what a process reads once in a while (a table's size) is not the
        # request's own.
        api(), request.floor()
        captured: list[str] = []
        with connection.execute_wrapper(partial(_record, captured)):
            first_responses.append(client.get(request.path))
        captures.append(captured)
        calls.append((api, request.floor))
    results = []
    timings = _timings_in_turns(calls, repeat)
    for request, response, captured, (api_times, floor_times) in zip(
        requests, first_responses, captures, timings, strict=True
    ):
        api_p50, floor_p50 = statistics.median(api_times), statistics.median(floor_times)
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
            )
        )
    return results


def write(
    out: Path, database: str, agreements: int, results: list[Result], http: dict | None
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
