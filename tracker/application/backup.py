"""Backup: every event in order as JSON lines, and restoring such a file into a store.

Each line carries the event's chain digest, so the file is tamper-evident on its own: an
import recomputes the chain over the file and refuses a line whose digest does not follow
from the lines before it (lines without one, from older versions, are taken as they are).
Restored into an empty store, the events chain to the same head as in the store exported.

An import is checked whole before anything is written, then written in one transaction:
a bad file records nothing, and importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
import re
from base64 import b64decode, b64encode
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Cipher, StoredEvent
from pydantic_core import from_json, to_json

from events.base import DomainEvent
from events.case import CaseEntryCorrected, CaseEntryWithdrawn, CaseOpened
from events.expert import ExpertRegistered
from events.municipality import (
    MunicipalityEntryCorrected,
    MunicipalityEntryWithdrawn,
    MunicipalityRegistered,
)
from events.rules import RuleSettingChanged
from events.sequence import NumberIssued
from events.topic import TopicRegistered
from tracker.application.chain import GENESIS, link
from tracker.application.cipher import checked_key
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained, import_transaction
from tracker.application.personal import DictKeys, Keyring
from tracker.application.store import opened, read_straight, sealed_topics, typed, upcast
from tracker.application.writer import SQLiteWriter, WriterError
from tracker.domain.admission import check_values, unique_key
from tracker.domain.aggregates import AGGREGATE_OF_MODULE
from tracker.domain.base import Aggregate
from tracker.domain.errors import BackupKeyError, BansoError, InvalidInputError
from tracker.domain.inputs import today
from tracker.domain.municipality import municipality_id
from tracker.domain.rulebook import RULEBOOK_ID
from tracker.domain.sequence import NumberClaim, number_id
from tracker.domain.topics import TAXONOMY_ID

BATCH = 10_000
#: Events an import hands the store (the writer process) at once: smaller batches keep
#: less in memory on both sides of the pipe (a national import's writer held 13 MB less
#: at 2,500 than at 10,000) at no cost in time.
IMPORT_BATCH = 2_500
Progress = Callable[[int, int], None]


class Exported(NamedTuple):
    """What an export wrote: how many events, the digest of the last one (the file's head),
    and how many events did not match their chain row (written without a digest)."""

    events: int
    head: bytes
    unmatched: int


def export_events(app: Banso, out: IO[str], progress: Progress | None = None) -> Exported:
    """Write every event, in log order, as one JSON object per line with its digest; an
    encrypted store's states as their ciphertext in base64 (``sealed``), as stored. A line
    whose event seals people's details carries their keys beside it (``person_keys``; in
    an encrypted store's backup sealed with its key): an erased person's key is gone."""
    log = chained(app.recorder)
    cipher = app.mapper.cipher
    total = app.recorder.max_notification_id() or 0
    keys, sealing = app.keyring.living_keys(), sealed_topics()
    position, count, unmatched, head = 0, 0, 0, GENESIS
    while True:
        batch = app.recorder.select_notifications(
            start=position, limit=BATCH, inclusive_of_start=False
        )
        if not batch:
            return Exported(count, head, unmatched)
        links = log.chain_links(count, len(batch))
        for i, n in enumerate(batch):
            if cipher is None:
                state = '"state":' + bytes(n.state).decode("utf-8")
            else:  # exported as stored: the same chain, and no plaintext in the file
                state = f'"sealed":"{b64encode(bytes(n.state)).decode()}"'
            oid = n.originator_id
            chained_as = links[i][1:3] if i < len(links) else None
            if chained_as == (oid.hex if isinstance(oid, UUID) else oid, n.originator_version):
                head = links[i][3]
                digest = f',"digest":"{head.hex()}"'
            else:  # verify names it; the backup keeps the event all the same
                unmatched += 1
                digest = ""
            fields = sealing.get(n.topic)
            people = _people_keys(fields, bytes(n.state), keys, cipher) if fields else ""
            out.write(
                f'{{"id":{n.id},"originator_id":"{oid}",'
                f'"originator_version":{n.originator_version},"topic":{json.dumps(n.topic)}'
                f"{digest},{state}{people}}}\n"
            )
        count += len(batch)
        position = batch[-1].id
        if progress:
            progress(position, total)


#: The field of a line that carries the people's keys (in the clear, or sealed).
PERSON_KEYS, SEALED_KEYS = "person_keys", "sealed_person_keys"


def _people_keys(
    fields: tuple[str, ...], data: bytes, keys: dict[str, str], cipher: Cipher | None
) -> str:
    """The keys of the people whose details a stored state seals, as a field of its line
    ("" if it names nobody whose key lives): as the store keeps them, so encrypted with
    an encrypted store's key (``sealed_person_keys``)."""
    try:
        state = from_json(cipher.decrypt(data) if cipher else data)
        people = [str(state[f]) for f in fields if state.get(f)]
    except Exception:  # an unreadable state: verify's to name; the backup keeps it as stored
        return ""
    found = {person: keys[person] for person in people if person in keys}
    if not found:
        return ""
    return f',"{PERSON_KEYS if cipher is None else SEALED_KEYS}":{json.dumps(found)}'


class FileKeys(NamedTuple):
    """The people's keys a backup carries: in the clear, and as the file keeps them (an
    encrypted store's, encrypted with its key: restored as they are)."""

    plain: dict[str, str]
    closed: dict[str, str]


def read_keys(app: Banso, path: Path) -> FileKeys:
    """The people's keys a backup's lines carry (read ahead of the events, so that they are
    stored before any event sealed under them); sealed ones open only with the key of the
    store they were exported from."""
    keys = FileKeys({}, {})
    for number, raw in _lines_with(path, b'person_keys"'):
        try:
            record = from_json(raw)
            sealed = SEALED_KEYS in record
            found = record.get(SEALED_KEYS) if sealed else record.get(PERSON_KEYS)
            if found is None:
                continue  # the words in a text, not the field
            if not isinstance(found, dict):
                raise TypeError("the people's keys are not an object")
            for person, key in found.items():
                if not isinstance(key, str):
                    raise TypeError("a person's key is not text")
                UUID(person)
                plain = (
                    _decrypt(app.mapper.cipher, _unsealed_bytes(key), path).decode("ascii")
                    if sealed
                    else key
                )
                keys.plain[person] = checked_key(plain, str(path))
                if sealed:
                    keys.closed[person] = key
        except BackupKeyError:
            raise
        except (ValueError, KeyError, TypeError, BansoError) as e:
            raise _unreadable(raw, f"{path}:{number}", e) from None
    return keys


def _lines_with(path: Path, needle: bytes) -> Iterator[tuple[int, bytes]]:
    """The lines of a file holding ``needle``, each with its number: looked for in large
    blocks, not line by line (a national backup's 1.5 million lines took 2 s so)."""
    counted, rest = 0, b""  # the lines before the block, and the last line begun in it
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            block, rest = rest + block, b""
            end = block.rfind(b"\n") + 1
            block, rest = block[:end], block[end:]
            start, at = 0, block.find(needle)
            while at != -1:
                begins = block.rfind(b"\n", 0, at) + 1
                ends = block.index(b"\n", at) + 1
                counted += block.count(b"\n", start, begins) + 1
                yield counted, block[begins:ends]
                start, at = ends, block.find(needle, ends)
            counted += block.count(b"\n", start)
    if needle in rest:  # a last line with no line end
        yield counted + 1, rest


#: A parsed line: its number, its row as the writer process stores it, and the event (read
#: already, a line as banso exports it) or else its state (parsed, to be read), with the
#: event's id, and the state bytes the line's digest covers.
Line = tuple[int, "Row", DomainEvent | None, dict[str, Any] | None, UUID, bytes]

#: A line as banso exports it from a plain store (``export_events``): these fields in this
#: order, the state last. Its event is read straight from the state's bytes (``read_straight``),
#: given the id and version as the line writes them (the first group).
EXPORTED = re.compile(
    rb'\{"id":[0-9]+,("originator_id":'
    rb'"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",'
    rb'"originator_version":[1-9][0-9]{0,15}),"topic":"(events\.[A-Za-z0-9_.]+:[A-Za-z0-9_]+)"'
    rb'(?:,"digest":"([0-9a-f]{64})")?,"state":(\{.*\})\}\n?',
    re.DOTALL,
)


def _read(path: Path, cipher: Cipher | None) -> Iterator[Line]:
    """Parse a backup file, line by line, into rows to store (with the id as the chain
    hashes it, and the line's digest); a bad line is a clear error. Into an encrypted store
    (``cipher``) a plain line's state is encrypted, a sealed line's kept as it was sealed."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if cipher is None and (exported := EXPORTED.fullmatch(raw)):
                ids, oid, named, digest, state = exported.groups()
                topic = named.decode()
                event = read_straight(topic, ids, state)
                if event is not None:  # most lines; any other is read the long way
                    hexed = oid.replace(b"-", b"").decode()
                    found = digest.decode() if digest else None
                    row = (hexed, event.originator_version, topic, state, found)
                    yield number, row, event, None, event.originator_id, state
                    continue
            try:
                record = from_json(raw)  # refuses bytes that are not UTF-8 too
                if "sealed" in record:
                    chained_as = _unsealed_bytes(record["sealed"])
                    parsed = from_json(_decrypt(cipher, chained_as, path))
                    data = chained_as
                else:
                    parsed = record["state"]
                    # pydantic-core writes back exactly the bytes banso stored and exported
                    chained_as = to_json(parsed)
                    data = chained_as if cipher is None else cipher.encrypt(chained_as)
                if not isinstance(parsed, dict):
                    raise TypeError("state is not an object")
                oid, version, topic = record[ID], record[VERSION], record[TOPIC]
                if not (
                    isinstance(oid, str)
                    and type(version) is int  # not a bool, a float or a string of digits
                    and isinstance(topic, str)
                ):
                    raise TypeError("originator_id, originator_version or topic of a wrong type")
                originator_id = UUID(oid)
                digest = record.get("digest")
                if digest is not None and not isinstance(digest, str):
                    raise TypeError("digest is not text")
            except (ValueError, KeyError, TypeError) as e:
                if raw.strip():
                    raise _unreadable(raw, f"{path}:{number}", e) from None
                continue  # a blank line
            row = (originator_id.hex, version, topic, data, digest)
            yield number, row, None, parsed, originator_id, chained_as


def _unsealed_bytes(sealed: Any) -> bytes:
    if not isinstance(sealed, str):
        raise TypeError("sealed is not text")
    return b64decode(sealed, validate=True)  # binascii.Error is a ValueError


def _decrypt(cipher: Cipher | None, data: bytes, path: Path) -> bytes:
    """A sealed line's state: only with the key it was sealed with."""
    if cipher is None:
        raise BackupKeyError(file=str(path), reason="key_sealed")
    try:
        return bytes(cipher.decrypt(data))
    except Exception:  # cryptography's InvalidTag: another key, or altered bytes
        raise BackupKeyError(file=str(path), reason="key_wrong") from None


#: The keys of a line that name its event.
ID, VERSION, TOPIC = "originator_id", "originator_version", "topic"


def _unreadable(raw: bytes, where: str, error: Exception) -> InvalidInputError:
    """Why a line could not be read: its encoding, else its JSON."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return InvalidInputError(field="file", reason="encoding", value=f"{where}: {e.reason}")
    return InvalidInputError(field="file", reason="json", value=f"{where}: {error}")


#: An event as the writer process stores it (``writer.Row``), and its line's digest.
Row = tuple[str, int, str, bytes, str | None]
#: Events checked and ready to write, each as the writer process's row.
Batch = list[Row]


@dataclass
class Unchecked:
    """How many of a file's lines carried no digest (an older banso's backup, or lines
    added by hand): imported as they are, but not covered by the file's chain."""

    lines: int = 0


