"""The read-model database: catching up with the event log, rebuilding, and checking.

Each batch is one ``BEGIN IMMEDIATE`` transaction that reads the tracking position, applies
the next notifications and writes the new position. Two processes catching up at once
take turns, and a process killed mid-batch leaves nothing behind: exactly once.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from projections import bulk
from projections.log import EventLog
from projections.projection import Projection
from projections.schema import (
    DDL,
    FACT_INDEXES,
    QUERY_INDEX_NAMES,
    QUERY_INDEXES,
    SCHEMA_VERSION,
    TABLES,
)
from tracker.application.private import create_private
from tracker.application.store import MEMORY

TRACKING_NAME = "banso"
BATCH_SIZE = 5_000
BULK_BATCH = 20_000

Progress = Callable[[int, int], None]
"""Called with (events done, events in all) after each batch."""


class ReadModels:
    """A local SQLite file of read models, kept in step with an event store."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path == MEMORY:
            uri = f"file:banso-views-{uuid.uuid4().hex}?mode=memory&cache=shared"
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            create_private(path)  # they hold the log's names and contacts in plain text
            uri = Path(path).resolve().as_uri()
        self.conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=60
        )
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA cache_size = -65536")  # 64 MB: rebuilds touch every index
        self.lock = threading.RLock()
        self._ensure_schema()

    def close(self) -> None:
        with self.lock:  # not under a query another thread is still running
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate write transaction: committed whole, or rolled back whole."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _ensure_schema(self) -> None:
        with self.transaction() as conn:
            version = _schema_version(conn)
            if version is not None and version != SCHEMA_VERSION:
                _drop_all(conn)
            _create(conn)
            conn.execute(
                "INSERT OR IGNORE INTO tracking (name, position, schema_version) VALUES (?, 0, ?)",
                (TRACKING_NAME, SCHEMA_VERSION),
            )

    def position(self) -> int:
        """The last notification id applied."""
        with self.lock:
            return _position(self.conn)

    def catch_up(
        self,
        log: EventLog,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Apply every event of ``log`` not yet applied; returns how many were applied."""
        if self.position() == 0:
            return self._from_nothing(log, batch_size=batch_size, progress=progress)
        return self._apply_batches(log, batch_size=batch_size or BATCH_SIZE, progress=progress)

    def rebuild(
        self,
        log: EventLog,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Drop every read model and replay the whole log."""
        return self._from_nothing(log, batch_size=batch_size, progress=progress, again=True)

    def _from_nothing(
        self,
        log: EventLog,
        *,
        batch_size: int | None,
        progress: Progress | None,
        again: bool = False,
    ) -> int:
        """Build every read model from the whole log: set-based where SQL can read the log,
        else event by event in large batches. ``again`` replaces read models already built."""
        sqlite_log = log.sqlite()
        if sqlite_log is None:
            if again:
                with self.transaction() as conn:
                    _recreate(conn)
            return self._bulk(log, batch_size=batch_size or BULK_BATCH, progress=progress)
        done = 0
        with self.lock, bulk.attached(self.conn, sqlite_log), self.transaction() as conn:
            if again or not _position(conn):  # else another process filled them meanwhile
                _recreate(conn, DDL)  # the indexes come after the rows
                done = bulk.fill(conn, log, sqlite_log, progress)
                _set_position(conn, done)
        self.conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")  # no WAL as big as it all
        return done

    def _bulk(self, log: EventLog, *, batch_size: int, progress: Progress | None) -> int:
        """Catch up from nothing: query indexes built once at the end, commits unsynced
        (a read model can always be rebuilt; killing the process still loses nothing)."""
        with self.transaction() as conn:
            for name in QUERY_INDEX_NAMES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        self.conn.execute("PRAGMA synchronous = OFF")
        try:
            done = self._apply_batches(log, batch_size=batch_size, progress=progress)
        finally:
            self.conn.execute("PRAGMA synchronous = NORMAL")
            with self.transaction() as conn:
                _create(conn, QUERY_INDEXES)
        return done

    def _apply_batches(self, log: EventLog, *, batch_size: int, progress: Progress | None) -> int:
        done = 0
        total = None
        while True:
            with self.transaction() as conn:
                events = log.read(_position(conn), batch_size)
                if not events:
                    return done
                projection = Projection(conn)
                for event in events:
                    projection.apply(event.kind, event.originator_id, event.state, event.position)
                projection.flush()
                _set_position(conn, events[-1].position)
            done += len(events)
            if progress is not None:
                if total is None:
                    total = done + max(0, log.last_position() - events[-1].position)
                progress(done, total)
            if len(events) < batch_size:
                return done


def _schema_version(conn: sqlite3.Connection) -> int | None:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tracking'"
    ).fetchone()
    if not exists:
        return None
    row = conn.execute("SELECT schema_version FROM tracking WHERE name = ?", (TRACKING_NAME,))
    found = row.fetchone()
    return None if found is None else int(found[0])


def _position(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT position FROM tracking WHERE name = ?", (TRACKING_NAME,))
    return int(row.fetchone()[0])


def _set_position(conn: sqlite3.Connection, position: int) -> None:
    conn.execute("UPDATE tracking SET position = ? WHERE name = ?", (position, TRACKING_NAME))


def _recreate(conn: sqlite3.Connection, ddl: str = DDL + FACT_INDEXES + QUERY_INDEXES) -> None:
    """Every table again, empty, at position 0."""
    _drop_all(conn)
    _create(conn, ddl)
    conn.execute(
        "INSERT INTO tracking (name, position, schema_version) VALUES (?, 0, ?)",
        (TRACKING_NAME, SCHEMA_VERSION),
    )


def _create(conn: sqlite3.Connection, ddl: str = DDL + FACT_INDEXES + QUERY_INDEXES) -> None:
    for statement in ddl.split(";"):
        if statement.strip():
            conn.execute(statement)


def _drop_all(conn: sqlite3.Connection) -> None:
    for table in reversed(TABLES):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
