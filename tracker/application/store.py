"""How events are stored: the pydantic mapper and the eventsourcing environment per store kind.

A store is named by a path (embedded SQLite), ``memory:`` (in-process, for tests) or a
``postgresql://`` URL (a shared desk).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import TopicError, get_topic, resolve_topic
from pydantic_core import from_json, to_json

from events.base import DomainEvent
from tracker.application.cipher import CIPHER_TOPIC, checked_key
from tracker.application.eventsourcing_compat import (
    EVENTS_TABLE,
    ChainedPOPOFactory,
    ChainedSQLiteRecorder,
)
from tracker.application.personal import DictKeys, Keyring, seal_state, unseal_state
from tracker.domain.errors import StoreMissingError, StoreRefusedError


class JSONBytesTranscoder(Transcoder):
    """JSON through pydantic-core: fast, UTF-8, no ASCII escaping."""

    def encode(self, obj: Any) -> bytes:
        return to_json(obj)

    def decode(self, data: bytes) -> Any:
        return from_json(data)


class PydanticMapper(Mapper):
    """Stores frozen pydantic events; reads them back through ``model_validate`` after
    upcasting. People's details are sealed each under their person's key (``keyring``,
    set by the application once its recorder exists): ``tracker.application.personal``."""

    keyring: Keyring | None = None

    def to_stored_event(self, domain_event: DomainEventProtocol[Any]) -> StoredEvent:
        event = cast(DomainEvent, domain_event)
        state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
        if event.personal:
            seal_state(event.personal, state, self.keyring)
        if type(event).class_version > 1:
            state["class_version"] = type(event).class_version
        data = self.transcoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=event.originator_id,
            originator_version=event.originator_version,
            topic=get_topic(type(event)),
            state=data,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        return cast(DomainEventProtocol[Any], self.decode(stored_event))

    def decode(self, stored_event: StoredEvent) -> DomainEvent:
        """The typed event of a stored record, upcast to its current shape."""
        state = self.state_of(stored_event.topic, stored_event.state)
        return typed(stored_event, state)

    def detached(self) -> PydanticMapper:
        """A copy that reads states as this mapper does, without its store: the people's
        keys as they are now, held in a dict. It pickles, so another process (a rebuild's
        case folder) can read the log with it; it seals nothing new."""
        copy = PydanticMapper(self.transcoder, self.compressor, self.cipher)
        if self.keyring is not None:
            keys = DictKeys(self.keyring.table.load())
            copy.keyring = Keyring(keys, self.keyring.store_cipher)
        return copy

    def state_of(self, topic: str, data: bytes) -> dict[str, Any]:
        """A stored event's fields as plain JSON values, upcast to the current shape."""
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        return upcast(topic, opened(topic, self.transcoder.decode(data), self.keyring))


def opened(topic: str, state: dict[str, Any], keyring: Keyring | None) -> dict[str, Any]:
    """A stored state (as parsed JSON) with its people's details opened, in place: by
    ``keyring``'s keys, or as placeholders where a person's key is destroyed."""
    personal = _event_class(topic).personal
    if personal:
        unseal_state(personal, state, keyring)
    return state


def upcast(topic: str, state: dict[str, Any]) -> dict[str, Any]:
    """A stored state (as parsed JSON) brought to its event's current shape, in place."""
    version = state.pop("class_version", 1)
    cls = _event_class(topic)
    if version != cls.class_version:
        cls.upcast(state, version)
    return state


def typed(stored_event: StoredEvent, state: dict[str, Any]) -> DomainEvent:
    """The validated event of a stored record whose state is already parsed and upcast."""
    state["originator_id"] = stored_event.originator_id
    state["originator_version"] = stored_event.originator_version
    return _event_class(stored_event.topic).model_validate(state)


def read_straight(topic: str, ids: bytes, data: bytes) -> DomainEvent | None:
    """The event of a stored state, validated straight from its JSON bytes by pydantic's own
    parser (a third cheaper than parsing to Python values first, then validating them); None
    where the state must be read the long way (``typed``): it seals people's details, it was
    written at an older version, or anything in it is out of the ordinary (then reading it
    the long way says what). ``ids``: the event's id and version as the JSON members
    ``"originator_id":"…","originator_version":N`` (an import takes them from its line as
    they are). An import reads most lines of a backup so."""
    straight = _straight(topic)
    if straight is None:
        return None
    validate, end = straight
    if not (data.startswith(b"{") and data.endswith(end)) or b'"originator_' in data:
        return None  # the id and version are the record's, never the state's
    try:
        return validate(b"{%s,%s}" % (ids, data[1 : -len(end)]))
    except ValueError:  # pydantic's ValidationError: the long way names the error
        return None


