"""Write every curated record as a natural-key fixture that loads into any empty database."""

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def history_models() -> list[str]:
    return [
        model._meta.label
        for model in apps.get_app_config("agreements").get_models()
        if model.__name__.startswith("Historical")
    ]


# Read models, rebuilt from the records on loading; theirs name this database's ids.
DERIVED = ["agreements.OfficialRecord"]


class Command(BaseCommand):
    help = (
        "Dump the agreements app with natural keys (no integer ids), without the history tables "
        "and the stored public records, whose rows refer to ids of this database. For a full "
        "backup with history use `dumpdata auth.user agreements --natural-foreign` or pg_dump."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args: Any, output: str | None, indent: int | None, **options: Any) -> None:
        call_command(
            "dumpdata",
            "agreements",
            natural_foreign=True,
            natural_primary=True,
            exclude=[*history_models(), *DERIVED],
            output=output,
            indent=indent,
            stdout=self.stdout,
        )
