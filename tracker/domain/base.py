"""The aggregate base: state changes only by applying events, which are kept to be saved.

Each kind of event has, besides its applier (``@when``), an optional rule (``@rule``): the
check a new event must pass before it is applied. Keeping the rules apart from the
commands lets a correction be checked the way the entries were: the aggregate's history,
as it would read once corrected, is replayed through the same rules (``amending``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from events.base import DomainEvent

E = TypeVar("E", bound=DomainEvent)
F = TypeVar("F", bound=Callable[..., None])


def when(*event_classes: type[DomainEvent]) -> Callable[[F], F]:
    """Mark an aggregate method as the one that applies these events to its state."""

    def mark(method: F) -> F:
        method._applies = event_classes  # type: ignore[attr-defined]
        return method

    return mark


def rule(*event_classes: type[DomainEvent]) -> Callable[[F], F]:
    """Mark an aggregate method as the check a new event of these kinds must pass (it
    raises a named error, before anything is applied)."""

    def mark(method: F) -> F:
        method._checks = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class Aggregate:
    """A consistency boundary rebuilt from its own events."""

    _appliers: ClassVar[dict[type[DomainEvent], Callable[[Any, Any], None]]] = {}
    _rules: ClassVar[dict[type[DomainEvent], Callable[[Any, Any], None]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A plain dict lookup: singledispatchmethod builds a new function at every call,
        # which cost a fifth of a bulk import.
        super().__init_subclass__(**kwargs)
        methods = list(vars(cls).values())
        cls._appliers = {
            event_class: method
            for method in methods
            for event_class in getattr(method, "_applies", ())
        }
        cls._rules = {
            event_class: method
            for method in methods
            for event_class in getattr(method, "_checks", ())
        }

    def __init__(self, id: UUID) -> None:
        self.id = id
        self.version = 0
        #: Events made and not saved yet, None while there are none (an import holds every
        #: aggregate of a file at once, and an empty list each was 4 MB nationally).
        self._pending: list[DomainEvent] | None = None
        #: Every event applied, when the aggregate was loaded from its store to decide
        #: (``project``): corrections are decided over it. None otherwise: an import holds
        #: every aggregate of a file at once, and the demo every municipality.
        self.history: list[DomainEvent] | None = None

    def _trigger(self, event_class: type[E], *, on: date, by: str, **fields: Any) -> E:
        """Make the next event of this aggregate, check it, apply it and keep it for saving."""
        event = event_class(
            originator_id=self.id,
            originator_version=self.version + 1,
            timestamp=datetime.now(UTC),
            occurred_on=on,
            recorded_by=by,
            **fields,
        )
        self.check(event)
        self.apply(event)
        if self._pending is None:
            self._pending = []
        self._pending.append(event)
        return event

    def check(self, event: DomainEvent) -> None:
        """Refuse, with a named error, an event this aggregate's rules do not allow now."""
        check = self._rules.get(type(event))
        if check is not None:
            check(self, event)

    def apply(self, event: DomainEvent) -> None:
        """Change state by one event (already decided: never refuses)."""
        self.mutate(event)
        self.version = event.originator_version
        if self.history is not None:
            self.history.append(event)

    def mutate(self, event: DomainEvent) -> None:
        """Apply an event of this aggregate (an event of another kind is a TypeError)."""
        applier = self._appliers.get(type(event))
        if applier is None:
            raise TypeError(f"{type(self).__name__} cannot apply {type(event).__name__}")
        applier(self, event)

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        """The events decided but not saved yet."""
        return tuple(self._pending or ())

    def collect_events(self) -> list[DomainEvent]:
        """Hand over the events not saved yet (eventsourcing's save() calls this)."""
        events, self._pending = self._pending or [], None
        return events

    @classmethod
    def project(cls, aggregate: Self | None, events: Iterable[DomainEvent]) -> Self | None:
        """Rebuild (or fast-forward) an aggregate from stored events, keeping its history."""
        for event in events:
            if aggregate is None:
                aggregate = cls(event.originator_id)
                aggregate.history = []
            aggregate.apply(event)
        return aggregate