def checked(
    app: Banso,
    path: Path,
    unchecked: Unchecked | None = None,
    *,
    link_here: bool = True,
    keys: dict[str, str] | None = None,
) -> Iterator[Row]:
    """The file's events, each read as the store would read it (people's details opened
    with the file's ``keys``) and replayed onto its aggregate (so the read models can
    apply it too), with its line's digest; the first bad one raises. With ``link_here``
    each digest is checked here against the chain of the lines up to it; without, the
    writer process checks them as it chains the events."""
    keyring = Keyring(DictKeys(keys or {}), None)
    aggregates: Followed = {}
    unique = Unique(app)
    day = today()
    previous = GENESIS
    lines = _read(path, app.mapper.cipher)
    for position, (number, row, event, state, originator_id, chained_as) in enumerate(
        lines, start=1
    ):
        hexed, version, topic, _, digest = row
        key = originator_id.int
        found = aggregates.get(key)
        expected = 1 if found is None else (found if isinstance(found, int) else found.version) + 1
        if version != expected:
            raise InvalidInputError(
                field="file",
                reason="event",
                value=f"{path}:{number}: version {version} != {expected}",
            )
        try:
            if event is None:
                stored = StoredEvent(originator_id, version, _ours(topic), row[3])
                event = typed(stored, upcast(topic, opened(topic, cast(Any, state), keyring)))
        except Exception as e:  # any failure to read the event back is the file's fault
            first = str(e).splitlines()[0] if str(e) else ""
            raise InvalidInputError(
                field="file", reason="event", value=f"{path}:{number}: {type(e).__name__} {first}"
            ) from None
        try:  # the rules a command would have applied: a refusal names its line
            check_values(event, day)
            unique.claim(event)
            _follow(aggregates, key, event)
        except BansoError as e:
            raise InvalidInputError(
                field="file", reason="refused", value=f"{path}:{number}", cause=e
            ) from None
        except Exception as e:  # an event out of place on its aggregate
            first = str(e).splitlines()[0] if str(e) else ""
            raise InvalidInputError(
                field="file", reason="event", value=f"{path}:{number}: {type(e).__name__} {first}"
            ) from None
        if digest is None and unchecked is not None:
            unchecked.lines += 1
        if link_here:
            previous = link(previous, position, hexed, version, topic, chained_as)
            if digest is not None and digest != previous.hex():
                raise _altered(path, number)
        yield row


