"""Where banso reaches past eventsourcing's public API, in one place.

eventsourcing 9.5 documents recorders by their methods (``select_notifications``,
``max_notification_id``, ...), not by the tables, attributes and insert steps behind them.
banso relies on more: on the tables, for reading the log fast (section "Reading the log"),
and on the private insert steps, to extend its hash chain in the library's own write
transaction (section "writing"). Each section names what it relies on, and a test of its
own fails on an upgrade that changes it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from tracker.application import chain
from tracker.application.audit import LogRow
from tracker.application.chain import GENESIS, Link
from tracker.application.personal import DictKeys

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder

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
#: SQLite reads a state as its bytes (``CAST``): a row altered into text that is not UTF-8
#: is then a finding of the chain and the JSON, not a decoding error that stops every read.
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
            "SELECT rowid, originator_id, originator_version, topic, CAST(state AS BLOB)"
            f" FROM {recorder.events_table_name}"
            " WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
        return [tuple(row) for row in cursor.fetchall()]


# ==== writing ================================================================================
#
# eventsourcing's recorders, extended so that every insert also extends banso's hash chain
# in the same transaction, and the events table refuses UPDATE, DELETE and replacing
# INSERTs (see ``chain``). They hook the library's private insert steps:
#
# - SQLite: ``SQLiteApplicationRecorder._insert_events(cursor, events)``, which runs inside
#   the library's write transaction and returns the new rowids;
# - PostgreSQL: ``PostgresApplicationRecorder._insert_stored_events(cursor, events)``, which
#   takes the EXCLUSIVE table lock and inserts (the lock serializes writers, so the chain's
#   head read after it is the head), and ``_lock_table``; ``insert_events`` is redone in a
#   plain transaction, as the library's own ``_insert_stored_events`` callers do, because
#   its pipeline cannot hand back the head between the lock and the insert;
# - in memory: ``POPOApplicationRecorder._update_table(events)``, under the recorder's lock;
# - backup's import writes its batches through ``import_transaction`` below: one
#   transaction, each batch chained (SQLite: ``insert_batch``; PostgreSQL: the recorder's
#   own ``_insert_stored_events``).
#
# Snapshots (another table) and the tracking table are left as the library makes them.

#: Events per batch when the chain is built over a log that had none.
ADOPT_BATCH = 10_000


class ChainedLog(Protocol):
    """What banso's recorders add: the chain, read back for export and verify."""

    def chain_head(self) -> tuple[int, bytes]:
        """The last chain position and its digest (0 and GENESIS for an empty log)."""
        ...

    def chain_links(self, after: int, limit: int) -> Sequence[Link]:
        """Up to ``limit`` chain rows after position ``after``, in order."""
        ...

    def chain_started(self) -> tuple[int, str] | None:
        """How many events were already logged when the chain began, and when it began."""
        ...

    def audit_scan(self) -> Any:
        """A context manager giving (every event row, every chain row) in one snapshot:
        the events by a full scan in notification order, ids outside 1..max included."""
        ...

    def event_at(self, notification_id: Any) -> LogRow | None:
        """One event row by its notification id (for naming an event in a finding)."""
        ...


def chained(recorder: ApplicationRecorder) -> ChainedLog:
    """``recorder`` as banso's chained recorder (every store banso opens has one)."""
    if not hasattr(recorder, "chain_head"):
        raise TypeError(f"{type(recorder).__name__} keeps no chain")
    return cast(ChainedLog, recorder)


