"""Rebuilding the read models from nothing, set-based, when the log is an embedded SQLite file.

The projection (``projection.py``) applies events one at a time in Python: right for
catching up a few events, but a national rebuild then spends most of its time decoding
JSON and binding rows in Python. Here SQLite reads the log itself (attached read-only) and
writes every fact, its search text and its experts in a few ``INSERT … SELECT`` statements.
What only Python can do is done meanwhile by another process, on another core
(``PythonReading``): it reads the states SQL cannot read as stored (an older shape upcast,
people's details opened) and folds every searchable text (``read_in_python``), handing
each chunk of the log over before this one's SQL writes that chunk's facts, then folds the
cases' states (``fold_cases``). The SQL is generated from the same declarations as the
Python mapping (``kinds.py``); the property tests, and an example of every kind, hold both
paths to identical tables.

Corrections and withdrawals are applied once every fact is written, by the same code as
event by event (``projections.amend``); only the cases they touch are folded again.

``ReadModels`` owns the transaction, the tables and the tracking position: ``fill`` only
fills the empty tables inside the transaction it is given, so a rebuild killed half-way
leaves the previous read models as they were. The SQL reads eventsourcing's events table
as ``tracker.application.eventsourcing_compat`` describes it.
"""

from __future__ import annotations

import glob
import heapq
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby, pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic_core import to_json

from projections.amend import amended_cases, case_state
from projections.casestate import COLUMNS, fold_state, state_row
from projections.decisions import pair_every_case
from projections.facts import BASE_FIELDS, recorded_at, search_key
from projections.kinds import (
    BULK_BY_HANDLER,
    CASE_KINDS,
    ENGAGEMENT_KINDS,
    EXPERTS_FIELDS,
    FACT_KINDS,
    ITS_EXPERT_KINDS,
    OPENINGS,
    SEARCHABLE,
)
from projections.log import EventLog, StateOf, dashed
from projections.profiles import profiles
from projections.projection import Projection
from projections.schema import FACT_INDEXES, QUERY_INDEXES
from tracker.application import child
from tracker.application.eventsourcing_compat import SQLiteLog
from tracker.application.store import sealed_topics, version_end, versioned_topics
from tracker.domain.folding import fold

Progress = Callable[[int, int], None]


def _quoted(values: Iterable[str]) -> str:
    """SQL string literals, for an ``IN (...)`` list."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def _dashed_sql(column: str) -> str:
    """SQL for ``projections.log.dashed``: the canonical text of a 32-digit id."""
    parts = "||'-'||".join(
        f"substr({column}, {start}, {length})"
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    )
    return f"CASE WHEN length({column}) = 32 THEN {parts} ELSE {column} END"


def _by_kind(kind: str, arms: dict[str, str], default: str = "NULL") -> str:
    """SQL for a value that depends on the kind: each kind's expression, else ``default``."""
    whens = " ".join(f"WHEN {_quoted([k])} THEN {sql}" for k, sql in sorted(arms.items()))
    return f"CASE {kind} {whens} ELSE {default} END" if arms else default


def _recorded_at_sql(state: str) -> str:
    """SQL for ``facts.recorded_at``: UTC stamps in SQL, any other offset through Python."""
    stamp = f"{state} ->> 'timestamp'"
    return (
        f"CASE WHEN {stamp} LIKE '%Z' THEN substr({stamp}, 1, 19) || '+00:00'"
        f" ELSE recorded_at({stamp}) END"
    )


def _data_sql(state: str) -> str:
    """SQL for a fact's data: the state without the fields kept in columns of their own."""
    paths = ", ".join(f"'$.{name}'" for name in sorted(BASE_FIELDS | {"class_version"}))
    return f"json_remove({state}, {paths})"


