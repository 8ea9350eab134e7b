"""The record tables: cases, visits, commitments, follow-ups, feedback, outreach,
municipalities, contacts.

Each row leads with what people look a record up by (the case number, the date, the
municipality's code and name); the UUID, if asked for, comes last.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from projections.describe import owner_label
from projections.exports.table import Column, Options, Table, day, yes_no
from projections.queries.common import AsOf, expert_names, rows, tenures
from projections.queries.municipalities import list_municipalities
from tracker.domain.inputs import today
from tracker.domain.owners import Owner
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
        "SELECT f.position, f.kind, f.version, f.occurred_on, f.case_id, f.case_number,"
        " f.municipality,"
        " COALESCE(m.name, f.municipality) AS municipality_name, f.data, f.recorded_by"
        " FROM facts f LEFT JOIN municipalities m ON m.code = f.municipality"
        f" WHERE f.kind IN ({marks}) ORDER BY f.occurred_on, f.position",
        kinds,
    )
    for r in found:
        r["data"] = json.loads(r["data"])
    return found


def visits(conn: sqlite3.Connection, options: Options) -> Table:
    """Every visit (support given) with its report and next steps, oldest first."""
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
                SEPARATOR.join([*f["data"]["next_steps"], *steps]),
                f["recorded_by"],
                f["case_id"],
            )
            for f, steps in _with_their_steps(_facts(conn, "VisitReported", "CommitmentMade"))
        ],
    )


def _with_their_steps(found: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str]]]:
    """Each visit with the commitments made at it: those that name it (``visit``, its entry
    number), and, recorded before commitments named their visit (no ``visit`` at all in
    their data), those its command saved right after it, at the next positions of the log."""
    named: dict[tuple[str, int], list[str]] = {}
    for f in found:
        if f["kind"] == "CommitmentMade" and f["data"].get("visit") is not None:
            named.setdefault((f["case_id"], f["data"]["visit"]), []).append(f["data"]["text"])
    by_position = {f["position"]: f for f in found}
    visits = []
    for f in found:
        if f["kind"] != "VisitReported":
            continue
        steps, position = named.get((f["case_id"], f["version"]), []), f["position"] + 1
        while (step := by_position.get(position)) is not None:
            if (
                step["kind"] != "CommitmentMade"
                or step["case_id"] != f["case_id"]
                or "visit" in step["data"]  # named above if this visit's
            ):
                break
            steps.append(step["data"]["text"])
            position += 1
        visits.append((f, steps))
    return visits


def commitments(conn: sqlite3.Connection, options: Options) -> Table:
    """Every commitment (約束): who owes what, by when, and what became of it; by case and
    number."""
    lang, names, now = options.lang, expert_names(conn), today().isoformat()
    found = rows(
        conn,
        "SELECT c.number, c.id, c.municipality, c.commitments,"
        " COALESCE(m.name, c.municipality) AS municipality_name FROM cases c"
        " LEFT JOIN municipalities m ON m.code = c.municipality"
        " WHERE c.commitments != '[]' ORDER BY c.opened_on, c.number",
    )
    columns = (
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("commitment", "int"),
        Column("made_on", "date"),
        Column("promise"),
        Column("owner"),
        Column("due", "date"),
        Column("commitment_state"),
        Column("settled_on", "date"),
        Column("settled_note"),
        Column("case_id", is_id=True),
    )
    table_rows = []
    for r in found:
        for c in sorted(json.loads(r["commitments"]), key=lambda c: c["number"]):
            state = c["state"]
            if state == "open" and c["due"] and c["due"] < now:
                state = "overdue"
            table_rows.append(
                (
                    r["number"],
                    r["municipality"],
                    r["municipality_name"],
                    c["number"],
                    day(c["made_on"]),
                    c["text"],
                    owner_label(Owner.of(c), lang, names),
                    day(c["due"]),
                    say(f"sheet.commitment.{state}", lang),
                    day(c["settled_on"]),
                    c["note"],
                    r["id"],
                )
            )
    return Table("commitments", columns, table_rows)


def follow_ups(conn: sqlite3.Connection, options: Options) -> Table:
    """Every follow-up planned, by its number within its case, and what became of it: done
    (when), cancelled, still planned (perhaps moved to a new date), overdue, ended when its
    case closed, or (planned before numbering) replaced by a later plan."""
    lang, now = options.lang, today()
    planned: list[dict[str, Any]] = []
    pending: dict[tuple[str, int], dict[str, Any]] = {}
    last: dict[str, int] = defaultdict(int)
    ends = {"FollowUpDone": "done", "FollowUpCancelled": "cancelled", "CaseClosed": "case_closed"}
    for f in _facts(conn, "FollowUpScheduled", "FollowUpRescheduled", *ends):
        case, kind, number = f["case_id"], f["kind"], f["data"].get("number")
        mine = sorted(n for c, n in pending if c == case)
        if kind == "FollowUpScheduled":
            if number is None:  # planned before numbering: it replaced the one pending
                number = mine[-1] if mine else last[case] + 1
                if mine:
                    pending.pop((case, number))["state"] = "replaced"
            last[case] = max(last[case], number)
            row = {**f, "number": number, "due": f["data"]["due"], "state": "pending"}
            pending[(case, number)] = row | {"done_on": None, "done_note": None}
            planned.append(pending[(case, number)])
        elif kind == "FollowUpRescheduled":
            if (case, number) in pending:
                pending[(case, number)]["due"] = f["data"]["due"]
        else:  # done, cancelled (None: every one pending), or the case closed
            for n in mine if number is None else [number]:
                if (case, n) in pending:
                    over = pending.pop((case, n))
                    note = None if kind == "CaseClosed" else f["data"].get("note")
                    over.update(state=ends[kind], done_on=f["occurred_on"], done_note=note)
    for p in pending.values():
        if p["due"] < now.isoformat():
            p["state"] = "overdue"
    columns = (
        _CASE,
        _MUNI,
        _MUNI_NAME,
        Column("follow_up", "int"),
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
                p["number"],
                day(p["occurred_on"]),
                day(p["due"]),
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