def _hex(originator_id: UUID | str) -> str:
    """An aggregate id as the chain hashes it (SQLite stores UUIDs as 32 hex digits)."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


def _rows(stored_events: Sequence[StoredEvent]) -> list[chain.Row]:
    return [
        (_hex(s.originator_id), s.originator_version, s.topic, bytes(s.state))
        for s in stored_events
    ]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- SQLite --------------------------------------------------------------------------------


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The SQLite application recorder, append-only and chained."""

    def create_table(self) -> None:
        """The library's table, then the chain and the guards if any is missing (a store
        made before them gets them on its next open, its log chained once as found)."""
        super().create_table()
        if not self._chain_ready():
            with self._immediate() as cursor:
                for statement in chain.sqlite_schema(self.events_table_name):
                    cursor.execute(statement)
                self._adopt(cursor)

    def _chain_ready(self) -> bool:
        """Every guard in place and the chain begun: one read on every open."""
        names = chain.sqlite_objects(self.events_table_name)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT COUNT(*) FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})",
                names,
            )
            if c.fetchone()[0] != len(names):
                return False
            c.execute(f"SELECT COUNT(*) FROM {chain.started_table(self.events_table_name)}")
            return bool(c.fetchone()[0])

    @contextmanager
    def _immediate(self) -> Iterator[Any]:
        """A write transaction that holds the write lock from its start, so two processes
        opening an old store at once cannot both chain it (in-memory databases have one
        connection: the library's transaction does)."""
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:
            with self.datastore.transaction(commit=True) as c:
                yield c
            return
        db = sqlite3.connect(
            pool.db_name, uri=True, isolation_level=None, timeout=pool.lock_timeout or 5
        )
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db.cursor()
            db.execute("COMMIT")
        finally:
            db.close()  # rolls back what was not committed

    def _adopt(self, cursor: Any) -> None:
        """Begin the chain: over the events already logged (a store from before it)."""
        events = self.events_table_name
        started = chain.started_table(events)
        cursor.execute(f"SELECT COUNT(*) FROM {started}")
        if cursor.fetchone()[0]:
            return  # another process began it first
        if chain.sqlite_head(cursor, events)[0]:  # chained, and the record of it removed
            cursor.execute(f"INSERT INTO {started} VALUES (?, ?)", (chain.UNKNOWN, _now()))
            return
        connection = cursor.connection if isinstance(cursor, sqlite3.Cursor) else None
        reader = (connection or cast(SQLiteCursor, cursor).sqlite_cursor.connection).cursor()
        reader.execute(
            f"SELECT originator_id, originator_version, topic, CAST(state AS BLOB) FROM {events} ORDER BY rowid"
        )
        count = 0
        while batch := reader.fetchmany(ADOPT_BATCH):
            chain.sqlite_append(cursor, events, [tuple(row) for row in batch])
            count += len(batch)
        cursor.execute(f"INSERT INTO {started} VALUES (?, ?)", (count, _now()))

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        chain.sqlite_append(c, self.events_table_name, _rows(stored_events))
        return notification_ids

    def insert_batch(self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent]) -> None:
        """Insert many events at once inside the caller's transaction (an import)."""
        rows = _rows(stored_events)
        cursor.executemany(self.insert_events_statement, rows)
        chain.sqlite_append(cursor, self.events_table_name, rows)

    # ---- reading the chain back (public API of the library only) --------------------------

    def chain_head(self) -> tuple[int, bytes]:
        with self.datastore.transaction(commit=False) as c:
            return chain.sqlite_head(c, self.events_table_name)

    def chain_links(self, after: int, limit: int) -> Sequence[Link]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT * FROM {chain.chain_table(self.events_table_name)}"
                " WHERE position > ? ORDER BY position",
                (after,),
            )
            return _following(_links(c.sqlite_cursor), after, limit)

    def chain_started(self) -> tuple[int, str] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {chain.started_table(self.events_table_name)} LIMIT 1")
            found = c.fetchone()
            return (found[0], found[1]) if found else None

    @contextmanager
    def audit_scan(self) -> Iterator[tuple[Iterator[LogRow], Iterator[Link]]]:
        events = self.events_table_name
        with self.datastore.transaction(commit=False) as c:
            connection = c.sqlite_cursor.connection
            log, links = connection.cursor(), connection.cursor()
            # no WHERE: rows moved to an id below 1 or past the end are seen too
            log.execute(
                f"SELECT rowid, originator_id, originator_version, topic, CAST(state AS BLOB) FROM {events}"
                " ORDER BY rowid"
            )
            links.execute(f"SELECT * FROM {chain.chain_table(events)} ORDER BY position")
            yield _stream(log), _links(links)

    def event_at(self, notification_id: Any) -> LogRow | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, CAST(state AS BLOB)"
                f" FROM {self.events_table_name} WHERE rowid = ?",
                (notification_id,),
            )
            found = c.fetchone()
            return tuple(found) if found else None