def _altered(path: Path, number: int) -> InvalidInputError:
    return InvalidInputError(
        field="file",
        reason="event",
        value=f"{path}:{number}: its digest does not follow from the lines up to it"
        " (the file was altered)",
    )


def _line_of(path: Path, position: int) -> int:
    """The line number of the file's ``position``-th event (blank lines hold none)."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            position -= bool(raw.strip())
            if not position:
                return number
    return 0


#: Events that begin an aggregate, and only begin one.
BEGINS = frozenset({CaseOpened, MunicipalityRegistered, ExpertRegistered, NumberIssued})


def _ours(topic: str) -> str:
    """Only banso's events: resolving a topic imports its module, so no other is tried."""
    if not topic.startswith("events."):
        raise TypeError(topic)
    return topic


#: The desk's one-of-a-kind aggregates, by their fixed ids: the first event of its kind
#: begins each (and later ones follow in it): the first topic, the first rule changed.
ONE_OF_A_KIND: dict[type[DomainEvent], UUID] = {
    TopicRegistered: TAXONOMY_ID,
    RuleSettingChanged: RULEBOOK_ID,
}


def _opens_desk_aggregate(event: DomainEvent) -> bool:
    """Whether ``event`` may begin its aggregate: the desk's taxonomy or rule book."""
    return ONE_OF_A_KIND.get(type(event)) == event.originator_id


