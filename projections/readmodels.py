"""The read-model database: catching up with the event log, rebuilding, and checking.

Each batch is one ``BEGIN IMMEDIATE`` transaction that reads the tracking position, applies
the next notifications and writes the new position. Two processes catching up at once
take turns, and a process killed mid-batch leaves nothing behind: exactly once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from projections import bulk
from projections.log import EventLog, UnreadableEvent
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
        self._uri = uri
        self.conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=60
        )
        _into_wal(self.conn)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA cache_size = -65536")  # 64 MB: rebuilds touch every index
        self.lock = threading.RLock()
        self._erased = False  # a batch caught up erased people's details: see ``erase``
        self._ensure_schema()

    def close(self) -> None:
        with self.lock:  # not under a query another thread is still running
            self.conn.close()

    def reading(self) -> sqlite3.Connection | None:
        """A connection of its own, read-only, for a thread to read on while ``conn`` (which
        ``lock`` lets one thread use at a time) answers others: SQLite reads on both at once,
        without Python's lock. The caller closes it. None if it cannot be opened: then that
        thread reads on ``conn`` too, after the others."""
        try:
            conn = sqlite3.connect(
                self._uri, uri=True, isolation_level=None, check_same_thread=False, timeout=60
            )
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error:
            return None
        return conn

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
        done = self._apply_batches(log, batch_size=batch_size or BATCH_SIZE, progress=progress)
        if self._erased:
            self.erase(log, progress=progress)
        return done

    def erase(self, log: EventLog, *, progress: Progress | None = None) -> int:
        """Rebuild every read model once people's details were erased from the log (their
        keys destroyed): the rows that held their names, in the facts, the search index,
        the contacts and the cases, are dropped with their pages zeroed (``secure_delete``)
        and the WAL truncated, so that no copy stays in the file; then built again, the
        details read as placeholders."""
        with self.lock:
            self._erased = False
            log.reload_keys()  # another process destroyed them: no key read before may serve
            self.conn.execute("PRAGMA secure_delete = ON")
            try:
                done = self.rebuild(log, progress=progress)
            finally:
                self.conn.execute("PRAGMA secure_delete = OFF")
            self.conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")
        return done

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
        try:
            with (
                self.lock,
                bulk.attached(self.conn, sqlite_log),
                self._journal_for_bulk(),
                self.transaction() as conn,
            ):
                if again or not _position(conn):  # else another process filled them meanwhile
                    _recreate(conn, DDL)  # the indexes come after the rows
                    done = bulk.fill(conn, log, sqlite_log, progress)
                    _set_position(conn, done)
        except BULK_UNAPPLIABLE:
            # a stored event SQL cannot read ("malformed JSON": a row altered by hand):
            # nothing was kept; event by event, each event that cannot be applied is set aside
            with self.transaction() as conn:
                _recreate(conn)
            return self._bulk(log, batch_size=batch_size or BULK_BATCH, progress=progress)
        self.conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")  # no WAL as big as it all
        return done

    @contextmanager
    def _journal_for_bulk(self) -> Iterator[None]:
        """A rollback journal instead of the write-ahead log while nothing else has these
        read models open: a set-based rebuild writes all of them in one transaction, which
        the write-ahead log holds whole, then copies into the file (a national store's
        gigabyte, written twice); a rollback journal holds only the pages that were there
        before, and a rebuild killed half-way is rolled back from it all the same. Opened
        by any other connection, they stay in the write-ahead log (SQLite changes the mode
        only with the file to itself), which others read on meanwhile."""
        try:
            mode = self.conn.execute("PRAGMA main.journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # "database is locked": open elsewhere
            mode = None
        try:
            yield
        finally:
            # back as every ``ReadModels`` opens them: should another one have opened
            # them meanwhile, it has put them back (or its next opening will)
            if mode == "delete":
                with suppress(sqlite3.OperationalError):
                    self.conn.execute("PRAGMA main.journal_mode = WAL")

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
            with bulk.index_building(self.conn), self.transaction() as conn:
                _create(conn, QUERY_INDEXES)
        return done

    def _apply_batches(self, log: EventLog, *, batch_size: int, progress: Progress | None) -> int:
        done = 0
        total = None
        while True:
            try:
                with self.transaction() as conn:
                    events = log.read(_position(conn), batch_size)
                    if not events:
                        return done
                    projection = Projection(conn)
                    for event in events:
                        projection.apply(
                            event.kind, event.originator_id, event.state, event.position
                        )
                    projection.flush()
                    self._erased |= projection.erased
                    _set_position(conn, events[-1].position)
                    count, last = len(events), events[-1].position
            except UNAPPLIABLE:  # rolled back: again one by one, setting aside what fails
                count, last = self._apply_each(log, batch_size)
                if not count:
                    return done
            done += count
            if progress is not None:
                if total is None:
                    total = done + max(0, log.last_position() - last)
                progress(done, total)
            if count < batch_size:
                return done

    def _apply_each(self, log: EventLog, limit: int) -> tuple[int, int]:
        """Apply up to ``limit`` events one at a time, each in a savepoint: one that cannot
        be read or applied is rolled back and set aside in ``quarantine`` with why, and the
        events after it are applied all the same (only after a batch failed: slow).
        Returns how many events were passed and the last position."""
        count = last = 0
        with self.transaction() as conn:
            while count < limit:
                position = _position(conn)
                conn.execute("SAVEPOINT one_event")
                event = None
                try:
                    events = log.read(position, 1)
                    if not events:
                        conn.execute("RELEASE one_event")
                        break
                    (event,) = events
                    projection = Projection(conn)
                    projection.apply(event.kind, event.originator_id, event.state, event.position)
                    projection.flush()
                    self._erased |= projection.erased
                    last, topic = event.position, event.kind
                except UNAPPLIABLE as e:
                    conn.execute("ROLLBACK TO one_event")
                    if isinstance(e, UnreadableEvent):
                        last, topic = e.position, e.topic
                    elif event is not None:
                        last, topic = event.position, event.kind
                    else:  # the log failed before naming an event: not one to set aside
                        raise
                    conn.execute(
                        "INSERT OR REPLACE INTO quarantine (position, topic, reason)"
                        " VALUES (?, ?, ?)",
                        (last, topic, _reason(e)),
                    )
                conn.execute("RELEASE one_event")
                _set_position(conn, last)
                count += 1
        return count, last

    def quarantined(self) -> list[tuple[int, str, str]]:
        """The stored events set aside (position, kind, why), in log order."""
        with self.lock:
            return [
                (int(p), str(t), str(r))
                for p, t, r in self.conn.execute(
                    "SELECT position, topic, reason FROM quarantine ORDER BY position"
                )
            ]


#: What a stored event the read models cannot use raises: its state unreadable, a value SQL
#: cannot hold or a constraint it breaks, a field missing or of the wrong type. Not
#: ``sqlite3.OperationalError`` in general: a locked or full disk is no event's fault.
UNAPPLIABLE: tuple[type[Exception], ...] = (
    UnreadableEvent,
    KeyError,
    TypeError,
    ValueError,
    OverflowError,
    AttributeError,
    IndexError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
    sqlite3.InterfaceError,
    sqlite3.ProgrammingError,
)

#: The same for the set-based rebuild, whose SQL says "malformed JSON" as an OperationalError
#: (the event-by-event path it falls back to re-raises one that is no event's fault).
BULK_UNAPPLIABLE: tuple[type[Exception], ...] = (*UNAPPLIABLE, sqlite3.OperationalError)


def _reason(error: Exception) -> str:
    """Why an event was set aside, in one line."""
    text = str(error).splitlines()[0] if str(error) else ""
    return text if isinstance(error, UnreadableEvent) else f"{type(error).__name__}: {text}"


#: How long opening the read models waits for another process's rebuild (seconds), as
#: its connection waits for any other lock.
OPEN_WAIT = 60


def _into_wal(conn: sqlite3.Connection) -> None:
    """The read models in WAL mode, waiting meanwhile for a rebuild that writes them through
    a rollback journal (``_journal_for_bulk``): SQLite refuses the change at once, without
    waiting, while that rebuild holds its lock, so it is asked again until it is free."""
    deadline = time.monotonic() + OPEN_WAIT
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            locked = error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
