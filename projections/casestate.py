"""A case's state as a fold over its facts in business-date order.

The same fold keeps the ``cases`` table current and answers "as of" a past date (fold
only the facts dated up to it), so the two can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class CaseState:
    id: str
    number: str
    municipality: str
    topic: str
    summary: str
    channel: str
    contact: str | None
    opened_on: str
    status: str = "open"
    closed_on: str | None = None
    resolution: str | None = None
    last_activity_on: str = ""
    last_activity_kind: str = ""
    last_position: int = 0
    last_visit_on: str | None = None
    visits: int = 0
    decisions: int = 0
    application_pending_since: str | None = None
    follow_up_due: str | None = None
    follow_up_note: str | None = None
    experts: tuple[str, ...] = ()
    latest_report: str | None = None
    next_steps: tuple[str, ...] = ()
    feedback_ratings: tuple[int, ...] = field(default=())

    def row(self) -> dict[str, Any]:
        row = asdict(self)
        for name in _TUPLES:
            row[name] = json.dumps(list(row[name]), ensure_ascii=False)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CaseState:
        values = {f.name: row[f.name] for f in fields(cls)}
        for name in _TUPLES:
            values[name] = tuple(json.loads(values[name]))
        return cls(**values)

    @property
    def sort_key(self) -> tuple[str, int]:
        return (self.last_activity_on, self.last_position)


_TUPLES = ("experts", "next_steps", "feedback_ratings")

Step = Callable[[CaseState, dict[str, Any], str], CaseState]


def _applied(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, application_pending_since=s.application_pending_since or on)


def _decided(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    experts = tuple(dict.fromkeys((*s.experts, *d["experts"])))
    return replace(s, decisions=s.decisions + 1, application_pending_since=None, experts=experts)


def _visited(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    experts = tuple(dict.fromkeys((*s.experts, *d.get("experts", ()))))
    return replace(
        s,
        visits=s.visits + 1,
        last_visit_on=max(s.last_visit_on or on, on),
        latest_report=d["report"],
        next_steps=tuple(d.get("next_steps", ())),
        experts=experts,
    )


def _scheduled(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, follow_up_due=d["due"], follow_up_note=d.get("note"))


def _followed_up(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, follow_up_due=None, follow_up_note=None, next_steps=())


def _feedback(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, feedback_ratings=(*s.feedback_ratings, d["rating"]))


def _closed(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, status="closed", closed_on=on, resolution=d["resolution"])


def _reopened(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return replace(s, status="open", closed_on=None, resolution=None)


def _nothing(s: CaseState, d: dict[str, Any], on: str) -> CaseState:
    return s


STEPS: dict[str, Step] = {
    "DispatchApplied": _applied,
    "DispatchDecided": _decided,
    "VisitReported": _visited,
    "FollowUpScheduled": _scheduled,
    "FollowUpDone": _followed_up,
    "NoteAdded": _nothing,
    "FeedbackReceived": _feedback,
    "CaseClosed": _closed,
    "CaseReopened": _reopened,
}


def opened(case_id: str, position: int, on: str, d: dict[str, Any]) -> CaseState:
    """The state right after ``CaseOpened``."""
    return CaseState(
        id=case_id,
        number=d["number"],
        municipality=d["municipality_code"],
        topic=d["topic"],
        summary=d["summary"],
        channel=d["channel"],
        contact=d.get("contact"),
        opened_on=on,
        last_activity_on=on,
        last_activity_kind="CaseOpened",
        last_position=position,
    )


def advance(state: CaseState, kind: str, position: int, on: str, d: dict[str, Any]) -> CaseState:
    """The state after one more fact, which comes later in business-date order."""
    state = STEPS[kind](state, d, on)
    return replace(state, last_activity_on=on, last_activity_kind=kind, last_position=position)


def fold(facts: Iterable[tuple[str, int, str, str, dict[str, Any]]]) -> CaseState | None:
    """A case's state from its facts ``(case_id, position, kind, on, data)`` in order."""
    state: CaseState | None = None
    for case_id, position, kind, on, data in facts:
        if kind == "CaseOpened":
            state = opened(case_id, position, on, data)
        elif state is not None:
            state = advance(state, kind, position, on, data)
    return state
