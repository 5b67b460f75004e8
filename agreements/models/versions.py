"""The data version: one number that every change to the tracker's data moves forward.

A reader compares it with the version behind the copy it holds (the API's ETags carry it), so
"has anything changed?" costs one primary-key read instead of rebuilding the answer.

It lives in a table of its own that no model maps (migration 0009): ``dumpdata`` leaves it
out and ``flush`` leaves it alone, so loading an old dump can never move it backwards and
make a stale copy look current.
"""

import datetime
import time

from django.db import connections

TABLE = "agreements_data_version"


def bump_data_version(using: str = "default") -> None:
    """Move the version forward, in the caller's transaction: the new version commits (or rolls
    back) together with the change it announces."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET version = version + 1, changed_at = %s WHERE id = 1",
            [time.time()],
        )
        if cursor.rowcount == 0:
            cursor.execute(
                f"INSERT INTO {TABLE} (id, version, changed_at) VALUES (1, 1, %s)", [time.time()]
            )


def current_data_version(using: str = "default") -> tuple[int, datetime.datetime | None]:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return 0, None
    return int(row[0]), datetime.datetime.fromtimestamp(row[1], tz=datetime.UTC)
