"""The hash chain over the event log: what each event's digest covers, and where it is kept.

Each event's digest is SHA-256 over the digest before it, the event's position in the log and
its stored fields exactly as stored: originator id, version, topic and state bytes (the
ciphertext, when the store is encrypted, so erasing a key changes nothing the chain covers).
The position is an ordinal (1, 2, 3, … in notification order), not the notification id:
PostgreSQL's ids have gaps where an insert rolled back, and an export restored into an empty
store must chain to the same head. Every field is encoded with its type and length, so no
edit (a text turned into a blob, a number into a string) can keep a digest.

The chain is kept in a table beside the events (``<events>_chain``), written in the same
transaction as the events: one row per write (a command's events, an import's batch), a
block holding the positions ``first``..``position``, each event's (originator id,
version) and its digest; a row per event made imports write the chain slower than the
events. ``<events>_chain_started`` records whether the chain began over events recorded
before it. Both tables, and the events table, refuse UPDATE, DELETE and replacing INSERTs.

Standard library only: the import's writer process (``writer.py``) links events too, and
must start at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

_sha256 = hashlib.sha256

#: The digest "before" the first event: also the head of an empty log.
GENESIS = hashlib.sha256(b"banso event chain v1").digest()

#: The chain's start record when the original was removed (the chain itself was kept).
UNKNOWN = -1

#: An event as stored: (originator id as stored text, version, topic, state bytes).
Row = tuple[Any, Any, Any, Any]
#: One event's link: (position, originator id, version, digest).
Link = tuple[int, Any, Any, bytes]
#: A block of links as stored: (last position, first position, ids, digests).
Block = tuple[int, int, bytes, bytes]
DIGEST = 32


def _field(value: Any) -> bytes:
    """One stored value with its type and length, so no two different values encode alike."""
    if isinstance(value, bytes):
        tag, data = b"b", value
    elif isinstance(value, str):
        tag, data = b"s", value.encode("utf-8", "surrogatepass")
    elif isinstance(value, int) and not isinstance(value, bool):
        tag, data = b"i", b"%d" % value
    elif value is None:
        tag, data = b"n", b""
    else:  # anything else SQLite can hold (a real number) or a driver can return
        tag, data = b"?" + type(value).__name__.encode(), repr(value).encode()
    return b"%s%d:%s" % (tag, len(data), data)


def link(
    previous: bytes, position: int, originator_id: Any, version: Any, topic: Any, state: Any
) -> bytes:
    """The digest of the event at ``position`` whose predecessor's digest is ``previous``."""
    if (
        type(originator_id) is str
        and type(version) is int
        and type(topic) is str
        and type(state) is bytes
    ):
        # the shape of every event banso writes: the same bytes as _field, without the calls
        oid, name, number = originator_id.encode(), topic.encode(), b"%d" % version
        digest = _sha256(previous)
        digest.update(
            b"%d|s%d:%si%d:%ss%d:%sb%d:"
            % (position, len(oid), oid, len(number), number, len(name), name, len(state))
        )
        digest.update(state)
        return digest.digest()
    fields = b"".join(_field(v) for v in (originator_id, version, topic, state))
    return hashlib.sha256(previous + b"%d|" % position + fields).digest()


def extend(head: tuple[int, bytes], rows: Iterable[Row]) -> list[Link]:
    """The chain rows of ``rows`` appended after ``head`` (its position and digest)."""
    position, digest = head
    links = []
    for originator_id, version, topic, state in rows:
        position += 1
        digest = link(digest, position, originator_id, version, topic, state)
        links.append((position, originator_id, version, digest))
    return links


def pack(links: Sequence[Link]) -> Block:
    """Consecutive links as one stored block: ids as ``id<TAB>version`` lines, digests
    end to end."""
    ids = "".join(f"{originator_id}\t{version}\n" for _, originator_id, version, _ in links)
    return (
        links[-1][0],
        links[0][0],
        ids.encode("utf-8", "surrogatepass"),
        b"".join(digest for *_, digest in links),
    )


