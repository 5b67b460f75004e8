"""Load the curated fixtures in fixtures/ (the seed articles' facts), adding what is missing."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from agreements.fixtures_loader import load_missing


class Command(BaseCommand):
    help = (
        "Load every fixtures/*.json, creating the records that are not in the database yet. "
        "Records already present (by natural key) are never overwritten."
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
            result = load_missing(path)
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"{path.name}: {result.created} records created, "
                    f"{result.skipped} already present."
                )
