"""Officials as the public reads them, stored: a read model kept current on every write.

A page of officials embeds each one's names, offices and citations. Read live, that is three
more rows per official scattered over three tables, plus the Python that builds the dicts: at
a million agreements a name search's page of 50 spent more time there than in the search.
``OfficialRecord`` holds the JSON the public list would show (``OfficialProjection`` builds
it), one row per published official, so the public page reads one row per official it shows
and puts the stored JSON into the response as it is.

Hrefs are stored relative (``"officials/5/"``) and given the request's root when read: in
orjson's output ``"href":"`` can only be a key and the start of its value, as quotes inside
strings are escaped.

What the record shows comes from the official, its names, its offices, the citations of it
and their sources, and the countries named. ``services.py`` refreshes the officials concerned
on every save and delete of those (signals), on bulk review-state changes and after
``migrate``; an official with no record stored is built live. Curators, who see drafts,
read live.
"""

from collections.abc import Iterable

import orjson
from django.db import router

from agreements import models
from agreements.api.prepared import PreparedQuery

HREF = b'"href":"'
BATCH = 500

STORED = PreparedQuery(
    lambda ids: models.OfficialRecord.objects.filter(official_id__in_id_list=ids).values_list(
        "official_id", "record"
    )
)


def public_records(ids: list[int], using: str) -> dict[int, dict]:
    """The public records of the officials ``ids``, built live with relative hrefs."""
    from agreements.api.projections import OfficialProjection

    projection = OfficialProjection(None, sees_drafts=False, root="")
    projection.using = using
    return {record["id"]: record for record in projection.build([(pk,) for pk in ids])}


def refresh_official_records(ids: Iterable[int | None] | None, using: str | None = None) -> int:
    """Rebuild the stored records of the officials ``ids`` (all of them with None), in the
    caller's transaction; an official the public cannot see gets none. Returns how many
    records were built.

    Two writers cannot build one record from two snapshots: every write moves the data
    version first (its receiver is connected before these), and that row's lock holds a
    second writer until the first commits, so its rebuild reads the first one's changes."""
    using = using or router.db_for_write(models.Official)
    stored = models.OfficialRecord.objects.using(using)
    if ids is None:
        officials = models.Official.objects.using(using).order_by("pk")
        wanted = list(officials.values_list("pk", flat=True))
    else:
        wanted = sorted({pk for pk in ids if pk is not None})
    written = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        records = public_records(batch, using)
        stored.filter(official_id__in=[pk for pk in batch if pk not in records]).delete()
        stored.bulk_create(
            [
                models.OfficialRecord(official_id=pk, record=orjson.dumps(record).decode())
                for pk, record in records.items()
            ],
            update_conflicts=True,
            unique_fields=["official"],
            update_fields=["record"],
        )
        written += len(records)
    return written


def stored_page(ids: list[int], root: str, using: str) -> dict[int, orjson.Fragment]:
    """The stored public records of the officials ``ids``, with ``root`` given to their
    hrefs; an official with no record stored is left out."""
    absolute = HREF + orjson.dumps(root)[1:-1]
    return {
        pk: orjson.Fragment(record.encode().replace(HREF, absolute))
        for pk, record in STORED.rows(ids, using=using)
    }
