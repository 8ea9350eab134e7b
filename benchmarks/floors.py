"""The raw floors: what plain sqlite3 does with the same rows, with nothing of banso on top."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

#: The same table eventsourcing's SQLite application recorder creates.
EVENTS_DDL = (
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT,"
    " state BLOB, PRIMARY KEY (originator_id, originator_version))"
)


def raw_rows(store: Path) -> list[tuple[str, int, str, bytes]]:
    """Every event row of a SQLite store, in log order (loaded before the clock starts)."""
    with sqlite3.connect(store) as conn:
        return conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events"
            " ORDER BY rowid"
        ).fetchall()


def insert_floor(rows: list[tuple[str, int, str, bytes]], target: Path) -> float:
    """Seconds for raw sqlite3 to insert ``rows`` into an identical table, one transaction."""
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(EVENTS_DDL)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def read_floor(store: Path) -> tuple[float, int]:
    """Seconds for raw sqlite3 to read every event row of ``store``, and the row count."""
    conn = sqlite3.connect(store)
    started = time.perf_counter()
    count = 0
    for _ in conn.execute(
        "SELECT rowid, originator_id, originator_version, topic, state"
        " FROM stored_events ORDER BY rowid"
    ):
        count += 1
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, count
