"""``banso stalled``: every open case that is stalling, one row per case and rule."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from pydantic_core import from_json

from projections.casestate import CaseState
from projections.queries.common import (
    AsOf,
    case_states,
    chains_broken,
    resolve_contact,
    retired_experts,
    tenures,
    tenures_by_municipality,
)
from projections.queries.settings import rule_settings
from projections.rules import RULES, expert_left_on, stalls
from tracker.domain.rulebook import RuleSettings


def stalled(
    conn: sqlite3.Connection, as_of: date | None = None, settings: RuleSettings | None = None
) -> list[dict[str, Any]]:
    """Stalling cases on ``as_of`` (default today), grouped by rule, longest first, by the
    rule settings in force that day (or ``settings``)."""
    day = AsOf.of(as_of)
    settings = settings or rule_settings(conn, day.day)
    names = dict(conn.execute("SELECT code, name FROM municipalities"))
    retired = retired_experts(conn, day)
    cases: Sequence[_Candidate] | Sequence[CaseState]
    if day.current:  # the current columns can rule out most open cases before Python looks
        cases = _candidates(conn, day.day, settings, retired)
    else:
        cases = case_states(conn, day, open_only=True)
    broken = chains_broken(conn, day, ((c.municipality, c.contact) for c in cases))
    contacts = tenures_by_municipality(tenures(conn, day, broken)) if broken else {}
    found = []
    for case in cases:
        _, left_on = resolve_contact(contacts.get(case.municipality, []), case.contact)
        for stall in stalls(
            case,
            day.day,
            contact_left_on=left_on,
            expert_left_on=expert_left_on(case, retired),
            settings=settings,
        ):
            found.append(
                {
                    "case": case.number,
                    "case_id": case.id,
                    "municipality": case.municipality,
                    "municipality_name": names.get(case.municipality, case.municipality),
                    "rule": stall.rule,
                    "since": stall.since.isoformat(),
                    "days": stall.days(day.day, settings),
                    "day_kind": settings.day_kind(stall.rule),
                    "topic": case.topic,
                    "summary": case.summary,
                }
            )
    found.sort(key=lambda r: (RULES.index(r["rule"]), -r["days"], r["case"]))
    return found


class _Candidate(NamedTuple):
    """The current columns of an open case that the rules and the listing read: decoding
    every column of every candidate into a ``CaseState`` (its commitments' and follow-ups'
    JSON above all) took as long as the rest of ``stalled``. A named tuple: a frozen
    dataclass set each of its fields through ``object.__setattr__``, half of the time
    spent on each candidate."""

    experts: tuple[str, ...]  # JSON text in ``cases``
    id: str
    number: str
    municipality: str
    topic: str
    summary: str
    contact: str | None
    status: str
    last_activity_on: str
    last_activity_kind: str
    last_visit_on: str | None
    application_pending_since: str | None
    follow_up_due: str | None
    commitment_due: str | None


_CANDIDATE_COLUMNS = ", ".join(_Candidate._fields)


def _candidates(
    conn: sqlite3.Connection, day: date, settings: RuleSettings, retired: dict[str, str]
) -> list[_Candidate]:
    """The open cases some rule could list on ``day`` (today), read from their columns."""
    where, params = _may_stall(day, settings, retired)
    found = conn.execute(
        f"SELECT {_CANDIDATE_COLUMNS} FROM cases WHERE {where} AND status = 'open'", params
    )
    make, experts = _Candidate._make, _Parsed()
    return [make((experts[row[0]], *row[1:])) for row in found]


class _Parsed(dict[str, tuple[str, ...]]):
    """Experts' lists by their JSON text, each parsed once: most cases share theirs with
    others (one expert on the case), and parsing each was a sixth of the stall list."""

    def __missing__(self, text: str) -> tuple[str, ...]:
        self[text] = parsed = tuple(from_json(text))
        return parsed


def _may_stall(
    day: date, settings: RuleSettings, retired: dict[str, str]
) -> tuple[str, tuple[str, ...]]:
    """SQL over the ``cases`` columns that keeps every case some rule could list on ``day``
    (a superset: ``rules.stalls`` decides)."""

    def start(rule: str) -> str:
        return settings.latest_overdue_start(rule, day).isoformat()

    # A case's experts are a JSON list of ids: a retired one shows as its quoted id.
    left = "".join(f" OR instr(experts, '\"{e}\"')" for e in sorted(retired) if e.isalnum())
    return (
        "(application_pending_since <= ? OR follow_up_due <= ? OR commitment_due <= ?"
        " OR (last_activity_kind IN ('VisitReported', 'CommitmentMade') AND last_visit_on <= ?)"
        " OR last_activity_on <= ?"
        f"{left}"
        " OR (contact IS NOT NULL AND EXISTS (SELECT 1 FROM contacts t"
        "     WHERE t.municipality = cases.municipality AND t.name = cases.contact"
        "     AND t.end_on IS NOT NULL AND t.end_on <= ?)))",
        (
            start("decision-overdue"),
            start("follow-up-overdue"),
            start("commitment-overdue"),
            start("one-off"),
            start("dormant"),
            day.isoformat(),
        ),
    )