def _stream(cursor: Any, size: int = ADOPT_BATCH) -> Iterator[Any]:
    while batch := cursor.fetchmany(size):
        yield from (tuple(row) for row in batch)


def _links(cursor: Any) -> Iterator[Link]:
    """The links of the chain blocks a cursor returns (a few blocks at a time: one can hold
    a whole import batch)."""
    for block in _stream(cursor, size=8):
        yield from chain.unpack(block)


def _following(links: Iterator[Link], after: int, limit: int) -> list[Link]:
    """Up to ``limit`` of ``links`` past position ``after``."""
    found: list[Link] = []
    for found_link in links:
        if found_link[0] > after:
            found.append(found_link)
            if len(found) == limit:
                break
    return found


# ---- in memory -----------------------------------------------------------------------------


class ChainedPOPORecorder(POPOApplicationRecorder):
    """The in-memory application recorder, chained (nothing else can change its lists)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[Link] = []
        self.started = (0, _now())

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._update_table(stored_events, **kwargs)
        self.links += chain.extend(self._head(), _rows(stored_events))
        return notification_ids

    def _head(self) -> tuple[int, bytes]:
        return (self.links[-1][0], self.links[-1][3]) if self.links else (0, GENESIS)

    def chain_head(self) -> tuple[int, bytes]:
        with self._database_lock:
            return self._head()

    def chain_links(self, after: int, limit: int) -> Sequence[Link]:
        with self._database_lock:
            return self.links[max(after, 0) : max(after, 0) + limit]

    def chain_started(self) -> tuple[int, str] | None:
        return self.started

    @contextmanager
    def audit_scan(self) -> Iterator[tuple[Iterator[LogRow], Iterator[Link]]]:
        with self._database_lock:
            stored, links = list(self._stored_events), list(self.links)
        yield (
            iter(
                [
                    (i, _hex(s.originator_id), s.originator_version, s.topic, s.state)
                    for i, s in enumerate(stored, start=1)
                ]
            ),
            iter(links),
        )

    def event_at(self, notification_id: Any) -> LogRow | None:
        with self._database_lock:
            if not isinstance(notification_id, int) or not 0 < notification_id <= len(
                self._stored_events
            ):
                return None
            s = self._stored_events[notification_id - 1]
            return (notification_id, _hex(s.originator_id), s.originator_version, s.topic, s.state)


class ChainedPOPOFactory(POPOFactory):
    """eventsourcing.popo with the chained application recorder."""

    def application_recorder(self) -> ApplicationRecorder:
        return ChainedPOPORecorder()


# ---- PostgreSQL (built on first use: importing psycopg costs ~0.2 s, SQLite desks never pay)


def __getattr__(name: str) -> Any:
    if name == "ChainedPostgresRecorder":  # APPLICATION_RECORDER_TOPIC names it
        return postgres_recorder_class()
    raise AttributeError(name)


@cache
def postgres_recorder_class() -> type[PostgresApplicationRecorder]:
    """The PostgreSQL application recorder, append-only and chained."""
    from eventsourcing.persistence import InterfaceError, OperationalError
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    from eventsourcing.utils import retry
    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Composed, Identifier

    class ChainedPostgresRecorder(PostgresApplicationRecorder):
        """Guards: a trigger refuses UPDATE, DELETE and TRUNCATE (an upsert's UPDATE too);
        banso creates no roles, so there are no grants to withhold."""

        def __init__(
            self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
        ) -> None:
            super().__init__(datastore, events_table_name=events_table_name)
            schema = Identifier(datastore.schema)
            self._events = Composed([schema, SQL("."), Identifier(events_table_name)])
            self._chain = Composed(
                [schema, SQL("."), Identifier(chain.chain_table(events_table_name))]
            )
            self._started = Composed(
                [schema, SQL("."), Identifier(chain.started_table(events_table_name))]
            )
            self._guarded = [self._events, self._chain, self._started]

        # ---- the guards and the chain's tables, on every open --------------------------

        def create_table(self) -> None:
            super().create_table()
            if not self._chain_ready():
                with self.datastore.transaction(commit=True) as curs:
                    # EXCLUSIVE: no writer, and no other process installing, meanwhile
                    curs.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(self._events))
                    self._install(curs)
                    self._adopt(curs)

        def _chain_ready(self) -> bool:
            with self.datastore.transaction(commit=False) as curs:
                curs.execute(
                    "SELECT COUNT(*) AS n FROM pg_trigger"
                    " WHERE tgname IN ('banso_append_only', 'banso_no_truncate')"
                    " AND tgenabled <> 'D'"
                    " AND tgrelid IN (to_regclass(%s), to_regclass(%s), to_regclass(%s))",
                    [q.as_string(curs) for q in self._guarded],
                )
                if curs.fetchone()["n"] != 2 * len(self._guarded):  # type: ignore[index]
                    return False
                curs.execute(SQL("SELECT COUNT(*) AS n FROM {}").format(self._started))
                return bool(curs.fetchone()["n"])  # type: ignore[index]

        def _install(self, curs: Any) -> None:
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint PRIMARY KEY,"
                    " first bigint NOT NULL, ids bytea NOT NULL, digests bytea NOT NULL)"
                ).format(self._chain)
            )
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (position bigint NOT NULL,"
                    " started_at text NOT NULL)"
                ).format(self._started)
            )
            function = Composed([Identifier(self.datastore.schema), SQL(".banso_append_only")])
            curs.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS"
                    " $$ BEGIN RAISE EXCEPTION '{} (% on %)', TG_OP, TG_TABLE_NAME"
                    " USING ERRCODE = 'insufficient_privilege'; END $$"
                ).format(function, SQL(chain.REFUSED))
            )
            for table in self._guarded:
                for name, when, each in (
                    ("banso_append_only", "UPDATE OR DELETE", "ROW"),
                    ("banso_no_truncate", "TRUNCATE", "STATEMENT"),
                ):
                    curs.execute(
                        SQL(
                            "CREATE OR REPLACE TRIGGER {} BEFORE {} ON {}"
                            " FOR EACH {} EXECUTE FUNCTION {}()"
                        ).format(Identifier(name), SQL(when), table, SQL(each), function)
                    )
                    # a trigger disabled by ALTER TABLE is there but guards nothing
                    curs.execute(
                        SQL("ALTER TABLE {} ENABLE TRIGGER {}").format(table, Identifier(name))
                    )

        def _adopt(self, curs: Any) -> None:
            """Begin the chain: over the events already logged (a store from before it)."""
            curs.execute(SQL("SELECT COUNT(*) AS n FROM {}").format(self._started))
            if curs.fetchone()["n"]:
                return
            if self._head(curs)[0]:  # chained, and the record of it removed
                curs.execute(
                    SQL("INSERT INTO {} VALUES (%s, %s)").format(self._started),
                    (chain.UNKNOWN, _now()),
                )
                return
            connection = curs.connection
            count = 0
            with connection.cursor(name="banso_adopt", row_factory=tuple_row) as reader:
                reader.execute(
                    SQL(
                        "SELECT originator_id, originator_version, topic, state FROM {}"
                        " ORDER BY notification_id"
                    ).format(self._events)
                )
                while batch := reader.fetchmany(ADOPT_BATCH):
                    rows = [(o, v, t, bytes(s)) for o, v, t, s in batch]
                    self._write(curs, self._head(curs), rows)
                    count += len(batch)
            curs.execute(
                SQL("INSERT INTO {} VALUES (%s, %s)").format(self._started), (count, _now())
            )

        # ---- writing ------------------------------------------------------------------

        @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
        def insert_events(
            self, stored_events: Sequence[StoredEvent], **kwargs: Any
        ) -> Sequence[int] | None:
            """As the library's, but in a plain transaction rather than a pipeline: the
            chain's head is read back between taking the table lock and inserting."""
            if not stored_events:
                return None
            with self.datastore.transaction(commit=True) as curs:
                self._insert_events(curs, stored_events, **kwargs)
                self._insert_stored_events(curs, stored_events, **kwargs)
                return [row["notification_id"] for row in curs.fetchall()]

        def _insert_stored_events(
            self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
        ) -> None:
            """Lock, read the head, insert (the insert's RETURNING left on ``curs``), chain."""
            self._lock_table(curs)  # writers take turns here, so the head read next is the head
            head = self._head(curs)
            super()._insert_stored_events(curs, stored_events, **kwargs)
            rows = [
                (s.originator_id, s.originator_version, s.topic, bytes(s.state))
                for s in stored_events
            ]
            self._write(curs, head, rows)

        def _head(self, curs: Any) -> tuple[int, bytes]:
            # a cursor of its own: the insert's cursor still has the new ids to hand back
            with curs.connection.cursor(row_factory=tuple_row) as c:
                c.execute(
                    SQL(
                        "SELECT position, substr(digests, length(digests) - {} + 1) FROM {}"
                        " ORDER BY position DESC LIMIT 1"
                    ).format(chain.DIGEST, self._chain)
                )
                found = c.fetchone()
                return (found[0], bytes(found[1])) if found else (0, GENESIS)

        def _write(self, curs: Any, head: tuple[int, bytes], rows: Sequence[chain.Row]) -> None:
            """Chain ``rows``, just inserted, after ``head``: one block."""
            links = chain.extend(head, [(_hex(o), v, t, s) for o, v, t, s in rows])
            with curs.connection.cursor() as c:
                c.execute(
                    SQL("INSERT INTO {} VALUES (%s, %s, %s, %s)").format(self._chain),
                    chain.pack(links),
                )

        # ---- reading the chain back ----------------------------------------------------

        def chain_head(self) -> tuple[int, bytes]:
            with self.datastore.get_connection() as conn, conn.cursor() as c:
                return self._head(c)

        def chain_links(self, after: int, limit: int) -> Sequence[Link]:
            with (
                self.datastore.get_connection() as conn,
                conn.transaction(),
                conn.cursor(name="banso_links", row_factory=tuple_row) as c,
            ):
                c.execute(
                    SQL("SELECT * FROM {} WHERE position > %s ORDER BY position").format(
                        self._chain
                    ),
                    (after,),
                )
                return _following(_links(c), after, limit)

        def chain_started(self) -> tuple[int, str] | None:
            with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as c:
                c.execute(SQL("SELECT * FROM {} LIMIT 1").format(self._started))
                found = c.fetchone()
                return (found[0], found[1]) if found else None

        @contextmanager
        def audit_scan(self) -> Iterator[tuple[Iterator[LogRow], Iterator[Link]]]:
            with self.datastore.get_connection() as conn, conn.transaction():
                # one snapshot for both scans: a write between them would look like tampering
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                log = conn.cursor(name="banso_audit_log", row_factory=tuple_row)
                links = conn.cursor(name="banso_audit_chain", row_factory=tuple_row)
                log.execute(
                    SQL(
                        "SELECT notification_id, originator_id, originator_version, topic, state"
                        " FROM {} ORDER BY notification_id"
                    ).format(self._events)
                )
                links.execute(SQL("SELECT * FROM {} ORDER BY position").format(self._chain))
                yield (
                    ((n, _hex(o), v, t, bytes(s)) for n, o, v, t, s in _stream(log)),
                    _links(links),
                )
                log.close()
                links.close()

        def event_at(self, notification_id: Any) -> LogRow | None:
            with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as c:
                c.execute(
                    SQL(
                        "SELECT notification_id, originator_id, originator_version, topic, state"
                        " FROM {} WHERE notification_id = %s"
                    ).format(self._events),
                    (notification_id,),
                )
                found = c.fetchone()
                if found is None:
                    return None
                n, o, v, t, s = found
                return (n, _hex(o), v, t, bytes(s))

    ChainedPostgresRecorder.__qualname__ = "ChainedPostgresRecorder"
    return ChainedPostgresRecorder


# ---- bulk import -----------------------------------------------------------------------------

Write = Callable[[list[StoredEvent]], int]


@contextmanager
def import_transaction(recorder: ApplicationRecorder) -> Iterator[Write]:
    """One transaction around every batch an import writes, chained like any other write."""
    if isinstance(recorder, ChainedSQLiteRecorder):
        with recorder.datastore.transaction(commit=True) as cursor:
            # this transaction writes alone: the guard's lookup of every key can wait
            restore = chain.sqlite_lift_replace_guard(cursor, recorder.events_table_name)

            def write_sqlite(batch: list[StoredEvent]) -> int:
                recorder.insert_batch(cursor, batch)
                return len(batch)

            yield write_sqlite
            cursor.execute(restore)
    elif isinstance(recorder, ChainedPOPORecorder):  # gather, then insert at once
        pending: list[StoredEvent] = []

        def write_memory(batch: list[StoredEvent]) -> int:
            pending.extend(batch)
            return len(batch)

        yield write_memory
        if pending:
            recorder.insert_events(pending)
    else:  # PostgreSQL: the recorder's own insert step, which locks the table and chains
        postgres = cast(Any, recorder)
        with postgres.datastore.transaction(commit=True) as cursor:

            def write_postgres(batch: list[StoredEvent]) -> int:
                if batch:
                    postgres._insert_stored_events(cursor, batch)
                return len(batch)

            yield write_postgres


# ==== People's keys ===========================================================================
# Tested by tests/foundation/test_contact_forget.py.
#
# The keys that seal each person's details (``tracker.application.personal``) live in a
# table of their own beside the log, in the same store, which unlike the log may be deleted
# from: through the recorder's datastore (its connection pool and transactions) for SQLite
# and PostgreSQL, in the recorder object itself for an in-memory store.

KEYS_TABLE = "banso_person_keys"


def person_keys(recorder: ApplicationRecorder) -> Any:
    """The key table of the store ``recorder`` writes (a ``personal.KeyTable``)."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _SQLiteKeys(recorder)
    if isinstance(recorder, POPOApplicationRecorder):
        return DictKeys(recorder.__dict__.setdefault("banso_person_keys", {}))
    return _PostgresKeys(recorder)


class _SQLiteKeys:
    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self.datastore = recorder.datastore

    def load(self) -> dict[str, str]:
        return {p: k for p, k in self._select(f"SELECT person, key FROM {KEYS_TABLE}")}

    def find(self, person: str) -> str | None:
        found = self._select(f"SELECT key FROM {KEYS_TABLE} WHERE person = ?", (person,))
        return str(found[0][0]) if found else None

    def _select(self, query: str, parameters: tuple[str, ...] = ()) -> list[Any]:
        """The rows of ``query`` on the key table; none while there is no table (nobody's
        details sealed yet). Any other error (a locked store) is raised: a key reported
        missing would read as erased, or be made anew over the one stored."""
        with self.datastore.transaction(commit=False) as c:
            try:
                c.execute(query, parameters)
            except sqlite3.OperationalError as e:
                if not str(e).startswith("no such table"):
                    raise
                return []
            return list(c.fetchall())

    def add(self, keys: dict[str, str]) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {KEYS_TABLE}"
                " (person TEXT PRIMARY KEY, key TEXT NOT NULL)"
            )
            c.executemany(
                f"INSERT OR IGNORE INTO {KEYS_TABLE} (person, key) VALUES (?, ?)", keys.items()
            )

    def delete(self, persons: Iterable[str], *, tombstone: bool = True) -> None:
        """Deleted with ``secure_delete`` (the freed bytes zeroed, not left in a free page),
        then the WAL checkpointed and truncated (no old frame keeps a copy)."""
        rows = [(p,) for p in persons]
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:
            with self.datastore.transaction(commit=True) as c:
                _delete_keys(c, rows, tombstone)
            return
        db = sqlite3.connect(
            pool.db_name, uri=True, isolation_level=None, timeout=pool.lock_timeout or 5
        )
        try:
            db.execute("PRAGMA secure_delete = ON")
            db.execute("BEGIN IMMEDIATE")
            _delete_keys(db, rows, tombstone)
            db.execute("COMMIT")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()


def _delete_keys(c: Any, rows: list[tuple[str]], tombstone: bool) -> None:
    c.executemany(f"DELETE FROM {KEYS_TABLE} WHERE person = ?", rows)
    if tombstone:
        c.executemany(f"INSERT INTO {KEYS_TABLE} (person, key) VALUES (?, '')", rows)


class _PostgresKeys:
    """On PostgreSQL a deleted row stays in the table's pages until VACUUM reclaims them
    (autovacuum does, soon after): the key is unreadable to SQL at once."""

    def __init__(self, recorder: Any) -> None:
        from psycopg.sql import SQL, Identifier

        self.datastore = recorder.datastore
        self.table = SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(KEYS_TABLE))
        self.sql = SQL

    def load(self) -> dict[str, str]:
        rows = self._select(self.sql("SELECT person, key FROM {}").format(self.table))
        return {row["person"]: row["key"] for row in rows}

    def find(self, person: str) -> str | None:
        query = self.sql("SELECT key FROM {} WHERE person = %s").format(self.table)
        found = self._select(query, (person,))
        return str(found[0]["key"]) if found else None

    def _select(self, query: Any, parameters: tuple[str, ...] = ()) -> list[Any]:
        """The rows of ``query`` on the key table; none while there is no table."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT to_regclass(%s) AS t", (f"{self.datastore.schema}.{KEYS_TABLE}",))
            if c.fetchone()["t"] is None:
                return []
            c.execute(query, parameters)
            return list(c.fetchall())

    def add(self, keys: dict[str, str]) -> None:
        from psycopg.errors import DuplicateTable, UniqueViolation

        try:
            self._add(keys)
        except (DuplicateTable, UniqueViolation):  # another process made the table meanwhile
            self._add(keys)

    def _add(self, keys: dict[str, str]) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self.sql(
                    "CREATE TABLE IF NOT EXISTS {} (person text PRIMARY KEY, key text NOT NULL)"
                ).format(self.table)
            )
            c.executemany(
                self.sql(
                    "INSERT INTO {} (person, key) VALUES (%s, %s) ON CONFLICT DO NOTHING"
                ).format(self.table),
                list(keys.items()),
            )

    def delete(self, persons: Iterable[str], *, tombstone: bool = True) -> None:
        persons = list(persons)
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self.sql("DELETE FROM {} WHERE person = ANY(%s)").format(self.table),
                (persons,),
            )
            if tombstone:
                c.executemany(
                    self.sql("INSERT INTO {} (person, key) VALUES (%s, '')").format(self.table),
                    [(p,) for p in persons],
                )