#: What an import keeps of each aggregate while it checks a file: the aggregate itself, or,
#: for a number claim, only its version (``_follow``), by its id's number: hashed and
#: compared in C (a line's id is a UUID of its own, whose hash and equality are Python's),
#: and the same object as the aggregate's id holds, so no memory of its own.
Followed = dict[int, "Aggregate | int"]


def _follow(aggregates: Followed, key: int, event: DomainEvent) -> None:
    """Apply an event to its aggregate (``key``: its id's number) as loading it would, so
    the read models can too."""
    aggregate = aggregates.get(key)
    if isinstance(aggregate, int):  # a number claim: nothing of its state is ever read
        aggregate = NumberClaim(event.originator_id)
        aggregate.version = cast(int, aggregates[key])
    kind = type(event)  # by exact type (``admission.unique_key`` says why)
    if aggregate is None:
        if not (kind in BEGINS or _opens_desk_aggregate(event)):
            raise TypeError(f"{kind.__name__} begins no aggregate")
        if type(event) is MunicipalityRegistered and event.originator_id != municipality_id(
            event.code
        ):  # its id is made from its code: another id would register the code twice
            raise TypeError(f"MunicipalityRegistered {event.code} under another id")
        aggregate = AGGREGATE_OF_MODULE[kind.__module__](event.originator_id)
    elif kind in BEGINS:
        raise TypeError(f"{kind.__name__} after version {aggregate.version}")
    if kind in AMENDMENTS and aggregate.history is None:
        # an amendment is decided over the whole history, which an import does not hold
        # (every aggregate of a national file at once): it must at least name an entry
        entry = cast(CaseEntryCorrected, event).entry  # each amendment names its entry so
        if not 1 <= entry < event.originator_version:
            raise InvalidInputError(field="entry", reason="range", value=str(entry))
    else:
        aggregate.check(event)  # the aggregate's rules, as a command is checked by them
    aggregate.apply(event)  # an event of another kind of aggregate, or out of place, raises
    # A claim has no rule and takes no event after its first (``NumberIssued`` begins it):
    # its version says all a later line is checked against. A national file holds 75,000
    # claims, which kept whole were a quarter of the aggregates' memory.
    aggregates[key] = aggregate.version if type(aggregate) is NumberClaim else aggregate


