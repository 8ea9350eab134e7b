"""``banso stalled``: every open case that is stalling, one row per case and rule."""

from __future__ import annotations

import sqlite3
from datetime import date
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