@lru_cache(maxsize=512)  # a file's topics are few; a bad one's many are not kept
def _straight(topic: str) -> tuple[Callable[[bytes], DomainEvent], bytes] | None:
    """For a topic whose states can be read straight: its class's JSON validator (called
    as ``model_validate_json`` calls it, without that method's own checks of its
    arguments: a tenth of each line's reading), and how its state ends as the mapper
    writes it (its last field is its class version past the first, ``to_stored_event``)."""
    try:
        cls = resolve_topic(topic)
    except TopicError:
        return None
    if not (isinstance(cls, type) and issubclass(cls, DomainEvent)) or cls.personal:
        return None
    end = b"}" if cls.class_version == 1 else version_end(cls.class_version)
    return cls.__pydantic_validator__.validate_json, end


def version_end(version: int) -> bytes:
    """How the mapper ends the state of an event past its first version: with that version
    (``to_stored_event``); a state ending otherwise may be of an older one."""
    return b',"class_version":%d}' % version


def versioned_topics() -> dict[str, int]:
    """The topics of events past their first version, with their current version: only
    these can have stored states that need upcasting."""
    return {get_topic(c): c.class_version for c in _event_classes() if c.class_version > 1}


def sealed_topics() -> dict[str, tuple[str, ...]]:
    """The topics of events that can carry people's details sealed, each with the fields
    naming whose they are: a state with any of those set has details SQL cannot read."""
    return {
        get_topic(c): tuple(dict.fromkeys(c.personal.values()))
        for c in _event_classes()
        if c.personal
    }


def _event_classes() -> Iterator[type[DomainEvent]]:
    classes = list(DomainEvent.__subclasses__())
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        yield cls


@cache
def _event_class(topic: str) -> type[DomainEvent]:
    return cast(type[DomainEvent], resolve_topic(topic))


MEMORY = "memory:"


def store_env(store: str, cipher_key: str | None = None) -> dict[str, str]:
    """The eventsourcing environment for a store name (path, ``memory:`` or PostgreSQL URL):
    every kind with banso's append-only, chained recorder (``eventsourcing_compat``); with
    ``cipher_key``, event states encrypted with AES-GCM (``tracker.application.cipher``)."""
    env = {
        "MAPPER_TOPIC": get_topic(PydanticMapper),
        "TRANSCODER_TOPIC": get_topic(JSONBytesTranscoder),
    }
    if cipher_key:
        env |= {"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": checked_key(cipher_key, store)}
    if store == MEMORY:
        env["PERSISTENCE_MODULE"] = get_topic(ChainedPOPOFactory)
    elif is_postgres(store):
        url = urlparse(store)
        env |= {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            # resolved on first use only (psycopg is slow to import)
            "APPLICATION_RECORDER_TOPIC": (
                "tracker.application.eventsourcing_compat:ChainedPostgresRecorder"
            ),
            "POSTGRES_DBNAME": url.path.lstrip("/") or "banso",
            "POSTGRES_HOST": url.hostname or "localhost",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or ""),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": "public",
            "CREATE_TABLE": "y",
        }
    else:
        env |= {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": get_topic(ChainedSQLiteRecorder),
            "SQLITE_DBNAME": store,
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    return env


def is_postgres(store: str) -> bool:
    return store.startswith(("postgresql://", "postgres://"))


#: ``scheme:`` at the start of a store's name: a URL (``C:\\...``, a drive letter, is a path).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
_SQLITE_HEADER = b"SQLite format 3\x00"


def check_store(store: str, *, create: bool) -> bool:
    """Refuse a store banso cannot use, before anything is opened or created; True when the
    store is a file that does not exist yet and ``create`` allows making it (recording does;
    a question about a store that is not there is refused instead)."""
    if store == MEMORY or is_postgres(store):
        return False
    if _SCHEME.match(store):
        raise StoreRefusedError(store=store, reason="scheme", value=store.split(":", 1)[0])
    path = Path(store)
    if path.is_dir():
        raise StoreRefusedError(store=store, reason="folder", value=store)
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise StoreRefusedError(store=store, reason="folder_file", value=str(path.parent))
        if not create:
            raise StoreMissingError(store=store)
        return True
    _require_banso_file(path, store)
    return False


def _require_banso_file(path: Path, store: str) -> None:
    """An existing file must be an empty file or a SQLite database with banso's events (or
    no tables yet): anything else would be written into, or answered from, by mistake."""
    with path.open("rb") as f:
        header = f.read(len(_SQLITE_HEADER))
    if not header:
        return  # an empty file is an empty SQLite database
    if header != _SQLITE_HEADER:
        raise StoreRefusedError(store=store, reason="not_sqlite", value=store)
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError:
        raise StoreRefusedError(store=store, reason="not_sqlite", value=store) from None
    finally:
        conn.close()
    if tables and EVENTS_TABLE not in tables:
        raise StoreRefusedError(
            store=store, reason="not_store", value=", ".join(sorted(tables)[:5])
        )
