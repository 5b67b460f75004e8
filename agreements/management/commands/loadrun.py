"""``manage.py loadrun``: a bounded load run against gunicorn (agreements/loadrun.py)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements import loadrun


class Command(BaseCommand):
    help = (
        "Serve the project with gunicorn and drive it with readers and curators writing for a "
        "bounded time; fail on any error or lost write. Removes what it wrote unless --keep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument("--readers", type=int, default=6)
        parser.add_argument("--writers", type=int, default=2)
        parser.add_argument("--max-requests", type=int, default=100_000)
        parser.add_argument("--keep", action="store_true", help="Keep the agreements written.")
        parser.add_argument("--out", help="Also write the figures to this JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seconds"] <= 0 or options["readers"] < 0 or options["writers"] < 0:
            raise CommandError("--seconds must be positive, --readers and --writers not negative.")
        self.stdout.write(
            f"Load run: {options['readers']} readers, {options['writers']} writers, "
            f"{options['seconds']:.0f} s…"
        )
        figures = loadrun.run(
            options["seconds"], options["readers"], options["writers"], options["max_requests"]
        )
        written = figures.pop("written_ids")
        if not options["keep"]:
            loadrun.remove_written(written)
        self.stdout.write(
            "requests {requests} ({rps}/s), p50 {p50_ms} ms, p99 {p99_ms} ms, errors {errors}, "
            "writes acknowledged {writes_acknowledged}, lost {writes_lost}".format(**figures)
        )
        for sample in figures["error_samples"] + figures["lost_samples"]:
            self.stderr.write(f"  {sample}")
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as out:
                json.dump(figures, out, indent=2)
        if figures["errors"] or figures["writes_lost"]:
            raise CommandError(
                f"{figures['errors']} errors and {figures['writes_lost']} lost writes."
            )
