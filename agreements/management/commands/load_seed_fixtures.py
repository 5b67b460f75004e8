"""Load the curated fixtures in fixtures/ (the seed articles' facts), adding what is missing."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.fixtures_loader import FixtureError, load_missing


class Command(BaseCommand):
    help = (
        "Load every fixtures/*.json once: a fixture whose sources are already in the database is "
        "skipped, and otherwise only missing records are created. Nothing is overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Folder of fixture files (default: fixtures/).",
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        paths = sorted(directory.glob("*.json"))
        if not paths:
            self.stdout.write(self.style.WARNING(f"No fixtures in {directory}."))
        for path in paths:
            try:
                result = load_missing(path)
            except FixtureError as error:
                raise CommandError(str(error)) from error
            if options["verbosity"] < 1:
                continue
            if result.already_loaded:
                self.stdout.write(f"{path.name}: already loaded (its source is in the database).")
            else:
                self.stdout.write(
                    f"{path.name}: {result.created} records created, "
                    f"{result.skipped} already present."
                )
