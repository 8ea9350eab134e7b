"""The record tables: cases, visits, follow-ups, feedback, outreach, municipalities, contacts.

Each row leads with what people look a record up by (the case number, the date, the
municipality's code and name); the UUID, if asked for, comes last.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from projections.exports.table import Column, Options, Table, day, yes_no
from projections.queries.common import AsOf, expert_names, rows, tenures
from projections.queries.municipalities import list_municipalities
from tracker.domain.inputs import today
from tracker.domain.topics import topic_label
from tracker.language import say

#: Between the items of a list in one cell (experts, next steps).
SEPARATOR = " / "

_CASE, _MUNI, _MUNI_NAME = Column("case"), Column("municipality"), Column("municipality_name")


def _experts(ids: list[str], names: dict[str, str]) -> str:
    return SEPARATOR.join(f"{e} {names[e]}" if e in names else e for e in ids)


def cases(conn: sqlite3.Connection, options: Options) -> Table:
    """Every case as it stands today, newest first (a withdrawn case is none of them)."""
    lang, names = options.lang, expert_names(conn)
    found = rows(
        conn,
        "SELECT c.*, COALESCE(m.name, c.municipality) AS municipality_name FROM cases c"
        " LEFT JOIN municipalities m ON m.code = c.municipality WHERE c.status != 'withdrawn'"
        " ORDER BY c.opened_on DESC, c.number DESC",
    )
    columns = (
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("topic"),
        Column("status"),
        Column("opened_on", "date"),
        Column("channel"),
        Column("summary"),
        Column("contact"),
        Column("experts"),
        Column("visits", "int"),
        Column("last_activity_on", "date"),
        Column("next_follow_up", "date"),
        Column("closed_on", "date"),
        Column("resolution"),
        Column("id", is_id=True),
    )
    return Table(
        "cases",
        columns,
        [
            (
                r["number"],
                r["municipality"],
                r["municipality_name"],
                topic_label(r["topic"], lang),
                say(f"status.{r['status']}", lang),
                day(r["opened_on"]),
                say(f"channel.{r['channel']}", lang),
                r["summary"],
                r["contact"],
                _experts(json.loads(r["experts"]), names),
                r["visits"],
                day(r["last_activity_on"]),
                day(r["follow_up_due"]),
                day(r["closed_on"]),
                say(f"resolution.{r['resolution']}", lang) if r["resolution"] else None,
                r["id"],
            )
            for r in found
        ],
    )


def _facts(conn: sqlite3.Connection, *kinds: str) -> list[dict[str, Any]]:
    """Facts of ``kinds`` in business-date order, with their municipality's name and data."""
    marks = ",".join("?" * len(kinds))
    found = rows(
        conn,
        "SELECT f.kind, f.occurred_on, f.case_id, f.case_number, f.municipality,"
        " COALESCE(m.name, f.municipality) AS municipality_name, f.data, f.recorded_by"
        " FROM facts f LEFT JOIN municipalities m ON m.code = f.municipality"
        f" WHERE f.kind IN ({marks}) ORDER BY f.occurred_on, f.position",
        kinds,
    )
    for r in found:
        r["data"] = json.loads(r["data"])
    return found


def visits(conn: sqlite3.Connection, options: Options) -> Table:
    """Every visit (support given) with its report, oldest first."""
    lang, names = options.lang, expert_names(conn)
    columns = (
        Column("date", "date"),
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("online"),
        Column("experts"),
        Column("report"),
        Column("next_steps"),
        Column("recorded_by"),
        Column("case_id", is_id=True),
    )
    return Table(
        "visits",
        columns,
        [
            (
                day(f["occurred_on"]),
                f["case_number"],
                f["municipality"],
                f["municipality_name"],
                yes_no(f["data"]["online"], lang),
                _experts(f["data"]["experts"], names),
                f["data"]["report"],
                SEPARATOR.join(f["data"]["next_steps"]),
                f["recorded_by"],
                f["case_id"],
            )
            for f in _facts(conn, "VisitReported")
        ],
    )


