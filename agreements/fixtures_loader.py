"""Loading curated fixtures without overwriting what curators have changed since."""

from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.db import transaction


@dataclass
class LoadResult:
    created: int = 0
    skipped: int = 0


def load_missing(path: Path) -> LoadResult:
    """Save the records of a natural-key fixture that the database does not have yet.

    ``loaddata`` would overwrite records that exist, undoing curators' later edits; here a record
    whose natural key is already present is left alone, so loading twice changes nothing.
    """
    result = LoadResult()
    with transaction.atomic(), path.open(encoding="utf-8") as stream:
        deferred = []
        for record in serializers.deserialize("json", stream, handle_forward_references=True):
            if record.object.pk is not None:
                result.skipped += 1
                continue
            record.save()
            result.created += 1
            if record.deferred_fields:
                deferred.append(record)
        for record in deferred:
            record.save_deferred_fields()
    return result
