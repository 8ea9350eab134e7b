"""Where banso reaches past eventsourcing's public API, in one place.

eventsourcing 9.5 documents recorders by their methods (``select_notifications``,
``max_notification_id``, ...), not by the tables and attributes behind them. banso relies
on more, for speed: each section here names what it relies on, and a test of its own fails
on an upgrade that changes it.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.sqlite import SQLiteApplicationRecorder

# ==== Reading the log ========================================================================
# Tested by tests/foundation/test_eventsourcing_compat_reading.py.
#
# A SQLite application recorder keeps the log in one table (``events_table_name``) of one
# file (its pool's ``db_name``), with these columns, the aggregate id as 32 hex digits, and
# the table's rowid as the notification id. The read models read it with SQL of their own:
# one query a batch instead of a Notification object an event, and, for a rebuild, the
# whole log attached to the read-model database.

#: The columns of the events table (the notification id is its rowid).
EVENT_COLUMNS = ("originator_id", "originator_version", "topic", "state")
#: The table's name when the recorder is left to name it, as banso does: a SQLite file
#: with tables but not this one is not a banso store (``store.check_store``).
EVENTS_TABLE = "stored_events"

Row = tuple[int, Any, int, str, bytes]
"""One stored event as read by ``select_rows``: (notification id, aggregate id, version
within the aggregate, topic, state)."""


class SQLiteLog(NamedTuple):
    """An embedded SQLite log: its file and the table of its events."""

    path: str
    table: str


def sqlite_log(recorder: ApplicationRecorder, mapper: Mapper) -> SQLiteLog | None:
    """Where SQL can read the log directly: an embedded SQLite file whose states are
    stored as plain JSON (not compressed, not encrypted). None for other stores."""
    if not isinstance(recorder, SQLiteApplicationRecorder):
        return None
    if mapper.cipher or mapper.compressor:
        return None
    pool = recorder.datastore.pool
    if pool.is_sqlite_memory_mode:
        return None
    return SQLiteLog(os.path.abspath(pool.db_name), recorder.events_table_name)


def select_rows(recorder: ApplicationRecorder, after: int, limit: int) -> list[Row]:
    """Up to ``limit`` stored events after notification id ``after``, in log order."""
    if not isinstance(recorder, SQLiteApplicationRecorder):
        return [
            (n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in recorder.select_notifications(
                start=after, limit=limit, inclusive_of_start=False
            )
        ]
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT rowid, originator_id, originator_version, topic, state"
            f" FROM {recorder.events_table_name}"
            " WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [tuple(row) for row in cursor.fetchall()]
