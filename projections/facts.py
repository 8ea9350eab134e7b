"""Every event becomes one fact row: the timeline, the search index and the as-of source.

``fact_of`` is a pure function from a typed event to its row; it is the projection's
per-event mapping, unit-tested without a database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from events.base import DomainEvent
from events.case import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    DispatchApplied,
    DispatchDecided,
    FeedbackReceived,
    FollowUpDone,
    FollowUpScheduled,
    NoteAdded,
    VisitReported,
)
from events.expert import ExpertRegistered
from events.municipality import (
    ContactAssigned,
    ContactTransferred,
    MunicipalityRegistered,
    OutreachRecorded,
)

#: Events that count as engagement with a municipality (silent, stats).
CASE_KINDS = frozenset(
    cls.__name__
    for cls in (
        CaseOpened,
        DispatchApplied,
        DispatchDecided,
        VisitReported,
        FollowUpScheduled,
        FollowUpDone,
        NoteAdded,
        FeedbackReceived,
        CaseClosed,
        CaseReopened,
    )
)
ENGAGEMENT_KINDS = CASE_KINDS | {OutreachRecorded.__name__}


@dataclass
class Fact:
    """One event as a row: when, what, about which municipality/case, its text and data."""

    position: int
    kind: str
    occurred_on: str
    recorded_at: str
    recorded_by: str
    originator_id: str
    municipality: str | None = None
    case_id: str | None = None
    case_number: str | None = None
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    experts: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind,
            "occurred_on": self.occurred_on,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "originator_id": self.originator_id,
            "municipality": self.municipality,
            "case_id": self.case_id,
            "case_number": self.case_number,
            "text": self.text,
            "data": json.dumps(self.data, ensure_ascii=False),
        }


_SEARCHABLE: dict[type[DomainEvent], Callable[[Any], str]] = {
    CaseOpened: lambda e: e.summary,
    VisitReported: lambda e: "\n".join((e.report, *e.next_steps)),
    FollowUpScheduled: lambda e: e.note or "",
    FollowUpDone: lambda e: e.note or "",
    NoteAdded: lambda e: e.text,
    FeedbackReceived: lambda e: e.comment or "",
    CaseClosed: lambda e: e.note or "",
    CaseReopened: lambda e: e.note or "",
    OutreachRecorded: lambda e: e.note or "",
    ContactAssigned: lambda e: e.name,
    ContactTransferred: lambda e: " ".join(filter(None, (e.name, e.successor))),
    MunicipalityRegistered: lambda e: e.name,
    ExpertRegistered: lambda e: e.name,
}

_BASE_FIELDS = set(DomainEvent.model_fields)


def fact_of(
    event: DomainEvent,
    position: int,
    *,
    municipality: str | None = None,
    case_number: str | None = None,
) -> Fact:
    """The fact row of an event; ``municipality``/``case_number`` come from its case."""
    data = event.model_dump(mode="json", exclude=_BASE_FIELDS)
    case_id = str(event.originator_id) if type(event).__name__ in CASE_KINDS else None
    if isinstance(event, CaseOpened):
        municipality, case_number = event.municipality_code, event.number
    elif isinstance(event, MunicipalityRegistered):
        municipality = event.code
    experts: tuple[str, ...] = ()
    if isinstance(event, DispatchDecided | VisitReported):
        experts = event.experts
    elif isinstance(event, ExpertRegistered):
        experts = (event.expert_id,)
    return Fact(
        position=position,
        kind=type(event).__name__,
        occurred_on=event.occurred_on.isoformat(),
        recorded_at=event.timestamp.isoformat(timespec="seconds"),
        recorded_by=event.recorded_by,
        originator_id=str(event.originator_id),
        municipality=municipality,
        case_id=case_id,
        case_number=case_number,
        text=_SEARCHABLE.get(type(event), lambda e: "")(event),
        data=data,
        experts=experts,
    )