def _events_sql(table: str, read: str) -> str:
    """The events after :first up to :last as (position, oid, version, kind, s, text), each
    state as the temporary table ``read`` has it if it has it (read in Python: upcast, or
    its people's details opened), with the search text read there too."""
    return (
        "SELECT e.rowid AS position, e.originator_id AS oid, e.originator_version AS version,"
        " substr(e.topic, instr(e.topic, ':') + 1) AS kind, COALESCE(r.state, e.state) AS s,"
        f' r.text AS text FROM log."{table}" e LEFT JOIN temp.{read} r ON r.position = e.rowid'
        " WHERE e.rowid > :first AND e.rowid <= :last"
    )


def _owners_sql(table: str) -> str:
    """Cases and municipalities by stored id: their canonical id, municipality and number,
    named by their first events (``kinds.OPENINGS``)."""
    municipality = _by_kind("kind", {k: f"s ->> '{m}'" for k, (m, _) in OPENINGS.items()})
    number = _by_kind("kind", {k: f"s ->> '{n}'" for k, (_, n) in OPENINGS.items() if n})
    return f"""
        INSERT INTO temp.owners (oid, id, municipality, number)
        SELECT oid, {_dashed_sql("oid")}, {municipality}, {number}
        FROM ({_events_sql(table, "upcast")}) WHERE kind IN ({_quoted(OPENINGS)})
    """


def _facts_sql(table: str) -> str:
    """Every event's fact. A case's or a municipality's event takes its ids from
    ``temp.owners`` (the case's municipality and number, the municipality's code), its
    search text and the states SQL cannot read from ``temp.chunk`` (``read_in_python``)."""
    return f"""
        INSERT INTO facts (position, kind, occurred_on, recorded_at, recorded_by, originator_id,
                           version, municipality, case_id, case_number, text, data)
        SELECT ev.position, ev.kind, ev.s ->> 'occurred_on', {_recorded_at_sql("ev.s")},
               ev.s ->> 'recorded_by', COALESCE(w.id, {_dashed_sql("ev.oid")}), ev.version,
               w.municipality,
               iif(ev.kind IN ({_quoted(CASE_KINDS)}), w.id, NULL), w.number,
               COALESCE(ev.text, ''), {_data_sql("ev.s")}
        FROM ({_events_sql(table, "chunk")}) AS ev LEFT JOIN temp.owners w ON w.oid = ev.oid
        WHERE ev.kind IN ({_quoted(FACT_KINDS)})
        ORDER BY ev.position
    """


def _experts_sql() -> str:
    """SQL for the experts of each fact: those its fields name (``facts.experts_named``),
    and the expert whose own event it is (``Projection.fact``)."""
    named = []
    for i in range(max(map(len, EXPERTS_FIELDS.values()))):  # each kind's i-th field
        fields = {k: f"'$.{f[i]}'" for k, f in EXPERTS_FIELDS.items() if len(f) > i}
        named.append(
            f"SELECT j.value, f.position FROM facts f, json_each(f.data, {_by_kind('f.kind', fields)}) j"
            f" WHERE f.kind IN ({_quoted(fields)}) AND j.value IS NOT NULL"
        )
    return f"""
        INSERT INTO fact_experts (expert_id, position)
        SELECT DISTINCT * FROM ({" UNION ALL ".join(named)})
        UNION
        SELECT x.expert_id, f.position FROM facts f JOIN experts x ON x.id = f.originator_id
        WHERE f.kind IN ({_quoted(ITS_EXPERT_KINDS)})
    """


#: From this many events on, what is read in Python (``PythonReading``) is read in a
#: process of its own: read in a thread of this one, Python's lock held there made this
#: one's statements wait for it, and the two took twice as long together as either alone;
#: below it, starting a process costs more than it saves.
PROCESS_EVENTS = 100_000

#: A chunk of the log as read in Python: (position, state as JSON or None, search text or
#: None) for each event whose state SQL cannot read as stored (then its state) or that has
#: a search text (then its text).
Read = list[tuple[int, str | None, str | None]]


def _blob(value: bytes) -> str:
    """SQL for a BLOB literal (the log's states are BLOBs, compared byte for byte)."""
    return f"X'{value.hex()}'"


