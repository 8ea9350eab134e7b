"""What each event does to the read models: one small handler a kind.

A handler gets the batch's ``Projection`` (its connection, and the facts, cases and
engagement it gathers), the event's kind, aggregate id, stored state and position.
``kinds.py`` names the handler of each kind. Every event's fact is made through
``Projection.fact``; the handlers write what else the event changes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from projections.profiles import profiles

if TYPE_CHECKING:
    from projections.projection import Projection

Handler = Callable[["Projection", str, str, dict[str, Any], int], None]
"""A handler: the projection, the kind, the aggregate id, the state, the position."""


def municipality_row(originator_id: str, d: dict[str, Any]) -> dict[str, Any]:
    """The municipalities row a registration's state creates."""
    return {
        "code": d["code"],
        "id": originator_id,
        "name": d["name"],
        "name_kana": d["name_kana"],
        "prefecture": d["prefecture"],
        "kind": d["kind"],
        "population": d["population"],
        "it_staff": None,
        "registered_on": d["occurred_on"],
        "last_engagement_on": None,
    }


def expert_row(originator_id: str, d: dict[str, Any]) -> dict[str, Any]:
    """The experts row a registration's state creates."""
    return {
        "expert_id": d["expert_id"],
        "id": originator_id,
        "name": d["name"],
        "specialties": json.dumps(list(d["specialties"]), ensure_ascii=False),
        "background": d["background"],
        "registered_on": d["occurred_on"],
        "retired_on": None,
    }


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


# ---- municipalities ----------------------------------------------------------------------


def municipality_registered(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    _insert(p.conn, "municipalities", municipality_row(oid, state))
    p.municipality_known(oid, state["code"])
    p.fact(kind, oid, state, position)


def municipality_profile_updated(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    code = p.municipality_code(oid)
    p.fact(kind, oid, state, position, municipality=code)
    p.flush_facts()  # updates apply in business-date order, late entries included
    figures = profiles(p.conn, code=code)[code]
    p.conn.execute(
        "UPDATE municipalities SET population = ?, it_staff = ? WHERE code = ?",
        (figures["population"], figures["it_staff"], code),
    )


def contact_assigned(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    code = p.municipality_code(oid)
    _insert(
        p.conn,
        "contacts",
        {
            "municipality": code,
            "name": state["name"],
            "role": state["role"],
            "email": state.get("email"),
            "phone": state.get("phone"),
            "start_on": state["occurred_on"],
            "entry": state["originator_version"],
        },
    )
    p.fact(kind, oid, state, position, municipality=code)


def contact_transferred(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    code = p.municipality_code(oid)
    on, successor = state["occurred_on"], state.get("successor")
    tenure = p.conn.execute(
        "SELECT id, role FROM contacts WHERE municipality = ? AND name = ?"
        " AND end_on IS NULL ORDER BY id DESC LIMIT 1",
        (code, state["name"]),
    ).fetchone()
    p.conn.execute(
        "UPDATE contacts SET end_on = ?, successor = ?, ended_by = ? WHERE id = ?",
        (on, successor, state["originator_version"], tenure[0]),
    )
    if successor:
        _insert(
            p.conn,
            "contacts",
            {
                "municipality": code,
                "name": successor,
                "role": tenure[1],
                "start_on": on,
                "predecessor": state["name"],
                "entry": state["originator_version"],
            },
        )
    p.fact(kind, oid, state, position, municipality=code)


def contact_forgotten(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    """People's details erased: every row that held them must go, securely
    (``ReadModels`` rebuilds once the batch is in: ``Projection.erased``)."""
    p.erased = True
    p.fact(kind, oid, state, position, municipality=p.municipality_code(oid))


def municipality_entry_amended(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    """A correction or withdrawal of one of the municipality's entries: the contact
    tenures it changes, its fact, and (once the facts are written) the entry's fact."""
    code = p.municipality_code(oid)
    p.amend_contacts(code, kind, state)
    p.fact(kind, oid, state, position, municipality=code)
    if p.record_facts:  # else the bulk rebuild: it amends the facts once they are all in
        p.amend(position, code)


def of_municipality(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    """An event that shows only as its fact about the municipality (an outreach)."""
    p.fact(kind, oid, state, position, municipality=p.municipality_code(oid))


# ---- experts -----------------------------------------------------------------------------


def expert_registered(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    _insert(p.conn, "experts", expert_row(oid, state))
    p.fact(kind, oid, state, position)


def expert_retired(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    p.conn.execute("UPDATE experts SET retired_on = ? WHERE id = ?", (state["occurred_on"], oid))
    p.fact(kind, oid, state, position)


# ---- topics ------------------------------------------------------------------------------


def topic_registered(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    _insert(
        p.conn,
        "topics",
        {
            "code": state["code"],
            "name": state["name"],
            "name_en": state.get("name_en"),
            "registered_on": state["occurred_on"],
        },
    )
    p.fact(kind, oid, state, position)


def rule_setting_changed(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    """A rule setting from its effective day on: kept whole, so any day's settings can be
    read back (``queries/settings.py``)."""
    _insert(
        p.conn,
        "rule_settings",
        {
            "position": position,
            "key": state["key"],
            "value": state["value"],
            "effective_on": state["occurred_on"],
            "recorded_by": state["recorded_by"],
        },
    )
    p.fact(kind, oid, state, position)


def no_view(p: Projection, kind: str, oid: str, state: dict[str, Any], position: int) -> None:
    """Numbers show on the cases and experts they name; the sequence itself has no view."""


# ---- cases -------------------------------------------------------------------------------


def case_opened(p: Projection, kind: str, oid: str, state: dict[str, Any], position: int) -> None:
    p.open_case(p.fact(kind, oid, state, position))


def case_entry_amended(
    p: Projection, kind: str, oid: str, state: dict[str, Any], position: int
) -> None:
    """A correction or withdrawal of one of the case's entries: its fact, the entry's fact
    amended, and the case folded again."""
    case = p.case(oid)
    p.fact(
        kind, oid, state, position, municipality=case["municipality"], case_number=case["number"]
    )
    p.amend(position, case["municipality"])


def of_case(p: Projection, kind: str, oid: str, state: dict[str, Any], position: int) -> None:
    """Any later event of a case: its fact, and the case's state moved on by its step."""
    p.move_case(kind, oid, state, position)
