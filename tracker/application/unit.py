"""A unit of work: what many commands decided, saved in one transaction or not at all.

``Banso.all_or_nothing()`` lets the ordinary commands run, with their rules, while it holds
what they would have saved. Commands inside it see what earlier ones decided (a case opened
three rows up can be applied for; the next case number follows the last one held), because
the application's loads look here before the store. When the block ends, everything is
saved with one ``save(*aggregates)``, which eventsourcing records in one transaction: a
desk's spreadsheet comes in whole, or not at all.

``attempt()`` is a savepoint: a command refused inside it takes back only what the attempt
had added, so an importer can check every row and still list all the bad ones.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from events.base import DomainEvent
from events.sequence import NumberIssued
from tracker.domain.base import Aggregate
from tracker.domain.errors import BansoError


@dataclass
class _Savepoint:
    held: int
    #: The aggregates an attempt changed that were held before it, as they were then.
    before: dict[UUID, Aggregate] = field(default_factory=dict)


class Unit:
    """Aggregates and bare events (number claims) decided but not saved yet, in order."""

    def __init__(self) -> None:
        self._held: list[Aggregate | DomainEvent] = []
        #: Where each held aggregate is in ``_held`` (whether an attempt began after it).
        self._place: dict[UUID, int] = {}
        self.aggregates: dict[UUID, Aggregate] = {}
        self.claims: dict[UUID, NumberIssued] = {}
        self._savepoints: list[_Savepoint] = []
        self.discarded = False

    def discard(self) -> None:
        """Save nothing when the unit ends (a dry run, or rows that were refused)."""
        self.discarded = True

    def hold(self, *objs: Any) -> None:
        """Keep what a command would have saved (an aggregate once, however often saved)."""
        for obj in objs:
            if isinstance(obj, NumberIssued):
                self.claims[obj.originator_id] = obj
                self._held.append(obj)
            elif isinstance(obj, Aggregate):
                if obj.id not in self.aggregates:
                    self.aggregates[obj.id] = obj
                    self._place[obj.id] = len(self._held)
                    self._held.append(obj)
            elif obj is not None:
                raise TypeError(f"a unit of work holds aggregates and number claims, not {obj!r}")

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        """A held aggregate, to be changed further: an open attempt keeps a copy of it first."""
        found = self.aggregates.get(aggregate_id)
        point = self._savepoints[-1] if self._savepoints else None
        if found is not None and point is not None and self._place[aggregate_id] < point.held:
            point.before.setdefault(aggregate_id, copy.deepcopy(found))
        return found

    def holds(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.aggregates or aggregate_id in self.claims

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Take back what the block added if a command in it is refused (and re-raise)."""
        point = _Savepoint(len(self._held))
        self._savepoints.append(point)
        try:
            yield
        except BansoError:
            self._savepoints.pop()
            self._undo(point)
            raise
        self._savepoints.pop()
        if self._savepoints:  # an outer attempt must be able to undo this one's changes too
            for aggregate_id, before in point.before.items():
                self._savepoints[-1].before.setdefault(aggregate_id, before)

    def _undo(self, point: _Savepoint) -> None:
        for obj in self._held[point.held :]:
            if isinstance(obj, Aggregate):
                del self.aggregates[obj.id]
                del self._place[obj.id]
            else:
                del self.claims[obj.originator_id]
        del self._held[point.held :]
        for aggregate_id, before in point.before.items():
            self.aggregates[aggregate_id] = before
            self._held[self._place[aggregate_id]] = before

    def objects(self) -> list[Aggregate | DomainEvent]:
        """Everything held, in the order the commands decided it (to be saved at once)."""
        return list(self._held)

    def __len__(self) -> int:
        """How many events saving would record."""
        return sum(1 if isinstance(o, DomainEvent) else len(o.pending_events) for o in self._held)
