"""Score the article reader against gold summaries."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.extraction.evaluation import (
    SCALAR_FIELDS,
    SET_FIELDS,
    Report,
    compare,
    read_article,
)
from agreements.ingestion import database_gazetteer, extract_article


class Command(BaseCommand):
    help = (
        "For each NAME.txt in ARTICLES_DIR with a NAME.json gold summary in GOLD_DIR, compare the "
        "reader's summary with the gold: precision, recall and F1 per list field (countries, "
        "parties, officials, sectors), accuracy per single field, per article and overall."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("articles_dir", type=Path)
        parser.add_argument("gold_dir", type=Path)

    def handle(self, *args: Any, articles_dir: Path, gold_dir: Path, **options: Any) -> None:
        import json

        pairs = [
            (path, gold_dir / f"{path.stem}.json")
            for path in sorted(articles_dir.glob("*.txt"))
            if (gold_dir / f"{path.stem}.json").exists()
        ]
        if not pairs:
            raise CommandError(f"No article in {articles_dir} has a gold summary in {gold_dir}.")
        report = Report()
        gazetteer = database_gazetteer()
        for article_path, gold_path in pairs:
            article = read_article(article_path)
            try:
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise CommandError(f"{gold_path.name}: not JSON ({error}).") from error
            summary = extract_article(
                article.text, published_on=article.published_on, gazetteer=gazetteer
            ).summary()
            comparison = compare(summary, gold)
            report.add(article.name, comparison)
            if options["verbosity"] >= 2:
                self._article_line(article.name, comparison)
        self._table(report)

    def _article_line(self, name: str, comparison: dict) -> None:
        cells = [f"{field}={comparison[field].f1:.2f}" for field in SET_FIELDS]
        cells += [f"{field}={'ok' if comparison[field] else 'MISS'}" for field in SCALAR_FIELDS]
        self.stdout.write(f"{name}: " + " ".join(cells))

    def _table(self, report: Report) -> None:
        totals = report.totals()
        self.stdout.write(f"{len(report.articles)} articles")
        self.stdout.write(f"{'field':<16} {'precision':>9} {'recall':>7} {'F1':>6}")
        for field in SET_FIELDS:
            counts = totals[field]
            self.stdout.write(
                f"{field:<16} {counts.precision:>9.3f} {counts.recall:>7.3f} {counts.f1:>6.3f}"
            )
        self.stdout.write(f"{'field':<16} {'accuracy':>9}")
        for field in SCALAR_FIELDS:
            self.stdout.write(f"{field:<16} {totals[field]:>9.3f}")
