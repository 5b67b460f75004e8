"""How fast articles are read and ingested, each against a floor measured in the same run."""

import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from agreements.extraction import Gazetteer, extract
from agreements.extraction.evaluation import read_article
from agreements.extraction.tokens import tokenize
from agreements.ingestion import database_gazetteer, ingest_article
from agreements.models import Source
from agreements.text import normalize_source_text


def _timed(function: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


class Command(BaseCommand):
    help = (
        "Report extraction throughput (articles per second, extraction only, against tokenising "
        "alone) and ingestion throughput into the configured database (against inserting the "
        "source alone). Ingestion runs in a transaction that is rolled back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--articles", type=Path, default=Path(settings.BASE_DIR) / "tests" / "articles"
        )
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args: Any, articles: Path, repeat: int, **options: Any) -> None:
        texts = [read_article(path).text for path in sorted(articles.glob("*.txt"))]
        seed = Path(settings.BASE_DIR) / "seeds" / "000_2da5b34de469e791.txt"
        seed_text = normalize_source_text(seed.read_text(encoding="utf-8"))
        if not texts:
            raise CommandError(f"No articles in {articles}.")
        gazetteer = Gazetteer.builtin()
        extract(seed_text, gazetteer)  # warm the caches

        seed_ms = [t * 1000 for t in _timed(lambda: extract(seed_text, gazetteer), repeat * 5)]
        floor_ms = [t * 1000 for t in _timed(lambda: tokenize(seed_text), repeat * 5)]
        batch = _timed(lambda: [extract(text, gazetteer) for text in texts], repeat)
        floor = _timed(lambda: [tokenize(text) for text in texts], repeat)
        per_second = len(texts) / statistics.median(batch)
        floor_per_second = len(texts) / statistics.median(floor)
        write = self.stdout.write
        write(
            f"extraction, seed article: p50 {statistics.median(seed_ms):.2f} ms, "
            f"tokenising it alone {statistics.median(floor_ms):.2f} ms "
            f"(ratio {statistics.median(seed_ms) / statistics.median(floor_ms):.1f})"
        )
        write(
            f"extraction, {len(texts)} articles: {per_second:.0f} articles/s "
            f"(tokenising alone {floor_per_second:.0f}/s)"
        )

        vendor = connection.vendor
        with transaction.atomic():
            gazetteer_db = database_gazetteer()
            started = time.perf_counter()
            for number, text in enumerate(texts):
                ingest_article(f"{text}\n\nBench copy {number}.", gazetteer=gazetteer_db)
            ingest_seconds = time.perf_counter() - started
            started = time.perf_counter()
            for number, text in enumerate(texts):
                Source.objects.create(
                    title="bench", language="en", text=f"{text}\n\nFloor {number}."
                )
            floor_seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        write(
            f"ingestion into {vendor}: {len(texts) / ingest_seconds:.1f} articles/s "
            f"({1000 * ingest_seconds / len(texts):.1f} ms each); inserting the source alone "
            f"{1000 * floor_seconds / len(texts):.1f} ms "
            f"(ratio {ingest_seconds / floor_seconds:.1f})"
        )
