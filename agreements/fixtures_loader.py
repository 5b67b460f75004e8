"""Loading curated fixtures without overwriting or resurrecting what curators have changed."""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DatabaseError, models, transaction

from agreements import statistics
from agreements.models import Source

SOURCE = "agreements.source"


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the file and the record."""


@dataclass
class LoadResult:
    created: int = 0
    skipped: int = 0
    # Every source in the fixture is in the database: its records belong to curators now.
    already_loaded: bool = False


def _describe(index: int, record: DeserializedObject) -> str:
    return f"record {index} ({record.object._meta.label})"


def _exists(record: models.Model) -> bool:
    model = type(record)
    if record.pk is not None and model.objects.filter(pk=record.pk).exists():
        return True
    # Same record, natural key changed since (a curator renamed a place, say).
    uid = getattr(record, "uid", None)
    return uid is not None and model.objects.filter(uid=uid).exists()


def _parse(path: Path) -> list[dict]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise FixtureError(f"{path.name}: {error}") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FixtureError(f"{path.name}: a fixture is a JSON list of records.")
    return records


def load_missing(path: Path) -> LoadResult:
    """Load a natural-key fixture of one article's facts, once.

    ``loaddata`` would overwrite records that exist, undoing curators' later edits. Here a
    fixture whose sources are all in the database is left alone (its records are the curators'
    now, deletions included); otherwise only the records not yet present are created, each with
    a history entry. Everything or nothing is written.
    """
    raw = _parse(path)
    hashes = [r.get("fields", {}).get("content_hash") for r in raw if r.get("model") == SOURCE]
    if hashes and Source.objects.filter(content_hash__in=hashes).count() == len(set(hashes)):
        return LoadResult(skipped=len(raw), already_loaded=True)

    result = LoadResult()
    created = defaultdict(list)
    with transaction.atomic(), statistics.deferred():
        # Records are read one at a time, each after the ones before it are saved, because a
        # natural key may point at a record earlier in the same fixture.
        index = 0
        try:
            for index, record in enumerate(
                serializers.deserialize("python", raw, handle_forward_references=True), start=1
            ):
                if _exists(record.object):
                    result.skipped += 1
                    continue
                _save(record, index, path)
                created[type(record.object)].append(record.object)
                result.created += 1
        except DeserializationError as error:
            raise FixtureError(f"{path.name}, record {index + 1}: {error}") from error
        for model, objects in created.items():
            if hasattr(model, "history"):
                model.history.bulk_history_create(
                    objects, default_change_reason=f"Loaded from {path.name}"
                )
    return result


def _save(record: DeserializedObject, index: int, path: Path) -> None:
    if record.deferred_fields:
        missing = ", ".join(
            f"{field.name} {list(key)}" for field, key in record.deferred_fields.items()
        )
        raise FixtureError(
            f"{path.name}, {_describe(index, record)}: refers to {missing}, which is "
            "neither in the database nor earlier in the fixture."
        )
    try:
        record.save()
    except (DatabaseError, ValidationError, ObjectDoesNotExist) as error:
        raise FixtureError(f"{path.name}, {_describe(index, record)}: {error}") from error