def _older_sql(versioned: dict[str, int]) -> dict[str, str]:
    """For each topic of ``versioned``, SQL true for a state stored at an older version.
    The mapper writes the version last: a state ending so is current, and is not parsed."""
    return {
        topic: f"substr(state, -{len(end)}) != {_blob(end)}"
        f" AND COALESCE(state ->> 'class_version', 1) != {version}"
        for topic, version in versioned.items()
        for end in (version_end(version),)
    }


def _sealed_sql(sealing: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """For each topic of ``sealing``, SQL true for a state sealing people's details (the
    fields naming whose are set). One nowhere holding such a field's name is not parsed."""
    return {
        topic: " OR ".join(
            f"(instr(state, {_blob(key)}) AND state ->> '{field}' IS NOT NULL)"
            for field in person_fields
            for key in (f'"{field}"'.encode(),)
        )
        for topic, person_fields in sealing.items()
    }


def _odd_sql(versioned: dict[str, int], sealing: dict[str, tuple[str, ...]]) -> str:
    """SQL true for a state SQL cannot read as stored: older, or sealing details (a topic
    can be both); only its topic's test is evaluated."""
    older, sealed = _older_sql(versioned), _sealed_sql(sealing)
    arms = {
        topic: " OR ".join(f"({sql})" for sql in (older.get(topic), sealed.get(topic)) if sql)
        for topic in {*older, *sealed}
    }
    return _by_kind("topic", arms, default="0")


def _text_sql(kind: str, state: str) -> str:
    """SQL for ``facts.search_text``: each kind's searchable fields, joined."""
    arms = {}
    for searchable, (keys, sep) in SEARCHABLE.items():
        parts = " UNION ALL ".join(
            f"SELECT value FROM json_each({state}, '$.{key}')"
            " WHERE key IS NOT NULL OR value != ''"  # list items all count, empty fields not
            for key in keys
        )
        arms[searchable] = f"(SELECT group_concat(value, {_quoted([sep])}) FROM ({parts}))"
    return _by_kind(kind, arms)


def read_in_python(path: str, table: str, bounds: list[int], state_of: StateOf) -> Iterator[Read]:
    """For each chunk of the log (the SQLite file ``path``) between consecutive ``bounds``:
    the states SQL cannot read as stored, read (upcast from an older shape, people's details
    opened), and the search text of each searchable event folded (``facts.search_key``: by
    Python, which the facts' SQL would call once for each). SQL joins the other events'
    searchable fields; Python reads the states of the odd ones, whose fields may be sealed."""
    versioned, sealing = versioned_topics(), sealed_topics()
    odd = _odd_sql(versioned, sealing)
    kind = "substr(topic, instr(topic, ':') + 1)"
    query = (
        f"SELECT rowid, topic, iif(odd, state, NULL), iif(odd, NULL, {_text_sql('kind', 'state')})"
        f" FROM (SELECT rowid, topic, state, {kind} AS kind, {odd} AS odd"
        f' FROM "{table}" WHERE rowid > ? AND rowid <= ?'
        f" AND ({kind} IN ({_quoted(SEARCHABLE)}) OR topic IN ({_quoted({*versioned, *sealing})})))"
    )
    log = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True)
    try:
        for first, upto in pairwise(bounds):
            read: Read = []
            for position, topic, data, text in log.execute(query, (first, upto)):
                if data is None:
                    if text:
                        read.append((position, None, fold(text)))
                    continue
                state = state_of(topic, data)
                searchable = topic.rpartition(":")[2]
                key = search_key(searchable, state) if searchable in SEARCHABLE else ""
                read.append((position, to_json(state).decode(), key or None))
            yield read
    finally:
        log.close()


