"""Turn news articles into a source and draft records, or into a fixture file."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agreements.extraction.reading import UnreadableArticle, read_article_file
from agreements.ingestion import IngestError, database_gazetteer, ingest_article, ingest_as_fixture
from agreements.management.commands.extract import parse_date

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".md", ""}


class Command(BaseCommand):
    help = (
        "Ingest article files (or every article in a folder): create the source and draft "
        "records with citations, one transaction per article. The same text twice is one "
        "source. --dry-run writes nothing; --fixture OUT.json writes a natural-key fixture "
        "instead of touching the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--url", default="", help="URL of the article (one article only).")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--published-on", help="YYYY-MM-DD (else the file's metadata line).")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--fixture", type=Path, help="Write a fixture here instead.")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        files = self._files(paths)
        if options["url"] and len(files) > 1:
            raise CommandError("--url names one article; give one file with it.")
        published_on = parse_date(options["published_on"]) if options["published_on"] else None
        gazetteer = database_gazetteer()
        rows, fixture_records, failures = [], [], 0
        for number, path in enumerate(files, start=1):
            if len(files) > 1 and options["verbosity"] >= 1:
                self.stderr.write(f"\r[{number}/{len(files)}] {path.name[:50]:<50}", ending="")
            try:
                rows.append(self._one(path, published_on, gazetteer, options, fixture_records))
            except (UnreadableArticle, IngestError, OSError) as error:
                failures += 1
                rows.append((path.name, "error", str(error)))
                if len(files) == 1:
                    raise CommandError(f"{path}: {error}") from error
                self.stderr.write(f"\n{path}: {error}")
        if len(files) > 1 and options["verbosity"] >= 1:
            self.stderr.write("")
        if options["fixture"]:
            options["fixture"].write_text(
                json.dumps(fixture_records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(
                f"Fixture written: {options['fixture']} ({len(fixture_records)} records)."
            )
        self._table(rows)
        if failures:
            raise CommandError(f"{failures} of {len(files)} articles could not be ingested.")

    def _files(self, paths: list[Path]) -> list[Path]:
        files = []
        for path in paths:
            if path.is_dir():
                files.extend(
                    sorted(
                        p
                        for p in path.iterdir()
                        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                    )
                )
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder.")
        if not files:
            raise CommandError("No article files found.")
        return files

    def _one(
        self, path: Path, published_on, gazetteer, options: dict, fixture_records: list
    ) -> tuple:
        read = read_article_file(path)
        arguments = {
            "url": options["url"],
            "publisher": options["publisher"],
            "published_on": published_on or read.published_on,
            "gazetteer": gazetteer,
        }
        if options["fixture"]:
            result, fixture = ingest_as_fixture(read.text, **arguments)
            fixture_records.extend(json.loads(fixture))
            return (path.name, "fixture", _describe(result.counts))
        with transaction.atomic():
            result = ingest_article(read.text, **arguments)
            if options["dry_run"]:
                transaction.set_rollback(True)
        if not result.created:
            return (
                path.name,
                "already ingested",
                f"source #{result.source.pk} “{result.source.title[:40]}”",
            )
        status = "would create" if options["dry_run"] else "created"
        return (path.name, status, _describe(result.counts))

    def _table(self, rows: list[tuple]) -> None:
        width = max([len(row[0]) for row in rows] + [7])
        self.stdout.write(f"{'article':<{width}}  {'result':<16}  records")
        for name, status, detail in rows:
            line = f"{name:<{width}}  {status:<16}  {detail}"
            self.stdout.write(self.style.ERROR(line) if status == "error" else line)


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in counts.items() if count) or "nothing"
