"""Benchmark the API against its floor on a synthetic data set of N agreements."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.bench import dataset, mix, runner
from agreements.bench import http as http_bench


class Command(BaseCommand):
    help = (
        "Build a synthetic data set of N agreements on the configured database (an empty one, "
        "or one a previous run built), time a fixed mix of API requests against a hand-written "
        "floor, and write results.json and a latency plot to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agreements", type=int, default=10_000)
        parser.add_argument("--reuse", action="store_true", help="Keep a data set of this size.")
        parser.add_argument("--http", action="store_true", help="Also load-test with gunicorn.")
        parser.add_argument("--out", type=Path, default=Path("bench-results"))
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--http-seconds", type=float, default=10.0)

    def handle(self, *args: Any, agreements: int, **options: Any) -> None:
        if agreements < 100:
            raise CommandError("--agreements must be at least 100.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run `manage.py migrate`.")
        existing = dataset.existing_size()
        try:
            if options["reuse"] and existing == agreements:
                data = dataset.describe(agreements)
                self.stdout.write(f"Reusing the data set of {agreements:,} agreements.")
            else:
                data = dataset.build(agreements, progress=self._progress)
                self.stderr.write("")
                self.stdout.write(f"Built {agreements:,} agreements in {data.seconds:.0f} s.")
        except dataset.BenchError as error:
            raise CommandError(str(error)) from error
        results = runner.run(mix.requests(data), options["repeat"])
        http = None
        if options["http"]:
            http = http_bench.run(data, seconds=options["http_seconds"], stdout=self.stdout)
        path = runner.write(options["out"], connection.vendor, agreements, results, http)
        plot = runner.plot(options["out"], connection.vendor)
        self._table(results)
        if http:
            self._http_table(http)
        self.stdout.write(f"Written: {path}" + (f", {plot}" if plot else ""))

    def _progress(self, table: str, rows: int) -> None:
        sys.stderr.write(f"\r  {table:<40} {rows:>10,} rows")
        sys.stderr.flush()

    def _table(self, results: list[runner.Result]) -> None:
        header = (
            f"{'request':<16} {'queries':>7} {'api p50':>9} {'api p95':>9} "
            f"{'floor p50':>10} {'db ms':>8} {'ratio':>6}  same page"
        )
        self.stdout.write(header)
        for r in results:
            db = f"{r.db_ms:.2f}" if r.db_ms is not None else "—"
            same = "yes" if r.same_as_floor else "NO"
            self.stdout.write(
                f"{r.name:<16} {r.queries:>7} {r.api_p50_ms:>9.2f} {r.api_p95_ms:>9.2f} "
                f"{r.floor_p50_ms:>10.2f} {db:>8} {r.ratio:>6.2f}  {same}"
            )

    def _http_table(self, http: dict) -> None:
        self.stdout.write(
            f"HTTP, gunicorn {http['workers']} workers × 4 threads, {http['concurrency']} "
            f"clients, {http['seconds']:.0f} s each:"
        )
        self.stdout.write(
            f"{'app':<6} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
            f" {'worker MB start→end (peak)':>28}"
        )
        for name in ("api", "floor"):
            row, rss = http[name], http[name]["worker_rss_mb"]
            memory = f"{rss['start']:.0f}→{rss['end']:.0f} ({rss['peak']:.0f})"
            self.stdout.write(
                f"{name:<6} {row['requests']:>9} {row['errors']:>7} {row['rps']:>8.1f} "
                f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {memory:>28}"
            )
        self.stdout.write(f"API throughput ÷ floor throughput: {http['throughput_ratio']:.2f}")
