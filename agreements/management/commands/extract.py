"""Show what the article reader finds in one article."""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.extraction.reading import UnreadableArticle, read_article_file
from agreements.ingestion import database_gazetteer, extract_article


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--published-on {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Read ARTICLE (UTF-8, UTF-16 with BOM, Arabic Windows-1256 or HTML) and print what it "
        "states: countries, parties, officials, counts, date, place, sectors, agreements, quotes, "
        "each with its span. --json prints the article summary used for evaluation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("article", type=Path)
        parser.add_argument("--published-on", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
        parser.add_argument(
            "--builtin", action="store_true", help="Use only the built-in gazetteer, no database."
        )

    def handle(self, *args: Any, article: Path, **options: Any) -> None:
        try:
            read = read_article_file(article)
        except UnreadableArticle as error:
            raise CommandError(f"{article}: {error}") from error
        published_on = parse_date(options["published_on"]) if options["published_on"] else None
        gazetteer = None if options["builtin"] else database_gazetteer()
        extraction = extract_article(
            read.text, published_on=published_on or read.published_on, gazetteer=gazetteer
        )
        summary = extraction.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        text = extraction.text

        def quoted(span: tuple[int, int] | None) -> str:
            return f"[{span[0]}:{span[1]}] “{text[span[0] : span[1]]}”" if span else ""

        write = self.stdout.write
        write(f"language: {summary['language']}")
        write(f"countries: {', '.join(summary['countries']) or '—'}")
        write(f"parties: {', '.join(summary['parties']) or '—'}")
        for official in extraction.officials:
            name = official.name_en or official.name_native
            title = extraction.title_of(official) or "no title"
            write(f"official: {name} ({official.country}), {title} {quoted(official.spans[0])}")
        if extraction.place:
            write(f"place: {extraction.place.name} {quoted(extraction.place.span)}")
        counts = (
            ("agreements signed", extraction.agreement_count),
            ("total", extraction.total_count),
        )
        for label, count in counts:
            if count:
                since = f" since {count.since}" if count.since else ""
                write(f"{label}: {count.qualifier} {count.value}{since} {quoted(count.span)}")
        if summary["signed_on"] or summary["weekday"]:
            day = summary["signed_on"] or "—"
            weekday = summary["weekday"] or "weekday not given"
            write(f"signed on: {day} ({weekday}) {quoted(extraction.date_span)}")
        for slug, span in sorted(extraction.sector_spans.items()):
            write(f"sector: {slug} {quoted(span)}")
        for agreement in extraction.agreements:
            sectors = ", ".join(agreement.sectors) or "no sector"
            write(f"agreement ({agreement.kind}; {sectors}): {quoted(agreement.span)}")
        for quote in extraction.quotes:
            speaker = quote.speaker and (quote.speaker.name_en or quote.speaker.name_native)
            write(f"quote by {speaker or 'unknown'}: {quoted(quote.span)}")
