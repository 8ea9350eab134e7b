"""The event log as the read models consume it: stored events in order, as plain states.

The read side's input, built from the application's recorder and mapper: the application
writes the log, this reads it. States are the stored JSON shapes upcast to the current
version, not validated events (they were validated when saved; ``banso verify`` decodes
them all again), which made a rebuild about twice as fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from events.base import DomainEvent
from tracker.application import eventsourcing_compat as compat
from tracker.application.eventsourcing_compat import SQLiteLog
from tracker.application.store import PydanticMapper

#: A stored state as plain JSON values, from its topic and stored bytes.
StateOf = Callable[[str, bytes], dict[str, Any]]


class LoggedEvent(NamedTuple):
    """One event of the log, as the read models consume it: its ``state`` holds its
    version within its aggregate as ``originator_version`` (the entry's number)."""

    position: int
    kind: str
    originator_id: str
    state: dict[str, Any]


class UnreadableEvent(Exception):
    """A stored event that cannot be read as an event (its row was altered by hand)."""

    def __init__(self, position: int, topic: object, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.position, self.topic = position, str(topic).rpartition(":")[2]


class EventLog:
    """The stored events of one store, read in log order."""

    def __init__(self, recorder: ApplicationRecorder, mapper: PydanticMapper) -> None:
        self.recorder = recorder
        self.mapper = mapper

    @classmethod
    def of(cls, app: Application[Any]) -> EventLog:
        """The log of an application's store."""
        return cls(cast(ApplicationRecorder, app.recorder), cast(PydanticMapper, app.mapper))

    def read(self, after: int, limit: int) -> list[LoggedEvent]:
        """Up to ``limit`` events recorded after position ``after``, as plain states."""
        state_of = self.mapper.state_of
        found = []
        for position, oid, version, topic, data in compat.select_rows(self.recorder, after, limit):
            try:
                state = state_of(topic, data)
                state["originator_version"] = version
                found.append(LoggedEvent(position, topic.rpartition(":")[2], dashed(oid), state))
            except Exception as e:  # a row altered by hand: the read models set it aside
                raise UnreadableEvent(position, topic, e) from e
        return found

    def last_position(self) -> int:
        """The position of the last event recorded (0 for an empty log)."""
        return self.recorder.max_notification_id() or 0

    def state_of(self, topic: str, data: bytes) -> dict[str, Any]:
        """A stored state as plain JSON values, upcast to its event's current shape."""
        return self.mapper.state_of(topic, data)

    def detached_state_of(self) -> StateOf:
        """``state_of`` without the store (``PydanticMapper.detached``): it pickles, for a
        process of its own that reads the rows itself."""
        return self.mapper.detached().state_of

    def reload_keys(self) -> None:
        """Read the people's keys afresh: some may have been destroyed since they were read."""
        if self.mapper.keyring is not None:
            self.mapper.keyring.reload()

    def decode(self, stored: StoredEvent) -> DomainEvent:
        """The validated event of a stored record (``banso verify`` reads them all so)."""
        return self.mapper.decode(stored)

    def sqlite(self) -> SQLiteLog | None:
        """The embedded SQLite file SQL can read the log from, or None (other stores)."""
        return compat.sqlite_log(self.recorder, self.mapper)


def dashed(originator_id: UUID | str) -> str:
    """The canonical text of an aggregate id (SQLite stores it as 32 hex digits)."""
    if isinstance(originator_id, str) and len(originator_id) == 32:
        h = originator_id
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return str(originator_id)