def unpack(block: Any) -> list[Link]:
    """A stored block's links, whatever was written into it: a value that cannot be read
    gives links that cannot match (never an error: verify reports them)."""
    try:
        _, first, ids, digests = block
        lines = bytes(ids).decode("utf-8", "replace").split("\n")[:-1]
        digests = bytes(digests)
        first = int(first)
    except (TypeError, ValueError):
        return [(block[0] if block else 0, None, None, b"")]
    links: list[Link] = []
    for i, line in enumerate(lines):
        originator_id, _, version = line.partition("\t")
        number = int(version) if version.isdigit() else version
        links.append((first + i, originator_id, number, digests[DIGEST * i : DIGEST * (i + 1)]))
    return links


def chain_table(events_table: str) -> str:
    """The table that keeps the chain of ``events_table``."""
    return f"{events_table}_chain"


def started_table(events_table: str) -> str:
    """The one-row table saying how many events preceded the chain, and when it began."""
    return f"{events_table}_chain_started"


# ---- SQLite ---------------------------------------------------------------------------------

REFUSED = "banso: the event log is append-only"


def _sqlite_guards(events: str) -> dict[str, str]:
    """Each guard trigger of an embedded SQLite log, by name.

    ``INSERT OR REPLACE`` deletes the row it replaces without firing DELETE triggers, so a
    BEFORE INSERT trigger refuses any insert whose key is taken. Its RAISE(ABORT) is a
    constraint error, which eventsourcing reports as the IntegrityError its writers retry on.
    """
    chain, started = chain_table(events), started_table(events)
    guards = {
        f"{events}_no_replace": f"BEFORE INSERT ON {events} WHEN EXISTS (SELECT 1 FROM {events}"
        " WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version)"
        f" BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: {events}.originator_id,"
        f" {events}.originator_version ({REFUSED})'); END",
        f"{chain}_no_replace": f"BEFORE INSERT ON {chain} WHEN EXISTS (SELECT 1 FROM {chain}"
        " WHERE position = NEW.position)"
        f" BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: {chain}.position ({REFUSED})');"
        " END",
    }
    for table in (events, chain, started):
        for action in ("UPDATE", "DELETE"):
            guards[f"{table}_no_{action.lower()}"] = (
                f"BEFORE {action} ON {table} BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
            )
    return guards


def sqlite_objects(events: str) -> list[str]:
    """The names of the chain's tables and of every guard: all present means installed."""
    return [chain_table(events), started_table(events), *_sqlite_guards(events)]


def sqlite_schema(events: str) -> list[str]:
    """The chain's tables and the append-only guards, for an embedded SQLite log (idempotent)."""
    chain, started = chain_table(events), started_table(events)
    return [
        f"CREATE TABLE IF NOT EXISTS {chain} (position INTEGER PRIMARY KEY,"
        " first INTEGER NOT NULL, ids BLOB NOT NULL, digests BLOB NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {started} (position INTEGER NOT NULL, started_at TEXT NOT NULL)",
        *(
            f"CREATE TRIGGER IF NOT EXISTS {name} {body}"
            for name, body in _sqlite_guards(events).items()
        ),
    ]


def sqlite_lift_replace_guard(cursor: Any, events: str) -> str:
    """Drop the guard against replacing inserts inside the caller's write transaction (for
    a bulk insert that holds the write lock: SQLite's schema changes are transactional, so
    no other connection ever sees the log unguarded); returns the statement that puts it
    back, to run before committing."""
    name = f"{events}_no_replace"
    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    return f"CREATE TRIGGER {name} {_sqlite_guards(events)[name]}"


def sqlite_head(cursor: Any, events: str) -> tuple[int, bytes]:
    """The last link of the chain (position 0 and GENESIS when it is empty)."""
    cursor.execute(
        f"SELECT position, substr(digests, -{DIGEST}) FROM {chain_table(events)}"
        " ORDER BY position DESC LIMIT 1"
    )
    found = cursor.fetchone()
    return (found[0], found[1]) if found else (0, GENESIS)


def sqlite_insert(events: str) -> str:
    """The statement that stores one block."""
    return f"INSERT INTO {chain_table(events)} VALUES (?, ?, ?, ?)"


def sqlite_append(cursor: Any, events: str, rows: Sequence[Row]) -> tuple[int, bytes]:
    """Chain ``rows``, just inserted into ``events`` in this transaction, after the head;
    the new head."""
    head = sqlite_head(cursor, events)
    if rows:
        links = extend(head, rows)
        cursor.execute(sqlite_insert(events), pack(links))
        head = links[-1][0], links[-1][3]
    return head
