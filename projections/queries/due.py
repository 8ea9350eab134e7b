"""``banso due``: what comes due within the next N office days, beside the stall list.

A dispatch decision is due on the last day its clock stays within the rule book's
threshold (the 7th office day after the application, by default); a follow-up on its due
date. What is already past due is on the stall list instead (decision-overdue,
follow-up-overdue). Each row names its owners, the people a reminder goes to
(``owners.py``).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.casestate import CaseState
from projections.owners import SECRETARIAT, case_owners
from projections.queries.common import AsOf, case_states, retired_experts, rows
from projections.queries.settings import rule_settings
from tracker.domain.office_days import add_office_days, office_days_between
from tracker.domain.rulebook import RuleSettings

#: What can come due, in the order rows of one day are listed.
DUE_KINDS = ("decision", "follow-up")


def due_soon(
    conn: sqlite3.Connection,
    as_of: date | None = None,
    within: int | None = None,
    settings: RuleSettings | None = None,
) -> list[dict[str, Any]]:
    """Decisions and follow-ups of open cases coming due from ``as_of`` (default today) to
    ``within`` office days later (default: the rule book's ``due.within``), soonest first."""
    day = AsOf.of(as_of)
    settings = settings or rule_settings(conn, day.day)
    horizon = add_office_days(day.day, settings.due_within if within is None else within)
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    retired = retired_experts(conn, day)
    if day.current:  # today's columns rule out most open cases; a past day's fold decides
        not_late = settings.latest_overdue_start("decision-overdue", day.day).isoformat()
        cases = case_states(
            conn,
            day,
            where="(application_pending_since > ? OR follow_up_due BETWEEN ? AND ?)",
            params=(not_late, day.iso, horizon.isoformat()),
            open_only=True,
        )
    else:
        cases = case_states(conn, day, open_only=True)
    found = []
    for case in cases:
        for kind, due, text, owners in _coming(case, day.day, settings, retired):
            if due <= horizon:
                found.append(
                    {
                        "case": case.number,
                        "case_id": case.id,
                        "municipality": case.municipality,
                        "municipality_name": names.get(case.municipality, case.municipality),
                        "kind": kind,
                        "due": due.isoformat(),
                        "office_days_left": office_days_between(day.day, due),
                        "owners": owners,
                        "text": text,
                        "topic": case.topic,
                        "summary": case.summary,
                    }
                )
    found.sort(key=lambda r: (r["due"], DUE_KINDS.index(r["kind"]), r["case"]))
    return found


def _coming(
    case: CaseState, day: date, settings: RuleSettings, retired: dict[str, str]
) -> list[tuple[str, date, str, list[str]]]:
    """What of one case is not late yet on ``day``: (kind, due, text, owners)."""
    found = []
    pending = case.application_pending_since
    if pending and not settings.overdue("decision-overdue", date.fromisoformat(pending), day):
        due = settings.due_on("decision-overdue", date.fromisoformat(pending))
        found.append(("decision", max(due, day), "", [SECRETARIAT]))
    if case.follow_up_due and case.follow_up_due >= day.isoformat():
        owners = case_owners(case, retired)
        found.append(
            ("follow-up", date.fromisoformat(case.follow_up_due), case.follow_up_note or "", owners)
        )
    return found
