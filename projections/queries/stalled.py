"""``banso stalled``: every open case that is stalling, one row per case and rule."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.queries.common import (
    AsOf,
    case_states,
    resolve_contact,
    retired_experts,
    rows,
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
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    retired = retired_experts(conn, day)
    if day.current:  # the current columns can rule out most open cases before Python looks
        where, params = _may_stall(day.day, settings, retired)
        cases = case_states(conn, day, where=where, params=params, open_only=True)
    else:
        cases = case_states(conn, day, open_only=True)
    named = {c.municipality for c in cases if c.contact}
    contacts = tenures_by_municipality(tenures(conn, day, named))
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
        "(application_pending_since <= ? OR follow_up_due <= ?"
        " OR (last_activity_kind = 'VisitReported' AND last_visit_on <= ?)"
        " OR last_activity_on <= ?"
        f"{left}"
        " OR (contact IS NOT NULL AND EXISTS (SELECT 1 FROM contacts t"
        "     WHERE t.municipality = cases.municipality AND t.name = cases.contact"
        "     AND t.end_on IS NOT NULL AND t.end_on <= ?)))",
        (
            start("decision-overdue"),
            start("follow-up-overdue"),
            start("one-off"),
            start("dormant"),
            day.isoformat(),
        ),
    )