#: Events that amend an earlier entry of their aggregate.
AMENDMENTS = frozenset(
    {
        CaseEntryCorrected,
        CaseEntryWithdrawn,
        MunicipalityEntryCorrected,
        MunicipalityEntryWithdrawn,
    }
)


class Unique:
    """What a file's aggregates name that must be unique (case numbers, expert ids, topic
    codes), checked against the file's earlier lines and, for a store that already holds
    events, against the store's number claims."""

    def __init__(self, app: Banso) -> None:
        self.app = app
        self.taken: dict[tuple[str, str], UUID] = {}
        self.look_in_store = bool(app.recorder.max_notification_id())

    def claim(self, event: DomainEvent) -> None:
        key = unique_key(event)
        if key is None:
            return
        holder = self.taken.setdefault(key, event.originator_id)
        if holder == event.originator_id and self.look_in_store:
            holder = self._in_store(key) or holder
        if holder != event.originator_id:
            raise InvalidInputError(field=key[0], reason="taken", value=key[1])

    def _in_store(self, key: tuple[str, str]) -> UUID | None:
        """The aggregate the store issued this number to, if any."""
        kind, name = key
        if kind == "case":
            year, _, seq = name.partition("-")
            sequence, number = f"case:{year}", int(seq)
        elif kind == "expert" and name[1:].isdigit():
            sequence, number = "expert", int(name[1:])
        else:
            return None  # topics live in one aggregate: its versions cannot collide
        try:
            claim = self.app.repository.get(
                number_id(sequence, number), projector_func=NumberClaim.project
            )
        except AggregateNotFoundError:
            return None
        return cast(UUID | None, claim.issued_to)


