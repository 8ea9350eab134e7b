"""``banso stalled``: every open case that is stalling, one row per case and rule."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from projections.queries.common import (
    AsOf,
    case_states,
    resolve_contact,
    rows,
    tenures,
    tenures_by_municipality,
)
from projections.rules import DEFAULT, RULES, Thresholds, stalls


def stalled(
    conn: sqlite3.Connection, as_of: date | None = None, thresholds: Thresholds = DEFAULT
) -> list[dict[str, Any]]:
    """Stalling cases on ``as_of`` (default today), grouped by rule, longest first."""
    day = AsOf.of(as_of)
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    if day.current:  # the current columns can rule out most open cases before Python looks
        where, params = _may_stall(day.day, thresholds)
        cases = case_states(conn, day, where=where, params=params, open_only=True)
    else:
        cases = case_states(conn, day, open_only=True)
    named = {c.municipality for c in cases if c.contact}
    contacts = tenures_by_municipality(tenures(conn, day, named))
    found = []
    for case in cases:
        _, left_on = resolve_contact(contacts.get(case.municipality, []), case.contact)
        for stall in stalls(case, day.day, contact_left_on=left_on, thresholds=thresholds):
            found.append(
                {
                    "case": case.number,
                    "case_id": case.id,
                    "municipality": case.municipality,
                    "municipality_name": names.get(case.municipality, case.municipality),
                    "rule": stall.rule,
                    "since": stall.since.isoformat(),
                    "days": stall.days(day.day),
                    "topic": case.topic,
                    "summary": case.summary,
                }
            )
    found.sort(key=lambda r: (RULES.index(r["rule"]), -r["days"], r["case"]))
    return found


def _may_stall(day: date, t: Thresholds) -> tuple[str, tuple[str, ...]]:
    """SQL over the ``cases`` columns that keeps every case some rule could list on ``day``
    (a superset: ``rules.stalls`` decides)."""

    def before(days: int) -> str:
        return (day - timedelta(days=days)).isoformat()

    return (
        "(application_pending_since <= ? OR follow_up_due < ? OR commitment_due < ?"
        " OR (last_activity_kind IN ('VisitReported', 'CommitmentMade') AND last_visit_on <= ?)"
        " OR last_activity_on <= ?"
        " OR (contact IS NOT NULL AND EXISTS (SELECT 1 FROM contacts t"
        "     WHERE t.municipality = cases.municipality AND t.name = cases.contact"
        "     AND t.end_on IS NOT NULL AND t.end_on <= ?)))",
        (
            before(t.decision_days + 1),
            day.isoformat(),
            day.isoformat(),
            before(t.one_off_days + 1),
            before(t.dormant_days + 1),
            day.isoformat(),
        ),
    )