def fold_cases(path: str, table: str, last: int, state_of: StateOf, out: str) -> None:
    """Fold every case's state from the log (the SQLite file ``path``, up to ``last``) into
    the table ``cases`` of the file ``out``, each as its ``cases`` row.

    Reads the log in (case, version) order, one case at a time, so memory holds one case's
    events; the rows go to a file, not to memory (held as tuples, a national store's 75,000
    rows were some 200 MB, most of the rebuild's peak memory)."""
    log = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True)
    # ``out`` is made empty by the rebuild, and never made here: a reading left running by
    # a rebuild killed meanwhile finds it removed by the next one, and ends; no journal
    # either (its file would be left), since a file a folding failed to write is not read
    folded = sqlite3.connect(Path(out).as_uri() + "?mode=rw", uri=True, isolation_level=None)
    try:
        folded.execute("PRAGMA journal_mode = OFF")
        folded.execute("PRAGMA synchronous = OFF")
        folded.execute(f"CREATE TABLE cases ({', '.join(COLUMNS)})")
        folded.execute("BEGIN")
        found = log.execute(
            "SELECT originator_id, rowid, topic, state"
            f' FROM "{table}" WHERE rowid <= ?'
            f" AND substr(topic, instr(topic, ':') + 1) IN ({_quoted(CASE_KINDS)})"
            " ORDER BY originator_id, originator_version",
            (last,),
        )
        folded.executemany(
            f"INSERT INTO cases VALUES ({', '.join('?' * len(COLUMNS))})",
            _case_rows(found, state_of),
        )
        folded.execute("COMMIT")
    finally:
        folded.close()
        log.close()


def _case_rows(found: Iterable[Any], state_of: StateOf) -> Iterator[tuple[Any, ...]]:
    """Each case's ``cases`` row, from its stored events grouped by case."""
    for oid, records in groupby(found, key=lambda r: r[0]):
        case_id = dashed(oid)
        facts = sorted(  # by business date, then as recorded
            (
                (s["occurred_on"], position, topic.rpartition(":")[2], s)
                for _, position, topic, data in records
                for s in (state_of(topic, data),)
            ),
            key=itemgetter(0, 1),
        )
        state = fold_state((case_id, p, k, on, s) for on, p, k, s in facts)
        if state is not None:
            row = state_row(state)
            yield tuple(row[c] for c in COLUMNS)


def _scratch_file(conn: sqlite3.Connection, what: str) -> str:
    """A new empty file beside the read models of ``conn``, named for ``what`` it holds."""
    main = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'")
    views = main.fetchone()[0]  # "" for read models in memory: in the temporary folder
    if not views:
        handle, path = tempfile.mkstemp(prefix=f".banso.{what}-", suffix=".sqlite")
    else:
        prefix = f".{Path(views).name}.{what}-"
        # Left by a rebuild killed before it removed it (its reading may be writing it
        # still, unlinked then): no other rebuild of these read models runs meanwhile, as
        # this one holds their write lock.
        for leftover in Path(views).parent.glob(glob.escape(prefix) + "*"):
            leftover.unlink(missing_ok=True)
        handle, path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite", dir=Path(views).parent)
    os.close(handle)
    return path


def _read_here() -> None:
    """``PythonReading``'s work in its process, with its arguments pickled on stdin: each
    chunk read is appended to the file of chunks, then its number said on stdout; then the
    cases folded."""
    path, table, last, bounds, state_of, chunks, folded = pickle.load(sys.stdin.buffer)
    with open(chunks, "r+b") as handed:  # made by the rebuild, never here (``fold_cases``)
        for number, read in enumerate(read_in_python(path, table, bounds, state_of)):
            pickle.dump(read, handed, protocol=pickle.HIGHEST_PROTOCOL)
            handed.flush()
            print(number, flush=True)
    fold_cases(path, table, last, state_of, folded)