def import_events(
    app: Banso, path: Path, progress: Progress | None = None, unchecked: Unchecked | None = None
) -> int:
    """Restore a backup into ``app``'s store; returns how many events were new (and counts
    the lines without a digest into ``unchecked``).

    One pass inside one transaction: the first bad event rolls back all that came before.
    """
    total = _count_lines(path) if progress else 0
    keys = read_keys(app, path)
    # before the events, which are nothing without them
    restored = app.keyring.restore(keys.plain, closed=keys.closed)
    try:
        return _import(app, path, keys.plain, progress, unchecked, total)
    except BaseException:
        app.keyring.withdraw(restored)
        raise


def _import(
    app: Banso,
    path: Path,
    keys: dict[str, str],
    progress: Progress | None,
    unchecked: Unchecked | None,
    total: int,
) -> int:
    skip_existing = bool(app.recorder.max_notification_id())
    # into an empty store, the writer process checks the digests as it chains the events:
    # the two chains are one then, and this process, the busier one, hashes nothing
    by_writer = path.stat().st_size >= WRITER_BYTES and app.sqlite_log() is not None
    link_there = by_writer and not skip_existing
    added = read = 0
    with _transaction(app, path, by_writer, link_there) as write:
        batch: Batch = []
        for event in checked(app, path, unchecked, link_here=not link_there, keys=keys):
            batch.append(event)
            if len(batch) == IMPORT_BATCH:
                added += write(_new_only(app, batch) if skip_existing else batch)
                read += len(batch)
                batch = []
                if progress:
                    progress(read, total)
        added += write(_new_only(app, batch) if skip_existing else batch)
    return added


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _new_only(app: Banso, batch: Batch) -> Batch:
    """The events of ``batch`` not stored yet; one stored differently is a conflict."""
    fresh = []
    for row in batch:
        stored = _stored(row)
        found = app.recorder.select_events(
            stored.originator_id,
            gt=stored.originator_version - 1,
            lte=stored.originator_version,
        )
        if not found:
            fresh.append(row)
        elif found[0].topic != stored.topic or not _same_state(app, found[0].state, stored.state):
            raise InvalidInputError(
                field="file",
                reason="conflict",
                value=f"{stored.originator_id} v{stored.originator_version}",
            )
    return fresh


def _stored(row: Row) -> StoredEvent:
    """A row as the recorder stores it."""
    hexed, version, topic, state, _ = row
    return StoredEvent(
        originator_id=UUID(hexed), originator_version=version, topic=topic, state=state
    )


def _same_state(app: Banso, stored: bytes, imported: bytes) -> bool:
    """Whether two stored states say the same (decrypted first in an encrypted store)."""
    if stored == imported:
        return True
    cipher = app.mapper.cipher
    if cipher is not None:
        stored, imported = cipher.decrypt(stored), cipher.decrypt(imported)
    return bool(json.loads(stored) == json.loads(imported))


#: Backups at least this large are written by a second process (``tracker.application.writer``).
WRITER_BYTES = 8 << 20


Write = Callable[[Batch], int]


@contextmanager
def _transaction(app: Banso, path: Path, by_writer: bool, link_there: bool) -> Iterator[Write]:
    """One store transaction around every batch written, whatever the store kind; each
    batch is chained in that transaction, as every write is. ``by_writer``: through the
    writer process (an embedded SQLite log), which with ``link_there`` checks the digests."""
    sqlite_log = app.sqlite_log()
    if by_writer and sqlite_log is not None:
        statement = cast(Any, app.recorder).insert_events_statement
        writer = SQLiteWriter(sqlite_log.path, statement, sqlite_log.table, check=link_there)

        def write_there(batch: Batch) -> int:
            writer.write(batch)
            return len(batch)

        try:
            try:
                yield write_there
            except BaseException:
                writer.abort()
                raise
            writer.commit()
        except WriterError as e:
            if e.altered_at is None:
                raise
            raise _altered(path, _line_of(path, e.altered_at)) from None
    else:
        with import_transaction(app.recorder) as write:
            yield lambda batch: write([_stored(row) for row in batch])
