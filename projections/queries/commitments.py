"""Who owes what to whom, by when: the open commitments of open cases, and the feedback asked
for and not yet given.

``open_commitments`` is what ``case show``, the briefing, the TUI and the digest (``banso
digest --for OWNER``, its due-soon list) read; each row names its owner the way
``tracker.domain.owners`` reads one typed.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.casestate import CaseState
from projections.queries.common import AsOf, case_states, expert_names, rows
from tracker.domain.owners import Owner


def commitment_row(
    case: CaseState, c: dict[str, Any], day: date, municipality_name: str, experts: dict[str, str]
) -> dict[str, Any]:
    """One commitment of a case as a row, its clock read on ``day``."""
    owner = Owner.of(c)
    due = date.fromisoformat(c["due"]) if c["due"] else None
    return {
        "case": case.number,
        "case_id": case.id,
        "municipality": case.municipality,
        "municipality_name": municipality_name,
        "summary": case.summary,
        "number": c["number"],
        "text": c["text"],
        "owner": owner.key,
        "owner_kind": owner.kind,
        "member": c["member"],
        "expert": c["expert"],
        "expert_name": experts.get(c["expert"]) if c["expert"] else None,
        "due": c["due"],
        "made_on": c["made_on"],
        "state": c["state"],
        "settled_on": c["settled_on"],
        "note": c["note"],
        "overdue": c["state"] == "open" and due is not None and due < day,
        "days_left": (due - day).days if due is not None and c["state"] == "open" else None,
    }


def owner_of(row: dict[str, Any]) -> Owner:
    """The owner of a commitment row (``commitment_row``)."""
    return Owner.of({"owner": row["owner_kind"], "member": row["member"], "expert": row["expert"]})


def open_commitments(
    conn: sqlite3.Connection,
    as_of: date | None = None,
    owner: Owner | None = None,
    *,
    municipality: str | None = None,
) -> list[dict[str, Any]]:
    """The open commitments of the cases open on ``as_of`` (default today), of ``owner``
    only if given (the whole secretariat includes its members and the municipality:
    ``Owner.includes``), of one municipality if given: soonest due first, those without a
    due date last."""
    day = AsOf.of(as_of)
    # A case with no commitment now never had one: the rest need not be folded.
    where, params = "commitments != '[]'", []
    if municipality is not None:
        where += " AND municipality = ?"
        params.append(municipality)
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    experts = expert_names(conn)
    found = [
        commitment_row(case, c, day.day, names.get(case.municipality, case.municipality), experts)
        for case in case_states(conn, day, where=where, params=params, open_only=True)
        for c in case.open_commitments
        if owner is None or owner.includes(Owner.of(c))
    ]
    found.sort(key=lambda r: (r["due"] is None, r["due"] or "", r["case"], r["number"]))
    return found


def feedback_awaited(conn: sqlite3.Connection, as_of: date | None = None) -> list[dict[str, Any]]:
    """Closed cases whose feedback was asked for at their closing and has not come by
    ``as_of``: the longest waiting first."""
    day = AsOf.of(as_of)
    if day.current:
        found = rows(
            conn,
            "SELECT c.number AS 'case', c.id AS case_id, c.municipality,"
            " COALESCE(m.name, c.municipality) AS municipality_name, c.summary,"
            " c.feedback_requested_on AS requested_on"
            " FROM cases c LEFT JOIN municipalities m ON m.code = c.municipality"
            " WHERE c.feedback_requested_on IS NOT NULL",
        )
    else:  # asked at a closing on or before the day, with no feedback nor reopening since
        found = rows(
            conn,
            "SELECT f.case_number AS 'case', f.case_id, f.municipality,"
            " COALESCE(m.name, f.municipality) AS municipality_name, c.summary,"
            " f.occurred_on AS requested_on FROM facts f"
            " JOIN cases c ON c.id = f.case_id"
            " LEFT JOIN municipalities m ON m.code = f.municipality"
            " WHERE f.kind = 'CaseClosed' AND f.occurred_on <= ?"
            " AND f.data ->> 'feedback_requested'"
            " AND NOT EXISTS (SELECT 1 FROM facts g WHERE g.case_id = f.case_id"
            "   AND g.kind IN ('FeedbackReceived', 'CaseReopened') AND g.occurred_on <= ?"
            "   AND (g.occurred_on, g.position) > (f.occurred_on, f.position))",
            (day.iso, day.iso),
        )
    for r in found:
        r["days"] = (day.day - date.fromisoformat(r["requested_on"])).days
    found.sort(key=lambda r: (r["requested_on"], r["case"]))
    return found
