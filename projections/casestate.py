"""A case's state as a fold over its facts in business-date order.

The same fold keeps the ``cases`` table current and answers "as of" a past date (fold
only the facts dated up to it), so the two can never disagree. The steps work on a plain
dict, which the projection updates in place (rebuilding a million events makes that
matter); ``opened``/``advance``/``fold`` are the pure, typed face of the same steps. The
steps themselves are in ``steps.py``, named per kind in ``kinds.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from pydantic_core import from_json

from events.case import CaseOpened
from projections.kinds import STEPS
from projections.steps import State

#: The event that makes a case's state; every other event of a case is a step.
OPENING = CaseOpened.__name__


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
    feedback_ratings: tuple[int, ...] = ()
    #: Every commitment (open, done, cancelled) as ``steps._add_commitment`` makes it.
    commitments: tuple[dict[str, Any], ...] = ()
    #: The earliest due date of an open commitment.
    commitment_due: str | None = None
    #: The pending follow-ups, soonest first: number, due, note, planned_on.
    follow_ups: tuple[dict[str, Any], ...] = ()
    #: The highest follow-up number given, and the next steps of older visits counted
    #: (what numbers the unnumbered ones: ``tracker.domain.commitments``).
    last_follow_up: int = 0
    legacy_steps: int = 0
    #: The day the case closed asking for the municipality's feedback, until it comes.
    feedback_requested_on: str | None = None

    @property
    def open_commitments(self) -> list[dict[str, Any]]:
        """The commitments neither done nor cancelled, by number."""
        return sorted(
            (c for c in self.commitments if c["state"] == "open"), key=lambda c: c["number"]
        )

    def row(self) -> dict[str, Any]:
        return state_row(asdict(self))

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CaseState:
        values = {name: row[name] for name in COLUMNS}
        for name in LISTS:
            values[name] = tuple(from_json(values[name]))  # a quarter of json.loads' time
        return cls(**values)

    @classmethod
    def of(cls, state: State) -> CaseState:
        values: dict[str, Any] = {k: tuple(v) if k in LISTS else v for k, v in state.items()}
        return cls(**values)

    def state(self) -> State:
        return {k: list(v) if k in LISTS else v for k, v in asdict(self).items()}


COLUMNS = tuple(f.name for f in fields(CaseState))
#: The columns holding lists (as JSON text in the ``cases`` table).
LISTS = frozenset({"experts", "feedback_ratings", "commitments", "follow_ups"})


def state_row(state: State) -> dict[str, Any]:
    """The ``cases`` row of a state (lists as JSON text)."""
    return {
        k: json.dumps(list(state[k]), ensure_ascii=False) if k in LISTS else state[k]
        for k in COLUMNS
    }


_BLANK = CaseState("", "", "", "", "", "", None, "").state()


def new_state(case_id: str, position: int, on: str, d: dict[str, Any]) -> State:
    """The state right after ``CaseOpened``, as a dict."""
    return _BLANK | {
        "id": case_id,
        "number": d["number"],
        "municipality": d["municipality_code"],
        "topic": d["topic"],
        "summary": d["summary"],
        "channel": d["channel"],
        "contact": d.get("contact"),
        "opened_on": on,
        "last_activity_on": on,
        "last_activity_kind": OPENING,
        "last_position": position,
        "experts": [],
        "feedback_ratings": [],
        "commitments": [],
        "follow_ups": [],
    }


def step(s: State, kind: str, position: int, on: str, d: dict[str, Any]) -> None:
    """Move a state dict on by one fact that comes later in business-date order (a
    correction or withdrawal moves nothing: it has amended the facts it names)."""
    move = STEPS.get(kind)
    if move is None:
        return
    move(s, d, on)
    s["last_activity_on"] = on
    s["last_activity_kind"] = kind
    s["last_position"] = position


def opened(case_id: str, position: int, on: str, d: dict[str, Any]) -> CaseState:
    """The state right after ``CaseOpened``."""
    return CaseState.of(new_state(case_id, position, on, d))


def advance(state: CaseState, kind: str, position: int, on: str, d: dict[str, Any]) -> CaseState:
    """The state after one more fact, which comes later in business-date order."""
    s = state.state()
    step(s, kind, position, on, d)
    return CaseState.of(s)


def fold_state(facts: Iterable[tuple[str, int, str, str, dict[str, Any]]]) -> State | None:
    """A case's state dict from its facts ``(case_id, position, kind, on, data)`` in order."""
    s: State | None = None
    for case_id, position, kind, on, data in facts:
        if kind == OPENING:
            s = new_state(case_id, position, on, data)
        elif s is not None:
            step(s, kind, position, on, data)
    return s


def fold(facts: Iterable[tuple[str, int, str, str, dict[str, Any]]]) -> CaseState | None:
    """A case's state from its facts ``(case_id, position, kind, on, data)`` in order."""
    s = fold_state(facts)
    return None if s is None else CaseState.of(s)
