"""The projection: one small handler per event, writing into an open read-model transaction.

Writes are gathered per batch and flushed together; ``ReadModels`` commits them with the
new tracking position, so a batch is applied exactly once or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from events.base import DomainEvent
from events.case import CaseOpened
from events.expert import ExpertRegistered, ExpertRetired
from events.municipality import (
    ContactAssigned,
    ContactTransferred,
    MunicipalityProfileUpdated,
    MunicipalityRegistered,
    OutreachRecorded,
)
from events.sequence import NumberIssued
from projections.casestate import CaseState, advance, fold, opened
from projections.facts import CASE_KINDS, Fact, fact_of


def municipality_row(event: MunicipalityRegistered) -> dict[str, Any]:
    """The municipalities row a registration creates."""
    return {
        "code": event.code,
        "id": str(event.originator_id),
        "name": event.name,
        "name_kana": event.name_kana,
        "prefecture": event.prefecture,
        "kind": event.kind,
        "population": event.population,
        "it_staff": None,
        "registered_on": event.occurred_on.isoformat(),
        "last_engagement_on": None,
    }


def expert_row(event: ExpertRegistered) -> dict[str, Any]:
    """The experts row a registration creates."""
    return {
        "expert_id": event.expert_id,
        "id": str(event.originator_id),
        "name": event.name,
        "specialties": json.dumps(list(event.specialties), ensure_ascii=False),
        "background": event.background,
        "registered_on": event.occurred_on.isoformat(),
        "retired_on": None,
    }


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


class Projection:
    """Applies events, in log order, to the read models through ``conn``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.facts: list[Fact] = []
        self.cases: dict[str, CaseState] = {}
        self.dirty_cases: set[str] = set()
        self.engaged: dict[str, str] = {}
        self._muni_codes: dict[str, str] = {}

    def handle(self, event: DomainEvent, position: int) -> None:
        handler = HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event, position)
        elif type(event).__name__ in CASE_KINDS:
            self.on_case_event(event, position)

    # ---- municipalities ------------------------------------------------------------------

    def municipality_code(self, originator_id: str) -> str:
        code = self._muni_codes.get(originator_id)
        if code is None:
            row = self.conn.execute(
                "SELECT code FROM municipalities WHERE id = ?", (originator_id,)
            ).fetchone()
            code = self._muni_codes[originator_id] = row[0]
        return code

    def on_registered(self, event: MunicipalityRegistered, position: int) -> None:
        _insert(self.conn, "municipalities", municipality_row(event))
        self._muni_codes[str(event.originator_id)] = event.code
        self.facts.append(fact_of(event, position))

    def on_profile_updated(self, event: MunicipalityProfileUpdated, position: int) -> None:
        code = self.municipality_code(str(event.originator_id))
        for column in ("it_staff", "population"):
            value = getattr(event, column)
            if value is not None:
                self.conn.execute(
                    f"UPDATE municipalities SET {column} = ? WHERE code = ?", (value, code)
                )
        self.facts.append(fact_of(event, position, municipality=code))

    def on_contact_assigned(self, event: ContactAssigned, position: int) -> None:
        code = self.municipality_code(str(event.originator_id))
        _insert(
            self.conn,
            "contacts",
            {
                "municipality": code,
                "name": event.name,
                "role": event.role,
                "email": event.email,
                "phone": event.phone,
                "start_on": event.occurred_on.isoformat(),
            },
        )
        self.facts.append(fact_of(event, position, municipality=code))

    def on_contact_transferred(self, event: ContactTransferred, position: int) -> None:
        code = self.municipality_code(str(event.originator_id))
        on = event.occurred_on.isoformat()
        tenure = self.conn.execute(
            "SELECT id, role, email, phone FROM contacts WHERE municipality = ? AND name = ?"
            " AND end_on IS NULL ORDER BY id DESC LIMIT 1",
            (code, event.name),
        ).fetchone()
        self.conn.execute(
            "UPDATE contacts SET end_on = ?, successor = ? WHERE id = ?",
            (on, event.successor, tenure[0]),
        )
        if event.successor:
            _insert(
                self.conn,
                "contacts",
                {
                    "municipality": code,
                    "name": event.successor,
                    "role": tenure[1],
                    "start_on": on,
                    "predecessor": event.name,
                },
            )
        self.facts.append(fact_of(event, position, municipality=code))

    def on_outreach(self, event: OutreachRecorded, position: int) -> None:
        code = self.municipality_code(str(event.originator_id))
        self._engage(code, event.occurred_on.isoformat())
        self.facts.append(fact_of(event, position, municipality=code))

    def _engage(self, code: str, on: str) -> None:
        self.engaged[code] = max(self.engaged.get(code, on), on)

    # ---- experts -------------------------------------------------------------------------

    def on_expert_registered(self, event: ExpertRegistered, position: int) -> None:
        _insert(self.conn, "experts", expert_row(event))
        self.facts.append(fact_of(event, position))

    def on_expert_retired(self, event: ExpertRetired, position: int) -> None:
        self.conn.execute(
            "UPDATE experts SET retired_on = ? WHERE id = ?",
            (event.occurred_on.isoformat(), str(event.originator_id)),
        )
        row = self.conn.execute(
            "SELECT expert_id FROM experts WHERE id = ?", (str(event.originator_id),)
        ).fetchone()
        fact = fact_of(event, position)
        fact.experts = (row[0],)
        self.facts.append(fact)

    def on_number_issued(self, event: NumberIssued, position: int) -> None:
        """Numbers show on the cases and experts they name; the sequence itself has no view."""

    # ---- cases ---------------------------------------------------------------------------

    def on_case_opened(self, event: CaseOpened, position: int) -> None:
        fact = fact_of(event, position)
        self.facts.append(fact)
        state = opened(fact.originator_id, position, fact.occurred_on, fact.data)
        self._keep(state)

    def on_case_event(self, event: DomainEvent, position: int) -> None:
        case_id = str(event.originator_id)
        state = self._case(case_id)
        fact = fact_of(event, position, municipality=state.municipality, case_number=state.number)
        self.facts.append(fact)
        if (fact.occurred_on, position) >= state.sort_key:
            state = advance(state, fact.kind, position, fact.occurred_on, fact.data)
        else:  # a late entry: fold the case again in business-date order
            self.flush_facts()
            state = self._refold(case_id)
        self._keep(state)

    def _keep(self, state: CaseState) -> None:
        self.cases[state.id] = state
        self.dirty_cases.add(state.id)
        self._engage(state.municipality, state.last_activity_on)

    def _case(self, case_id: str) -> CaseState:
        state = self.cases.get(case_id)
        if state is None:
            cursor = self.conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,))
            names = [d[0] for d in cursor.description]
            state = CaseState.from_row(dict(zip(names, cursor.fetchone(), strict=True)))
            self.cases[case_id] = state
        return state

    def _refold(self, case_id: str) -> CaseState:
        rows = self.conn.execute(
            "SELECT case_id, position, kind, occurred_on, data FROM facts WHERE case_id = ?"
            " ORDER BY occurred_on, position",
            (case_id,),
        )
        state = fold((c, p, k, o, json.loads(d)) for c, p, k, o, d in rows)
        assert state is not None
        return state

    # ---- writing -------------------------------------------------------------------------

    def flush_facts(self) -> None:
        if not self.facts:
            return
        rows = [f.row() for f in self.facts]
        columns = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO facts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )
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
        if self.dirty_cases:
            rows = [self.cases[i].row() for i in self.dirty_cases]
            columns = list(rows[0])
            self.conn.executemany(
                f"INSERT OR REPLACE INTO cases ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                [tuple(r.values()) for r in rows],
            )
            self.dirty_cases.clear()
        self.conn.executemany(
            "UPDATE municipalities SET last_engagement_on = ? WHERE code = ?"
            " AND (last_engagement_on IS NULL OR last_engagement_on < ?)",
            [(on, code, on) for code, on in self.engaged.items()],
        )
        self.engaged.clear()


Handler = Callable[[Projection, Any, int], None]

HANDLERS: dict[type[DomainEvent], Handler] = {
    MunicipalityRegistered: Projection.on_registered,
    MunicipalityProfileUpdated: Projection.on_profile_updated,
    ContactAssigned: Projection.on_contact_assigned,
    ContactTransferred: Projection.on_contact_transferred,
    OutreachRecorded: Projection.on_outreach,
    ExpertRegistered: Projection.on_expert_registered,
    ExpertRetired: Projection.on_expert_retired,
    NumberIssued: Projection.on_number_issued,
    CaseOpened: Projection.on_case_opened,
}
