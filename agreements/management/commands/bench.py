"""Benchmark the API against its floor on a synthetic data set of N agreements."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from agreements.bench import dataset, mix, runner


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
            from agreements.bench import http as http_bench

            http = http_bench.run(data, seconds=options["http_seconds"], stdout=self.stdout)
        path = runner.write(options["out"], connection.vendor, agreements, results, http)
        plot = runner.plot(options["out"], connection.vendor)
        self._table(results)
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
