"""The projection: applies events, through their handlers, to an open read-model transaction.

Handlers (``handlers.py``) read an event's stored state (its JSON shape, upcast to the
current version): the read models consume the same public contract that export and import
carry. Writes are gathered per batch and flushed together; ``ReadModels`` commits them with
the new tracking position, so a batch is applied exactly once or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from projections import amend, decisions
from projections.casestate import LISTS, State, new_state, state_row, step
from projections.facts import Fact, fact_from_state
from projections.kinds import ENGAGEMENT_KINDS, HANDLERS, ITS_EXPERT_KINDS
from projections.profiles import profiles


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
        #: Cases whose decisions are paired again at the flush (``projections.decisions``).
        self.unpaired: set[str] = set()
        self.engaged: dict[str, str] = {}
        self._muni_codes: dict[str, str] = {}
        #: People's details were erased in this batch: the read models that held them
        #: are rebuilt, their old pages zeroed (``ReadModels.erase``).
        self.erased = False

    def apply(self, kind: str, originator_id: str, state: dict[str, Any], position: int) -> None:
        """Apply one stored event: its kind (class name), aggregate id and state."""
        HANDLERS[kind](self, kind, originator_id, state, position)

    def fact(
        self, kind: str, originator_id: str, state: dict[str, Any], position: int, **about: Any
    ) -> Fact:
        """The event's fact, kept for this batch; ``about`` names its municipality and case."""
        fact = fact_from_state(kind, originator_id, state, position, **about)
        if kind in ITS_EXPERT_KINDS:
            fact.experts = (self._expert_id(originator_id),)
        if kind in ENGAGEMENT_KINDS and fact.municipality is not None:
            self._engage(fact.municipality, fact.occurred_on)
        if self.record_facts:
            self.facts.append(fact)
        return fact

    def _engage(self, code: str, on: str) -> None:
        if on > self.engaged.get(code, ""):
            self.engaged[code] = on

    def _expert_id(self, originator_id: str) -> str:
        row = self.conn.execute("SELECT expert_id FROM experts WHERE id = ?", (originator_id,))
        return str(row.fetchone()[0])

    # ---- municipalities ------------------------------------------------------------------

    def municipality_known(self, originator_id: str, code: str) -> None:
        """A municipality just registered: its code, for its later events."""
        self._muni_codes[originator_id] = code

    def municipality_code(self, originator_id: str) -> str:
        """The code of the municipality whose aggregate id this is."""
        code = self._muni_codes.get(originator_id)
        if code is None:
            row = self.conn.execute(
                "SELECT code FROM municipalities WHERE id = ?", (originator_id,)
            ).fetchone()
            code = self._muni_codes[originator_id] = row[0]
        return code

    # ---- cases ---------------------------------------------------------------------------

    def open_case(self, opening: Fact) -> None:
        """A case's state from its opening fact."""
        self._keep(
            new_state(opening.originator_id, opening.position, opening.occurred_on, opening.data)
        )

    def move_case(self, kind: str, oid: str, state: dict[str, Any], position: int) -> None:
        """A later event of a case: its fact, and the case's state moved on by it."""
        case = self.case(oid)
        fact = self.fact(
            kind,
            oid,
            state,
            position,
            municipality=case["municipality"],
            case_number=case["number"],
        )
        if kind in decisions.PAIRED_KINDS:
            self.unpaired.add(oid)
        later = (fact.occurred_on, position) >= (case["last_activity_on"], case["last_position"])
        if later and case["status"] != "withdrawn":
            step(case, kind, position, fact.occurred_on, fact.data)
        else:  # a late entry: fold the case again in business-date order
            self.flush_facts()
            case = amend.case_state(self.conn, oid)
        self._keep(case)

    def _keep(self, case: State) -> None:
        self.cases[case["id"]] = case
        self.dirty_cases.add(case["id"])

    def case(self, case_id: str) -> State:
        """A case's state as the read models have it so far (this batch's changes too)."""
        case = self.cases.get(case_id)
        if case is None:
            cursor = self.conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,))
            names = [d[0] for d in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
            for name in LISTS:
                row[name] = json.loads(row[name])
            case = self.cases[case_id] = row
        return case

    # ---- corrections and withdrawals -----------------------------------------------------

    def amend(self, position: int, code: str) -> None:
        """Apply the amendment at ``position`` (its fact gathered) to the entry it names, and
        bring what depends on that entry up to date: its case's state, its municipality's
        figures and last engagement (which the amendment may move back)."""
        self.flush_facts()
        self._flush_engagement()
        case_id = amend.amend(self.conn, position)
        if case_id is not None:
            self._keep(amend.case_state(self.conn, case_id))
            self.unpaired.add(case_id)
        figures = profiles(self.conn, code=code).get(code, {})
        last = self.conn.execute(
            "SELECT MAX(occurred_on) FROM facts WHERE municipality = ?"
            f" AND kind IN ({','.join('?' * len(ENGAGEMENT_KINDS))})",
            (code, *sorted(ENGAGEMENT_KINDS)),
        ).fetchone()[0]
        self.conn.execute(
            "UPDATE municipalities SET population = ?, it_staff = ?, last_engagement_on = ?"
            " WHERE code = ?",
            (figures.get("population"), figures.get("it_staff"), last, code),
        )

    def amend_contacts(self, code: str, kind: str, state: dict[str, Any]) -> None:
        """The contact tenures a municipality's amendment changes."""
        amend.amend_contacts(self.conn, code, kind, state)

    # ---- writing -------------------------------------------------------------------------

    def flush_facts(self) -> None:
        """Write the facts gathered so far (for a handler that reads facts back)."""
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
        decisions.pair_cases(self.conn, self.unpaired)
        self.unpaired.clear()
        _insert_many(
            self.conn,
            "cases",
            [state_row(self.cases[i]) for i in self.dirty_cases],
            verb="INSERT OR REPLACE",
        )
        self.dirty_cases.clear()
        self._flush_engagement()

    def _flush_engagement(self) -> None:
        """Move each municipality's last engagement on to the latest gathered."""
        self.conn.executemany(
            "UPDATE municipalities SET last_engagement_on = ? WHERE code = ?"
            " AND (last_engagement_on IS NULL OR last_engagement_on < ?)",
            [(on, code, on) for code, on in self.engaged.items()],
        )
        self.engaged.clear()
