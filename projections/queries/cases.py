"""``banso case list`` / ``case show``: cases, and one case whole with its history."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import Any, Literal, get_args

from projections.casestate import OPENING, CaseState
from projections.queries.common import (
    AsOf,
    case_states,
    expert_names,
    one,
    resolve_contact,
    retired_experts,
    rows,
    tenures,
)
from projections.queries.settings import rule_settings
from projections.queries.timeline import ENTRY_COLUMNS, entry, with_withdrawn
from projections.rules import expert_left_on, stalls

#: Follow-ups that fall due within this many days of the day asked about are due soon
#: (the TUI's dashboard lists them).
DUE_DAYS = 14

StatusFilter = Literal["open", "closed", "withdrawn", "all"]
#: Which cases a list shows, in the order ``banso case list --status`` and the TUI offer them
#: ("all": every case but the withdrawn, which only "withdrawn" lists).
STATUS_FILTERS: tuple[StatusFilter, ...] = get_args(StatusFilter)


def list_cases(
    conn: sqlite3.Connection,
    *,
    municipality: str | None = None,
    status: str = "open",
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Cases (open, closed, withdrawn or all), newest first."""
    day = AsOf.of(as_of)
    if day.current:
        return _current_cases(conn, municipality, status)
    if status == "withdrawn":  # withdrawn on every day: those opened by then
        found = _current_cases(conn, municipality, status)
        return [c for c in found if c["opened_on"] <= day.iso]
    where, params = ("municipality = ?", (municipality,)) if municipality else ("1 = 1", ())
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    states = case_states(conn, day, where=where, params=params, open_only=status == "open")
    if status == "closed":
        states = [s for s in states if s.status == "closed"]
    states.sort(key=lambda s: (s.opened_on, s.number), reverse=True)
    return [
        {
            "case": s.number,
            "id": s.id,
            "municipality": s.municipality,
            "municipality_name": names.get(s.municipality, s.municipality),
            "topic": s.topic,
            "status": s.status,
            "opened_on": s.opened_on,
            "summary": s.summary,
            "experts": list(s.experts),
            "last_activity_on": s.last_activity_on,
            "next_follow_up": s.follow_up_due,
        }
        for s in states
    ]


def follow_ups_due(
    conn: sqlite3.Connection, as_of: date | None = None, days: int = DUE_DAYS
) -> list[dict[str, Any]]:
    """Open cases whose follow-up falls due from the day asked about to ``days`` days later,
    soonest first (rows as ``list_cases`` gives them)."""
    day = AsOf.of(as_of)
    first, last = day.iso, (day.day + timedelta(days=days)).isoformat()
    due = [
        c
        for c in list_cases(conn, status="open", as_of=as_of)
        if c["next_follow_up"] and first <= c["next_follow_up"] <= last
    ]
    return sorted(due, key=lambda c: (c["next_follow_up"], c["case"]))


def _current_cases(
    conn: sqlite3.Connection, municipality: str | None, status: str
) -> list[dict[str, Any]]:
    """Today's list straight from the ``cases`` columns, sorted by SQLite: the same rows as
    folding past states, without building 80,000 of them for a national list."""
    where, params = ["1 = 1"], []
    if municipality:
        where.append("c.municipality = ?")
        params.append(municipality)
    if status == "open":  # a few: through the status index
        where.append("c.status = 'open'")
    elif status == "closed":  # most of them: reading the table is quicker than the index
        where.append("+c.status = 'closed'")
    elif status == "withdrawn":
        where.append("c.status = 'withdrawn'")
    else:
        where.append("+c.status != 'withdrawn'")
    found = rows(
        conn,
        "SELECT c.number AS 'case', c.id, c.municipality,"
        " COALESCE(m.name, c.municipality) AS municipality_name, c.topic, c.status,"
        " c.opened_on, c.summary, c.experts, c.last_activity_on,"
        " c.follow_up_due AS next_follow_up"
        " FROM cases c LEFT JOIN municipalities m ON m.code = c.municipality"
        f" WHERE {' AND '.join(where)} ORDER BY c.opened_on DESC, c.number DESC",
        params,
    )
    for r in found:
        r["experts"] = json.loads(r["experts"])
    return found


