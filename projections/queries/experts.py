"""``banso expert list`` / ``expert show``: the registry, with each expert's work."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date
from typing import Any

from projections.queries.common import AsOf, case_states, expert_names, rows
from projections.queries.timeline import entry
from tracker.domain.errors import UnknownExpertError
from tracker.domain.fiscal import fiscal_year, fiscal_year_bounds


def list_experts(conn: sqlite3.Connection, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every expert with specialties, open cases and visits this fiscal year."""
    day = AsOf.of(as_of)
    start, end = fiscal_year_bounds(fiscal_year(day.day))
    experts = rows(conn, "SELECT * FROM experts ORDER BY expert_id")
    visits = dict(
        conn.execute(
            "SELECT fe.expert_id, COUNT(*) FROM fact_experts fe JOIN facts f USING (position)"
            " WHERE f.kind = 'VisitReported' AND f.occurred_on BETWEEN ? AND ?"
            " GROUP BY fe.expert_id",
            (start.isoformat(), min(end, day.day).isoformat()),
        ).fetchall()
    )
    open_cases = Counter(e for s in case_states(conn, day, open_only=True) for e in s.experts)
    # A retirement dated after the day is not known yet on that day.
    retired = {
        e["expert_id"]: e["retired_on"]
        for e in experts
        if e["retired_on"] is not None and e["retired_on"] <= day.iso
    }
    return [
        {
            "expert": e["expert_id"],
            "name": e["name"],
            "specialties": json.loads(e["specialties"]),
            "background": e["background"],
            "retired": e["expert_id"] in retired,
            "retired_on": retired.get(e["expert_id"]),
            "open_cases": open_cases.get(e["expert_id"], 0),
            "visits_this_year": visits.get(e["expert_id"], 0),
        }
        for e in experts
    ]


def show_expert(
    conn: sqlite3.Connection, expert_id: str, as_of: date | None = None, lang: str = "ja"
) -> dict[str, Any]:
    """One expert: profile and every dispatch and visit they took part in."""
    day = AsOf.of(as_of)
    found = [e for e in list_experts(conn, as_of) if e["expert"] == expert_id]
    if not found:  # not registered (or not recorded by the day asked about)
        raise UnknownExpertError(expert=expert_id)
    expert = found[0]
    history = rows(
        conn,
        "SELECT f.kind, f.occurred_on, f.case_number, f.data, f.recorded_at, f.recorded_by,"
        " f.municipality FROM fact_experts fe JOIN facts f USING (position)"
        " WHERE fe.expert_id = ? AND f.occurred_on <= ? ORDER BY f.occurred_on, f.position",
        (expert_id, day.iso),
    )
    names = expert_names(conn)
    expert["history"] = [
        entry(f, lang, names) | {"municipality": f["municipality"]} for f in history
    ]
    return expert


def open_cases_of(
    conn: sqlite3.Connection, expert_id: str, as_of: date | None = None
) -> list[dict[str, Any]]:
    """The open cases an expert is on, or owes an open commitment on, at the end of
    ``as_of``, oldest first: what a handover of theirs hands on."""
    day = AsOf.of(as_of)
    if day.current:  # today's experts and commitments columns name them; a past day's fold decides
        quoted = f'"{expert_id}"'
        states = case_states(
            conn,
            day,
            where="(instr(experts, ?) OR instr(commitments, ?))",
            params=(quoted, quoted),
            open_only=True,
        )
    else:
        states = case_states(conn, day, open_only=True)
    return [
        {
            "case": s.number,
            "id": s.id,
            "municipality": s.municipality,
            "summary": s.summary,
            "on_case": expert_id in s.experts,  # else only owing on it
        }
        for s in sorted(states, key=lambda s: (s.opened_on, s.number))
        if expert_id in s.experts or any(c["expert"] == expert_id for c in s.open_commitments)
    ]