class PythonReading:
    """What of the log the rebuild reads in Python: each chunk's states SQL cannot read
    and search texts (``read_in_python``, handed over by ``chunks``), then every case
    folded (``fold_cases``) into a scratch file beside the read models, read back by
    ``rows`` (the file is not attached: the rebuild's transaction, begun before, would
    read it as it was then, empty).

    On a large log (``PROCESS_EVENTS``) a process of its own does both while this one's
    SQL writes the facts, on another core; else they are done here when asked for. The
    process is a new interpreter given its arguments on stdin, not a fork (this one has
    connections open, and maybe threads) nor ``multiprocessing``'s spawn (which runs the
    main script of this one again, and a script calling banso need not guard it). It
    appends each chunk to a file of its own and says so on its stdout, so it never waits
    for this one to take a chunk before it goes on."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        sqlite_log: SQLiteLog,
        last: int,
        bounds: list[int],
        log: EventLog,
    ) -> None:
        self.path, self.table, self.last, self.bounds = (
            sqlite_log.path,
            sqlite_log.table,
            last,
            bounds,
        )
        self.state_of = log.detached_state_of()
        self.chunks_file = _scratch_file(conn, "read")
        self.out = _scratch_file(conn, "folded")
        self.process: subprocess.Popen[bytes] | None = None
        if last < PROCESS_EVENTS:
            return  # read when asked for
        self.process = child.start(
            ["-c", f"from {__name__} import _read_here; _read_here()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a failure is raised again here (``chunks``, ``rows``)
        )
        assert self.process.stdin is not None
        with self.process.stdin as arguments:
            pickle.dump(
                (self.path, self.table, last, bounds, self.state_of, self.chunks_file, self.out),
                arguments,
            )

    def chunks(self) -> Iterator[Read]:
        """Each chunk read, in order; what reading one raises is raised here (a chunk the
        process did not hand over is read here, which raises it again)."""
        if self.process is None:
            yield from read_in_python(self.path, self.table, self.bounds, self.state_of)
            return
        assert self.process.stdout is not None
        with open(self.chunks_file, "rb") as handed:
            for number in range(len(self.bounds) - 1):
                if not self.process.stdout.readline():  # it failed: the rest read here
                    rest = self.bounds[number:]
                    yield from read_in_python(self.path, self.table, rest, self.state_of)
                    return
                yield pickle.load(handed)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every case's row, in the order of their last events, once all are folded; an
        error of the folding is raised here."""
        arguments = (self.path, self.table, self.last, self.state_of, self.out)
        if self.process is None:
            fold_cases(*arguments)
        else:
            failed = self.process.wait() != 0
            self.process = None
            if failed:  # again here: what it raises (a state that cannot be read) is this one's
                Path(self.out).write_bytes(b"")  # as the rebuild made it: empty
                fold_cases(*arguments)
        folded = sqlite3.connect(Path(self.out).as_uri() + "?mode=ro", uri=True)
        try:
            yield from folded.execute("SELECT * FROM cases ORDER BY last_position")
        finally:
            folded.close()

    def close(self) -> None:
        """Stop a process the rebuild no longer waits for, and remove its files."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        Path(self.chunks_file).unlink(missing_ok=True)
        Path(self.out).unlink(missing_ok=True)


@contextmanager
def attached(conn: sqlite3.Connection, sqlite_log: SQLiteLog) -> Iterator[None]:
    """The log attached to ``conn`` read-only as ``log``, and the rebuild's page cache, for
    ``fill`` (around the transaction: SQLite attaches no database inside one)."""
    conn.create_function("recorded_at", 1, recorded_at, deterministic=True)
    conn.execute("ATTACH DATABASE ? AS log", (Path(sqlite_log.path).as_uri() + "?mode=ro",))
    try:
        with index_building(conn):
            yield
    finally:
        conn.execute("DETACH DATABASE log")


@contextmanager
def index_building(conn: sqlite3.Connection) -> Iterator[None]:
    """The read models' page cache at ``CACHE_KIB`` meanwhile: an index build sorts within
    as much memory again, so the usual larger cache would hold twice its size at once (a
    national rebuild event by event built its last indexes at 275 MB so, 250 allowed)."""
    cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    conn.execute(f"PRAGMA main.cache_size = -{CACHE_KIB}")  # lowered, it frees pages too
    try:
        yield
    finally:
        conn.execute(f"PRAGMA main.cache_size = {cache}")


#: Events per ``INSERT … SELECT`` of facts: the progress bar moves between them.
CHUNK = 50_000
#: The read models' page cache while building indexes (KiB, ``index_building``).
CACHE_KIB = 16_384
#: The search index's memory for the terms of a bulk insert (bytes: ``_fill_facts``), and
#: FTS5's own for any other.
FTS_HASH, FTS_HASH_DEFAULT = 16 << 20, 1 << 20


def fill(
    conn: sqlite3.Connection, log: EventLog, sqlite_log: SQLiteLog, progress: Progress | None
) -> int:
    """Fill the empty read-model tables from the whole log attached (``attached``), inside
    the caller's transaction; returns the position of the last event read. The tables come
    without their indexes: they are built here once the facts are in."""
    table = sqlite_log.table
    last = int(conn.execute(f'SELECT COALESCE(MAX(rowid), 0) FROM log."{table}"').fetchone()[0])

    def done(share: float) -> None:
        if progress is not None:
            progress(round(last * share), last)

    bounds = _chunk_bounds(conn, table, last)
    reading = PythonReading(conn, sqlite_log, last, bounds, log)  # while SQL writes the facts
    try:
        _upcast_openings(conn, log, table, last)
        _apply_by_handler(conn, log, table, last)
        _fill_facts(conn, table, last, bounds, reading.chunks(), done)
        # corrections and withdrawals, few: applied to the facts they name, as catching up
        # applies them; the cases they touch are folded again from the amended facts
        amended = [state_row(case_state(conn, case_id)) for case_id in amended_cases(conn)]
        pair_every_case(conn)  # the decisions' pairs, from the facts as amended
        _municipality_figures(conn)
        _insert_cases(conn, reading.rows(), amended)
        for statement in _indexes(cases=True):  # once their rows are in
            conn.execute(statement)
    finally:
        reading.close()
    conn.execute("DROP TABLE temp.upcast")
    done(1.0)
    return last


def _fill_facts(
    conn: sqlite3.Connection,
    table: str,
    last: int,
    bounds: list[int],
    chunks: Iterator[Read],
    done: Callable[[float], None],
) -> None:
    """Every fact, its indexes, its search text and its experts, chunk by chunk (``bounds``),
    each with what of it was read in Python (``chunks``)."""
    conn.execute(
        "CREATE TEMP TABLE owners (oid TEXT PRIMARY KEY, id TEXT, municipality TEXT, number TEXT)"
        " WITHOUT ROWID"
    )
    conn.execute(_owners_sql(table), {"first": 0, "last": last})
    done(0.05)
    conn.execute("CREATE TEMP TABLE chunk (position INTEGER PRIMARY KEY, state TEXT, text TEXT)")
    facts = _facts_sql(table)
    for (first, upto), read in zip(pairwise(bounds), chunks, strict=True):
        conn.execute("DELETE FROM temp.chunk")
        conn.executemany("INSERT INTO temp.chunk VALUES (?, ?, ?)", read)
        conn.execute(facts, {"first": first, "last": upto})
        done(0.05 + 0.45 * upto / last)
    conn.execute("DROP TABLE temp.chunk")
    for statement in _indexes(cases=False):
        conn.execute(statement)
    done(0.7)
    # The terms of this many bytes of text are held before they are written as a segment
    # of the index, then FTS5's default again for the few rows of a command (a national
    # search index, with its one segment: 12.5-13 s with the default, 10.8-12 s so).
    conn.execute(f"INSERT INTO facts_fts (facts_fts, rank) VALUES ('hashsize', {FTS_HASH})")
    conn.execute(
        "INSERT INTO facts_fts (rowid, text) SELECT position, text FROM facts WHERE text != ''"
    )
    conn.execute(f"INSERT INTO facts_fts (facts_fts, rank) VALUES ('hashsize', {FTS_HASH_DEFAULT})")
    # One segment: left as the bulk insert wrote it, the index merged large segments into
    # the small ones each later command adds, which made one command in twenty slow.
    conn.execute("INSERT INTO facts_fts (facts_fts) VALUES ('optimize')")
    conn.execute(_experts_sql())
    done(0.9)
    conn.execute("DROP TABLE temp.owners")


def _insert_cases(
    conn: sqlite3.Connection, folded: Iterator[tuple[Any, ...]], amended: list[dict[str, Any]]
) -> None:
    """The folded cases (``folded``) and those folded again (``amended``, rows that replace
    theirs), in the order of their last events, as catching up leaves them: the cases
    still moving (the open ones, mostly) share pages, which the stall and case lists read."""
    again = sorted((tuple(row[c] for c in COLUMNS) for row in amended), key=_LAST_POSITION)
    ids = {row[_ID] for row in again}
    conn.executemany(
        f"INSERT INTO cases ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        heapq.merge((row for row in folded if row[_ID] not in ids), again, key=_LAST_POSITION),
    )


def _indexes(*, cases: bool) -> Iterator[str]:
    """The statements making the indexes of the cases' table (``cases``), or the others."""
    for statement in (FACT_INDEXES + QUERY_INDEXES).split(";"):
        if statement.strip() and (" ON cases " in statement) == cases:
            yield statement


