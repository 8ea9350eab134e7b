"""The projection: one small handler per event, writing into an open read-model transaction.

Handlers read an event's stored state (its JSON shape, upcast to the current version):
the read models consume the same public contract that export and import carry. Writes
are gathered per batch and flushed together; ``ReadModels`` commits them with the new
tracking position, so a batch is applied exactly once or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from events.expert import ExpertRegistered
from events.municipality import MunicipalityRegistered
from projections.casestate import State, fold_state, new_state, state_row, step
from projections.facts import CASE_KINDS, Fact, fact_from_state
from projections.profiles import profiles


def municipality_row(event: MunicipalityRegistered) -> dict[str, Any]:
    """The municipalities row a registration creates."""
    return _municipality_row(str(event.originator_id), event.model_dump(mode="json"))


def _municipality_row(originator_id: str, d: dict[str, Any]) -> dict[str, Any]:
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


def expert_row(event: ExpertRegistered) -> dict[str, Any]:
    """The experts row a registration creates."""
    return _expert_row(str(event.originator_id), event.model_dump(mode="json"))


def _expert_row(originator_id: str, d: dict[str, Any]) -> dict[str, Any]:
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


def _insert_many(
    conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]], verb: str = "INSERT"
) -> None:
    if rows:
        columns = list(rows[0])
        conn.executemany(
            f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )


class Projection:
    """Applies events, in log order, to the read models through ``conn``."""

    def __init__(self, conn: sqlite3.Connection, *, record_facts: bool = True) -> None:
        self.conn = conn
        self.record_facts = record_facts  # False: the bulk rebuild writes the facts itself
        self.facts: list[Fact] = []
        self.cases: dict[str, State] = {}
        self.dirty_cases: set[str] = set()
        self.engaged: dict[str, str] = {}
        self._muni_codes: dict[str, str] = {}

    def apply(self, kind: str, originator_id: str, state: dict[str, Any], position: int) -> None:
        """Apply one stored event: its kind (class name), aggregate id and state."""
        handler = HANDLERS.get(kind)
        if handler is not None:
            handler(self, originator_id, state, position)
        elif kind in CASE_KINDS:
            self.on_case_event(kind, originator_id, state, position)

    def _fact(
        self, kind: str, originator_id: str, state: dict[str, Any], position: int, **about: Any
    ) -> Fact:
        fact = fact_from_state(kind, originator_id, state, position, **about)
        if self.record_facts:
            self.facts.append(fact)
        return fact

    # ---- municipalities ------------------------------------------------------------------

    def municipality_code(self, originator_id: str) -> str:
        code = self._muni_codes.get(originator_id)
        if code is None:
            row = self.conn.execute(
                "SELECT code FROM municipalities WHERE id = ?", (originator_id,)
            ).fetchone()
            code = self._muni_codes[originator_id] = row[0]
        return code

    def on_registered(self, oid: str, state: dict[str, Any], position: int) -> None:
        _insert(self.conn, "municipalities", _municipality_row(oid, state))
        self._muni_codes[oid] = state["code"]
        self._fact("MunicipalityRegistered", oid, state, position)

    def on_profile_updated(self, oid: str, state: dict[str, Any], position: int) -> None:
        code = self.municipality_code(oid)
        self._fact("MunicipalityProfileUpdated", oid, state, position, municipality=code)
        self.flush_facts()  # updates apply in business-date order, late entries included
        figures = profiles(self.conn, code=code)[code]
        self.conn.execute(
            "UPDATE municipalities SET population = ?, it_staff = ? WHERE code = ?",
            (figures["population"], figures["it_staff"], code),
        )

    def on_contact_assigned(self, oid: str, state: dict[str, Any], position: int) -> None:
        code = self.municipality_code(oid)
        _insert(
            self.conn,
            "contacts",
            {
                "municipality": code,
                "name": state["name"],
                "role": state["role"],
                "email": state.get("email"),
                "phone": state.get("phone"),
                "start_on": state["occurred_on"],
            },
        )
        self._fact("ContactAssigned", oid, state, position, municipality=code)

    def on_contact_transferred(self, oid: str, state: dict[str, Any], position: int) -> None:
        code = self.municipality_code(oid)
        on, successor = state["occurred_on"], state.get("successor")
        tenure = self.conn.execute(
            "SELECT id, role FROM contacts WHERE municipality = ? AND name = ?"
            " AND end_on IS NULL ORDER BY id DESC LIMIT 1",
            (code, state["name"]),
        ).fetchone()
        self.conn.execute(
            "UPDATE contacts SET end_on = ?, successor = ? WHERE id = ?", (on, successor, tenure[0])
        )
        if successor:
            _insert(
                self.conn,
                "contacts",
                {
                    "municipality": code,
                    "name": successor,
                    "role": tenure[1],
                    "start_on": on,
                    "predecessor": state["name"],
                },
            )
        self._fact("ContactTransferred", oid, state, position, municipality=code)

    def on_outreach(self, oid: str, state: dict[str, Any], position: int) -> None:
        code = self.municipality_code(oid)
        self._engage(code, state["occurred_on"])
        self._fact("OutreachRecorded", oid, state, position, municipality=code)

    def _engage(self, code: str, on: str) -> None:
        if on > self.engaged.get(code, ""):
            self.engaged[code] = on

    # ---- experts -------------------------------------------------------------------------

    def on_expert_registered(self, oid: str, state: dict[str, Any], position: int) -> None:
        _insert(self.conn, "experts", _expert_row(oid, state))
        self._fact("ExpertRegistered", oid, state, position)

    def on_expert_retired(self, oid: str, state: dict[str, Any], position: int) -> None:
        self.conn.execute(
            "UPDATE experts SET retired_on = ? WHERE id = ?", (state["occurred_on"], oid)
        )
        row = self.conn.execute("SELECT expert_id FROM experts WHERE id = ?", (oid,)).fetchone()
        self._fact("ExpertRetired", oid, state, position).experts = (row[0],)

    def on_number_issued(self, oid: str, state: dict[str, Any], position: int) -> None:
        """Numbers show on the cases and experts they name; the sequence itself has no view."""

    # ---- cases ---------------------------------------------------------------------------

    def on_case_opened(self, oid: str, state: dict[str, Any], position: int) -> None:
        fact = self._fact("CaseOpened", oid, state, position)
        self._keep(new_state(oid, position, fact.occurred_on, fact.data))

    def on_case_event(self, kind: str, oid: str, state: dict[str, Any], position: int) -> None:
        case = self._case(oid)
        fact = self._fact(
            kind,
            oid,
            state,
            position,
            municipality=case["municipality"],
            case_number=case["number"],
        )
        if (fact.occurred_on, position) >= (case["last_activity_on"], case["last_position"]):
            step(case, kind, position, fact.occurred_on, fact.data)
        else:  # a late entry: fold the case again in business-date order
            self.flush_facts()
            case = self._refold(oid)
        self._keep(case)

    def _keep(self, case: State) -> None:
        self.cases[case["id"]] = case
        self.dirty_cases.add(case["id"])
        self._engage(case["municipality"], case["last_activity_on"])

    def _case(self, case_id: str) -> State:
        case = self.cases.get(case_id)
        if case is None:
            cursor = self.conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,))
            names = [d[0] for d in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
            for name in ("experts", "next_steps", "feedback_ratings"):
                row[name] = json.loads(row[name])
            case = self.cases[case_id] = row
        return case

    def _refold(self, case_id: str) -> State:
        rows = self.conn.execute(
            "SELECT case_id, position, kind, occurred_on, data FROM facts WHERE case_id = ?"
            " ORDER BY occurred_on, position",
            (case_id,),
        )
        case = fold_state((c, p, k, o, json.loads(d)) for c, p, k, o, d in rows)
        assert case is not None
        return case

    # ---- writing -------------------------------------------------------------------------

    def flush_facts(self) -> None:
        if not self.facts:
            return
        _insert_many(self.conn, "facts", [f.row() for f in self.facts])
        self.conn.executemany(
            "INSERT INTO facts_fts (rowid, text) VALUES (?, ?)",
            [(f.position, f.text) for f in self.facts if f.text],
        )
        self.conn.executemany(
            "INSERT INTO fact_experts (expert_id, position) VALUES (?, ?)",
            [(e, f.position) for f in self.facts for e in f.experts],
        )
        self.facts.clear()

    def flush(self) -> None:
        """Write everything gathered in this batch (the caller commits)."""
        self.flush_facts()
        _insert_many(
            self.conn,
            "cases",
            [state_row(self.cases[i]) for i in self.dirty_cases],
            verb="INSERT OR REPLACE",
        )
        self.dirty_cases.clear()
        self.conn.executemany(
            "UPDATE municipalities SET last_engagement_on = ? WHERE code = ?"
            " AND (last_engagement_on IS NULL OR last_engagement_on < ?)",
            [(on, code, on) for code, on in self.engaged.items()],
        )
        self.engaged.clear()


Handler = Callable[[Projection, str, dict[str, Any], int], None]

HANDLERS: dict[str, Handler] = {
    "MunicipalityRegistered": Projection.on_registered,
    "MunicipalityProfileUpdated": Projection.on_profile_updated,
    "ContactAssigned": Projection.on_contact_assigned,
    "ContactTransferred": Projection.on_contact_transferred,
    "OutreachRecorded": Projection.on_outreach,
    "ExpertRegistered": Projection.on_expert_registered,
    "ExpertRetired": Projection.on_expert_retired,
    "NumberIssued": Projection.on_number_issued,
    "CaseOpened": Projection.on_case_opened,
}