def follow_ups(conn: sqlite3.Connection, options: Options) -> Table:
    """Every follow-up planned, and what became of it: done (when), replaced by a later
    plan, still planned, overdue, or left when its case closed."""
    lang, now = options.lang, today()
    planned: list[dict[str, Any]] = []
    pending: dict[str, dict[str, Any]] = {}
    closed: dict[str, bool] = defaultdict(bool)
    for f in _facts(conn, "FollowUpScheduled", "FollowUpDone", "CaseClosed", "CaseReopened"):
        case, kind = f["case_id"], f["kind"]
        if kind == "FollowUpScheduled":
            if case in pending:
                pending[case]["state"] = "replaced"
            pending[case] = {**f, "state": "pending", "done_on": None, "done_note": None}
            planned.append(pending[case])
        elif kind == "FollowUpDone" and case in pending:
            done = pending.pop(case)
            done.update(state="done", done_on=f["occurred_on"], done_note=f["data"].get("note"))
        else:
            closed[case] = kind == "CaseClosed"
    for case, p in pending.items():
        if closed[case]:
            p["state"] = "case_closed"
        elif p["data"]["due"] < now.isoformat():
            p["state"] = "overdue"
    columns = (
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("planned_on", "date"),
        Column("due", "date"),
        Column("note"),
        Column("follow_up_state"),
        Column("done_on", "date"),
        Column("done_note"),
        Column("recorded_by"),
        Column("case_id", is_id=True),
    )
    return Table(
        "follow-ups",
        columns,
        [
            (
                p["case_number"],
                p["municipality"],
                p["municipality_name"],
                day(p["occurred_on"]),
                day(p["data"]["due"]),
                p["data"].get("note"),
                say(f"sheet.follow_up.{p['state']}", lang),
                day(p["done_on"]),
                p["done_note"],
                p["recorded_by"],
                p["case_id"],
            )
            for p in planned
        ],
    )


def feedback(conn: sqlite3.Connection, options: Options) -> Table:
    """Every rating a municipality gave the support it got (1-5), oldest first."""
    columns = (
        Column("date", "date"),
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("rating", "int"),
        Column("comment"),
        Column("recorded_by"),
        Column("case_id", is_id=True),
    )
    return Table(
        "feedback",
        columns,
        [
            (
                day(f["occurred_on"]),
                f["case_number"],
                f["municipality"],
                f["municipality_name"],
                f["data"]["rating"],
                f["data"].get("comment"),
                f["recorded_by"],
                f["case_id"],
            )
            for f in _facts(conn, "FeedbackReceived")
        ],
    )


def outreach(conn: sqlite3.Connection, options: Options) -> Table:
    """Every outreach contact (digital café, hearing, visit), oldest first."""
    columns = (
        Column("date", "date"),
        _MUNI,
        _MUNI_NAME,
        Column("kind"),
        Column("note"),
        Column("recorded_by"),
    )
    return Table(
        "outreach",
        columns,
        [
            (
                day(f["occurred_on"]),
                f["municipality"],
                f["municipality_name"],
                say(f"outreach.{f['data']['kind']}", options.lang),
                f["data"].get("note"),
                f["recorded_by"],
            )
            for f in _facts(conn, "OutreachRecorded")
        ],
    )


def municipalities(conn: sqlite3.Connection, options: Options) -> Table:
    """Every municipality with its figures, open cases, last engagement and contacts."""
    columns = (
        Column("code"),
        Column("name", words="muni_name"),
        Column("name_kana"),
        Column("prefecture"),
        Column("population", "int"),
        Column("it_staff", "int"),
        Column("open_cases", "int"),
        Column("last_engagement", "date"),
        Column("contacts"),
    )
    return Table(
        "municipalities",
        columns,
        [
            (
                m["code"],
                m["name"],
                m["name_kana"],
                m["prefecture"],
                m["population"],
                m["it_staff"],
                m["open_cases"],
                day(m["last_engagement"]),
                SEPARATOR.join(c["name"] for c in m["contacts"]),
            )
            for m in list_municipalities(conn)
        ],
    )


def contacts(conn: sqlite3.Connection, options: Options) -> Table:
    """Every contact tenure, current and past, by municipality."""
    names = {r["code"]: r["name"] for r in rows(conn, "SELECT code, name FROM municipalities")}
    columns = (
        _MUNI,
        _MUNI_NAME,
        Column("name", words="person"),
        Column("role"),
        Column("email", personal=True),
        Column("phone", personal=True),
        Column("start_on", "date"),
        Column("end_on", "date"),
        Column("predecessor"),
        Column("successor"),
    )
    return Table(
        "contacts",
        columns,
        [
            (
                t.municipality,
                names.get(t.municipality, t.municipality),
                t.name,
                t.role,
                t.email,
                t.phone,
                day(t.start_on),
                day(t.end_on),
                t.predecessor,
                t.successor,
            )
            for t in tenures(conn, AsOf.of(None))
        ],
    )
