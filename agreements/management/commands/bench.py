"""Benchmark the API against its floor on a synthetic data set of N agreements."""

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.bench import dataset, mix, runner
from agreements.bench import http as http_bench
from agreements.bench.scaling import MixWorker, WorkerError, database_identity


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
        parser.add_argument(
            "--baseline",
            metavar="DATABASE_URL",
            help="A database holding a smaller data set built by bench (such as 10,000 "
            "agreements): its API is timed in the same run, for p50 here ÷ p50 there.",
        )

    def handle(self, *args: Any, agreements: int, **options: Any) -> None:
        if agreements < 100:
            raise CommandError("--agreements must be at least 100.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run `manage.py migrate`.")
        with ExitStack() as stack:
            # The baseline is checked first: a wrong one should not wait for a 1M build.
            baseline = self._baseline_worker(options["baseline"], agreements, stack)
            data = self._data_set(agreements, options["reuse"])
            workers = (self._here_worker(stack), baseline) if baseline else None
            try:
                results = runner.run(mix.requests(data), options["repeat"], workers)
            except WorkerError as error:
                raise CommandError(str(error)) from error
        http = None
        if options["http"]:
            http = http_bench.run(data, seconds=options["http_seconds"], stdout=self.stdout)
        path = runner.write(
            options["out"],
            connection.vendor,
            agreements,
            results,
            http,
            baseline.agreements if baseline else None,
        )
        plot = runner.plot(options["out"], connection.vendor)
        self._table(results, baseline.agreements if baseline else None)
        if http:
            self._http_table(http)
        self.stdout.write(f"Written: {path}" + (f", {plot}" if plot else ""))

    def _data_set(self, agreements: int, reuse: bool) -> dataset.DataSet:
        try:
            if reuse and dataset.existing_size() == agreements:
                self.stdout.write(f"Reusing the data set of {agreements:,} agreements.")
            else:
                built = dataset.build(agreements, progress=self._progress)
                self.stderr.write("")
                self.stdout.write(f"Built {agreements:,} agreements in {built.seconds:.0f} s.")
        except dataset.BenchError as error:
            raise CommandError(str(error)) from error
        # As the scaling workers read it, so that they time the very pages timed here.
        return dataset.describe(agreements)

    def _baseline_worker(
        self, url: str | None, agreements: int, stack: ExitStack
    ) -> MixWorker | None:
        """The worker on the baseline's data set (see ``bench/scaling.py``)."""
        if not url:
            return None
        try:
            baseline = stack.enter_context(MixWorker("--baseline", url))
        except WorkerError as error:
            raise CommandError(str(error)) from error
        if baseline.database == database_identity(connection.settings_dict):
            raise CommandError("--baseline names the database measured: give another one.")
        if baseline.agreements >= agreements:
            raise CommandError(
                f"--baseline: its data set has {baseline.agreements:,} agreements; "
                f"a baseline must be smaller than the {agreements:,} measured."
            )
        return baseline

    def _here_worker(self, stack: ExitStack) -> MixWorker:
        """The worker on the measured data set, which the baseline's is compared with. It reads
        DATABASE_URL, as this process did; started otherwise (by call_command, or with the
        database chosen in code), the two may differ."""
        label = "The worker on the measured database"
        try:
            here = stack.enter_context(MixWorker(label))
        except WorkerError as error:
            raise CommandError(str(error)) from error
        if here.database != database_identity(connection.settings_dict):
            raise CommandError(
                f"{label} reads another database ({here.database[-1]}) than this run measures "
                f"({connection.settings_dict['NAME']}): run bench with DATABASE_URL naming it."
            )
        return here

    def _progress(self, table: str, rows: int) -> None:
        sys.stderr.write(f"\r  {table:<40} {rows:>10,} rows")
        sys.stderr.flush()

    def _table(self, results: list[runner.Result], baseline_agreements: int | None) -> None:
        header = (
            f"{'request':<16} {'queries':>7} {'api p50':>9} {'api p95':>9} "
            f"{'floor p50':>10} {'db ms':>8} {'ratio':>6}"
        )
        if baseline_agreements:
            header += f" {'here p50':>9} {'base p50':>9} {'÷ base':>7}"
        self.stdout.write(header + "  same page")
        for r in results:
            db = f"{r.db_ms:.2f}" if r.db_ms is not None else "—"
            line = (
                f"{r.name:<16} {r.queries:>7} {r.api_p50_ms:>9.2f} {r.api_p95_ms:>9.2f} "
                f"{r.floor_p50_ms:>10.2f} {db:>8} {r.ratio:>6.2f}"
            )
            if baseline_agreements:
                line += (
                    f" {r.scaling_here_p50_ms:>9.2f} {r.scaling_baseline_p50_ms:>9.2f}"
                    f" {r.scaling:>7.2f}"
                )
            self.stdout.write(line + ("  yes" if r.same_as_floor else "  NO"))
        if baseline_agreements:
            self.stdout.write(
                f"here, base: the API on this data set and on the {baseline_agreements:,} one, "
                "each timed by a worker process in this run; ÷ base: here ÷ base."
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
        for name in ("api", "floor"):
            turns = ", ".join(f"{mb:.0f}" for mb in http[name]["worker_rss_mb"]["after_each_turn"])
            self.stdout.write(f"{name} worker MB after each turn: {turns}")
        self.stdout.write(f"API throughput ÷ floor throughput: {http['throughput_ratio']:.2f}")