_ID = COLUMNS.index("id")
_LAST_POSITION = itemgetter(COLUMNS.index("last_position"))


def _chunk_bounds(conn: sqlite3.Connection, table: str, last: int) -> list[int]:
    """Positions that cut the log into chunks of ``CHUNK`` events: taken from the rowids
    themselves, since ids need not be dense (a row moved to a huge id must not make a
    range over every number up to it)."""
    cuts = conn.execute(
        f'SELECT rowid FROM (SELECT rowid, row_number() OVER (ORDER BY rowid) AS n FROM log."{table}"'
        " WHERE rowid > 0) WHERE n % ? = 0 AND rowid < ?",
        (CHUNK, last),
    )
    return [0, *(int(r[0]) for r in cuts), last] if last > 0 else [0]


def _upcast_openings(conn: sqlite3.Connection, log: EventLog, table: str, last: int) -> None:
    """The openings of cases and municipalities stored in an older shape, upcast in Python
    into ``temp.upcast``, which ``temp.owners`` reads before any fact is written (those
    sealing people's details need no opening: no field naming an owner is a person's)."""
    conn.execute(
        "CREATE TEMP TABLE upcast (position INTEGER PRIMARY KEY, state TEXT NOT NULL, text TEXT)"
    )
    older = {t: v for t, v in versioned_topics().items() if t.rpartition(":")[2] in OPENINGS}
    if not older:
        return
    found = conn.execute(
        f'SELECT rowid, topic, state FROM log."{table}" WHERE rowid <= ? AND {_odd_sql(older, {})}',
        (last,),
    )
    conn.executemany(
        "INSERT INTO temp.upcast (position, state) VALUES (?, ?)",
        ((p, to_json(log.state_of(t, data)).decode()) for p, t, data in found),
    )


