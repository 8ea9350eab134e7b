"""Every event becomes one fact row: the timeline, the search index and the as-of source.

``fact_of`` is a pure function from a typed event to its row; it is the projection's
per-event mapping, unit-tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic_core import to_json

from events.base import DomainEvent
from projections.kinds import CASE_KINDS, EXPERTS_FIELDS, OPENINGS, SEARCHABLE
from tracker.domain.folding import fold


@dataclass
class Fact:
    """One event as a row: when, what, about which municipality/case, its text and data.

    ``version`` is the event's version within its aggregate: the entry's number, which a
    correction names (``projections.amend`` rewrites a corrected entry's row and sets its
    ``corrected_by``)."""

    position: int
    kind: str
    occurred_on: str
    recorded_at: str
    recorded_by: str
    originator_id: str
    version: int = 1
    municipality: str | None = None
    case_id: str | None = None
    case_number: str | None = None
    #: What search looks in: the event's searchable text, folded (``search_key``).
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    experts: tuple[str, ...] = ()
    corrected_by: int | None = None

    def row(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind,
            "occurred_on": self.occurred_on,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "originator_id": self.originator_id,
            "version": self.version,
            "municipality": self.municipality,
            "case_id": self.case_id,
            "case_number": self.case_number,
            "text": self.text,
            "data": to_json(self.data).decode(),
            "corrected_by": self.corrected_by,
        }


def search_text(kind: str, data: dict[str, Any]) -> str:
    """The text an event contributes to full-text search ("" if none): its searchable
    fields (``kinds.py``). The bulk rebuild (``bulk.py``) turns the same declarations into SQL."""
    keys, sep = SEARCHABLE.get(kind, ((), ""))
    parts: list[str] = []
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            parts += value
        elif value:
            parts.append(value)
    return sep.join(parts)


def search_key(kind: str, data: dict[str, Any]) -> str:
    """What the search index holds for an event: its text folded (width, kana, case, no
    blanks), as every query is folded too. Results show ``search_text``, from the data."""
    return fold(search_text(kind, data))


def experts_named(kind: str, data: dict[str, Any]) -> tuple[str, ...]:
    """The experts an event's own fields name (an expert's later events name it through
    its registration: the projection adds those)."""
    named: list[str] = []
    for name in EXPERTS_FIELDS.get(kind, ()):
        value = data.get(name) or ()
        named += [value] if isinstance(value, str) else value
    return tuple(dict.fromkeys(named))


#: Fields of every event that the fact keeps in columns of their own, not in ``data``.
BASE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "occurred_on", "recorded_by"}
)


def recorded_at(timestamp: str) -> str:
    """The recording time to the second, as ISO 8601 (events are stamped in UTC)."""
    if timestamp.endswith("Z"):
        return timestamp[:19] + "+00:00"
    return datetime.fromisoformat(timestamp).isoformat(timespec="seconds")


def fact_from_state(
    kind: str,
    originator_id: str,
    state: dict[str, Any],
    position: int,
    *,
    municipality: str | None = None,
    case_number: str | None = None,
) -> Fact:
    """The fact row of a stored event's state (its JSON shape, upcast to the current one,
    with its ``originator_version``)."""
    data = {k: v for k, v in state.items() if k not in BASE_FIELDS}
    is_case = kind in CASE_KINDS
    opening = OPENINGS.get(kind)
    if opening is not None:  # the event names its aggregate's municipality (and number)
        municipality_field, number_field = opening
        municipality = data[municipality_field]
        if number_field is not None:
            case_number = data[number_field]
    return Fact(
        position=position,
        kind=kind,
        occurred_on=state["occurred_on"],
        recorded_at=recorded_at(state["timestamp"]),
        recorded_by=state["recorded_by"],
        originator_id=originator_id,
        version=state["originator_version"],
        municipality=municipality,
        case_id=originator_id if is_case else None,
        case_number=case_number,
        text=search_key(kind, data),
        data=data,
        experts=experts_named(kind, data),
    )


def fact_of(
    event: DomainEvent,
    position: int,
    *,
    municipality: str | None = None,
    case_number: str | None = None,
) -> Fact:
    """The fact row of a typed event; ``municipality``/``case_number`` come from its case."""
    return fact_from_state(
        type(event).__name__,
        str(event.originator_id),
        event.model_dump(mode="json"),
        position,
        municipality=municipality,
        case_number=case_number,
    )