def case_state(
    conn: sqlite3.Connection, case_id: str, as_of: date | None = None
) -> CaseState | None:
    """One case's state at the end of ``as_of`` (None if not opened by then)."""
    found = case_states(conn, AsOf.of(as_of), where="id = ?", params=(case_id,))
    return found[0] if found else None


def show_case(
    conn: sqlite3.Connection, case_id: str, as_of: date | None = None, lang: str = "ja"
) -> dict[str, Any] | None:
    """One case whole: who, what, where it stands, what each rule says, and its history
    (its corrections and withdrawals among it). A withdrawn case shows as it was recorded,
    with status ``withdrawn`` and ``withdrawal`` (who, when, why)."""
    day = AsOf.of(as_of)
    withdrawal = _withdrawal(conn, case_id)
    if withdrawal is None:
        state = case_state(conn, case_id, as_of)
    else:
        found = rows(conn, "SELECT * FROM cases WHERE id = ?", (case_id,))
        state = CaseState.from_row(found[0])
    if state is None:
        return None
    names = expert_names(conn)
    settings = rule_settings(conn, day.day)
    muni = rows(conn, "SELECT name FROM municipalities WHERE code = ?", (state.municipality,))
    holder, left_on = resolve_contact(tenures(conn, day, state.municipality), state.contact)
    history = rows(
        conn,
        f"SELECT {ENTRY_COLUMNS} FROM facts"
        " WHERE case_id = ? AND occurred_on <= ? ORDER BY occurred_on, position",
        (case_id, day.iso),
    )
    history = with_withdrawn(conn, history, "case_id = ?", case_id, day)
    return {
        "case": state.number,
        "id": state.id,
        "municipality": state.municipality,
        "municipality_name": muni[0]["name"] if muni else state.municipality,
        "topic": state.topic,
        "summary": state.summary,
        "channel": state.channel,
        "status": state.status,
        "resolution": state.resolution,
        "opened_on": state.opened_on,
        "closed_on": state.closed_on,
        "contact": holder,
        "original_contact": state.contact,
        "contact_left_on": left_on,
        "experts": [{"id": e, "name": names.get(e, e)} for e in state.experts],
        "next_follow_up": state.follow_up_due,
        "follow_up_note": state.follow_up_note,
        "application_pending_since": state.application_pending_since,
        "latest_report": state.latest_report,
        "next_steps": list(state.next_steps),
        "last_activity_on": state.last_activity_on,
        "visits": state.visits,
        "stalls": [
            {
                "rule": s.rule,
                "since": s.since.isoformat(),
                "days": s.days(day.day, settings),
                "day_kind": settings.day_kind(s.rule),
            }
            for s in stalls(
                state,
                day.day,
                contact_left_on=left_on,
                expert_left_on=expert_left_on(state, retired_experts(conn, day)),
                settings=settings,
            )
        ],
        "withdrawal": withdrawal,
        "history": [entry(f, lang, names) for f in history],
    }


def _withdrawal(conn: sqlite3.Connection, case_id: str) -> dict[str, Any] | None:
    """Who withdrew a withdrawn case, when and why (None for a case not withdrawn)."""
    return one(
        conn,
        "SELECT f.version AS entry, f.occurred_on AS date, f.recorded_at, f.recorded_by,"
        " f.data ->> 'reason' AS reason FROM withdrawn_facts w JOIN facts f"
        " ON f.case_id = w.case_id AND f.version = w.withdrawn_by"
        f" WHERE w.case_id = ? AND w.kind = '{OPENING}'",
        (case_id,),
    )