def _apply_by_handler(conn: sqlite3.Connection, log: EventLog, table: str, last: int) -> None:
    """The kinds applied through the projection's own handlers: municipalities, contacts
    and experts, small tables kept in log order."""
    projection = Projection(conn, record_facts=False)
    found = conn.execute(
        f'SELECT rowid, originator_id, originator_version, topic, state FROM log."{table}"'
        f" WHERE rowid <= ? AND substr(topic, instr(topic, ':') + 1) IN ({_quoted(BULK_BY_HANDLER)})"
        " ORDER BY rowid",
        (last,),
    ).fetchall()
    for position, oid, version, topic, data in found:
        state = log.state_of(topic, data)
        state["originator_version"] = version
        projection.apply(topic.rpartition(":")[2], dashed(oid), state, position)


def _municipality_figures(conn: sqlite3.Connection) -> None:
    """Each municipality's latest figures and last engagement, from its facts."""
    conn.executemany(
        "UPDATE municipalities SET population = ?, it_staff = ? WHERE code = ?",
        [(f["population"], f["it_staff"], code) for code, f in profiles(conn).items()],
    )
    conn.execute(
        "UPDATE municipalities SET last_engagement_on = engaged.last"
        " FROM (SELECT municipality, MAX(occurred_on) AS last FROM facts"
        f"       WHERE kind IN ({_quoted(ENGAGEMENT_KINDS)}) GROUP BY municipality) AS engaged"
        " WHERE engaged.municipality = municipalities.code"
    )
