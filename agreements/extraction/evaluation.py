"""Comparing article summaries with gold summaries: precision, recall and F1 on the list fields,
accuracy on the single-valued ones. Plain Python."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from agreements.text import fold

SET_FIELDS = ("countries", "parties", "officials", "sectors")
SCALAR_FIELDS = ("agreement_count", "total_count", "place", "signed_on", "weekday")
_METADATA = re.compile(r"^#\s*([\w-]+)\s*:\s*(.*?)\s*$")


@dataclass
class Article:
    name: str
    text: str
    published_on: datetime.date | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def read_article(path: Path) -> Article:
    """An article file: optional leading "# key: value" lines (metadata), then the text."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    metadata = {}
    while lines and lines[0].startswith("#"):
        match = _METADATA.match(lines.pop(0))
        if match:
            metadata[match.group(1).lower()] = match.group(2)
    published = metadata.get("published_on") or metadata.get("published")
    try:
        published_on = datetime.date.fromisoformat(published) if published else None
    except ValueError:
        published_on = None
    return Article(path.stem, "".join(lines).strip(), published_on, metadata)


def _official_names(official: dict) -> list[list[str]]:
    names = [official.get("name_native"), official.get("name_en")]
    return [fold(name).split() for name in names if name]


def same_official(first: dict, second: dict) -> bool:
    """Same person when one name's words are all in the other's (two words at least, or equal),
    native or English, accents and Arabic spelling variants ignored."""
    for one in _official_names(first):
        for other in _official_names(second):
            shorter, longer = sorted((one, other), key=len)
            if shorter == longer or (len(shorter) >= 2 and set(shorter) <= set(longer)):
                return True
    return False


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, other: "Counts") -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _set_counts(predicted: list, gold: list, same=lambda a, b: a == b) -> Counts:
    unmatched = list(predicted)
    counts = Counts()
    for expected in gold:
        match = next((found for found in unmatched if same(found, expected)), None)
        if match is None:
            counts.false_negative += 1
        else:
            unmatched.remove(match)
            counts.true_positive += 1
    counts.false_positive = len(unmatched)
    return counts


def compare(predicted: dict, gold: dict) -> dict:
    """Per field: Counts for list fields, True/False for single-valued ones."""
    result: dict = {}
    for name in SET_FIELDS:
        same = same_official if name == "officials" else (lambda a, b: a == b)
        result[name] = _set_counts(predicted.get(name) or [], gold.get(name) or [], same)
    for name in SCALAR_FIELDS:
        result[name] = predicted.get(name) == gold.get(name)
    return result


@dataclass
class Report:
    articles: list[tuple[str, dict]] = field(default_factory=list)

    def add(self, name: str, comparison: dict) -> None:
        self.articles.append((name, comparison))

    def totals(self) -> dict:
        totals: dict = {name: Counts() for name in SET_FIELDS}
        for _name, comparison in self.articles:
            for name in SET_FIELDS:
                totals[name].add(comparison[name])
        for name in SCALAR_FIELDS:
            right = sum(1 for _n, comparison in self.articles if comparison[name])
            totals[name] = right / len(self.articles) if self.articles else 1.0
        return totals
