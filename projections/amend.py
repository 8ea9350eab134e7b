"""Corrections and withdrawals in the read models: the entries they name, amended in place.

``facts`` holds every entry as amended. A correction rewrites its entry's fact (data,
business date, search text, experts) and marks it ``corrected_by`` the correction's entry
number; a withdrawal moves its entry's fact (for a case's opening: every entry of the
case) to ``withdrawn_facts``, which the timeline and the case still show and nothing else
reads. So every question asked of ``facts`` (stats, silent municipalities, search, the
experts' histories, the case fold) sees the amended record with no work of its own, and
the common path pays nothing: only the few amended entries are ever touched.

The amendment's own fact keeps, under ``data["target"]``, what its entry was before (the
original stays readable). The projection calls ``amend`` as each amendment arrives; the
bulk rebuild writes every fact first, then calls it for each amendment in log order, so
both make the same tables. ``amend_contacts`` does the same for the contact tenures a
municipality's amendment changes, from the tenures alone (the bulk rebuild applies it in
log order with the contacts' own events, before any fact is written).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic_core import to_json

from events.case import VisitReported
from projections.casestate import OPENING, State, fold_state
from projections.facts import experts_named, search_key
from projections.kinds import AMENDING_KINDS, EXPERTS_FIELDS, WITHDRAWING_KINDS
from tracker.domain.amending import CORRECTABLE, valid_changes

#: The columns of a fact, in ``facts``' order (``withdrawn_facts`` adds ``withdrawn_by``).
FACT_COLUMNS = (
    "position",
    "kind",
    "occurred_on",
    "recorded_at",
    "recorded_by",
    "originator_id",
    "version",
    "municipality",
    "case_id",
    "case_number",
    "text",
    "data",
    "corrected_by",
)
_COLUMNS = ", ".join(FACT_COLUMNS)
_AMENDING = ", ".join(f"'{kind}'" for kind in sorted(AMENDING_KINDS))
#: The kinds of entry an amendment may name (the domain refuses any other; a store made
#: otherwise is read as if the amendment named nothing).
AMENDABLE = {kind.__name__: kind for kind in CORRECTABLE}
#: The kind of entry whose withdrawal takes the commitments it made along.
VISIT = VisitReported.__name__


def amend(conn: sqlite3.Connection, position: int) -> str | None:
    """Apply the amendment whose fact is at ``position`` to the entry it names; returns the
    id of the case whose state must be folded again (None for a municipality's entry).
    An entry no longer in ``facts`` (withdrawn already), or of a kind no amendment may
    name, is left alone."""
    kind, case_id, municipality, oid, version, data = conn.execute(
        "SELECT kind, case_id, municipality, originator_id, version, data FROM facts"
        " WHERE position = ?",
        (position,),
    ).fetchone()
    d = json.loads(data)
    params: tuple[str, ...]
    if case_id is not None:
        where, params = "case_id = ?", (case_id,)
    else:  # the municipality's own entries (through its index, then its id)
        where, params = "municipality = ? AND originator_id = ?", (municipality, oid)
    target = conn.execute(
        f"SELECT position, kind, occurred_on, text, data FROM facts WHERE {where} AND version = ?",
        (*params, d["entry"]),
    ).fetchone()
    if target is None or target[1] not in AMENDABLE:
        return case_id
    if kind in WITHDRAWING_KINDS:
        d["target"] = _withdraw(conn, target, case_id, by=version, entry=d["entry"])
    elif valid_changes(AMENDABLE[target[1]], d.get("changes") or {}):
        d["target"] = _correct(conn, target, d, by=version)
    else:
        return case_id
    conn.execute("UPDATE facts SET data = ? WHERE position = ?", (_json(d), position))
    return case_id


def _withdraw(
    conn: sqlite3.Connection, target: tuple[Any, ...], case_id: str | None, by: int, entry: int
) -> dict[str, Any]:
    """Move the withdrawn entry (a case's opening: every entry of the case; a visit: with
    the commitments it made) out of ``facts``."""
    position, kind = target[0], target[1]
    if kind == OPENING and case_id is not None:
        found = conn.execute(
            f"SELECT position FROM facts WHERE case_id = ? AND kind NOT IN ({_AMENDING})",
            (case_id,),
        )
        positions = [p for (p,) in found]
    elif kind == VISIT and case_id is not None:
        positions = [position, *_made_with(conn, case_id, entry)]
    else:
        positions = [position]
    for p in positions:
        conn.execute(
            f"INSERT INTO withdrawn_facts ({_COLUMNS}, withdrawn_by)"
            f" SELECT {_COLUMNS}, ? FROM facts WHERE position = ?",
            (by, p),
        )
        _unindex(conn, p)
        conn.execute("DELETE FROM facts WHERE position = ?", (p,))
    return {"kind": kind}


def _made_with(conn: sqlite3.Connection, case_id: str, visit: int) -> list[int]:
    """The facts that go with visit entry ``visit`` of a case when it is withdrawn: the
    commitments it made and what settled them (``tracker.domain.amending.made_with``)."""
    made = conn.execute(
        "SELECT position, data ->> 'number' FROM facts WHERE case_id = ?"
        " AND kind = 'CommitmentMade' AND data ->> 'visit' = ?",
        (case_id, visit),
    ).fetchall()
    if not made:
        return []
    numbers = [number for _, number in made]
    settled = conn.execute(
        "SELECT position FROM facts WHERE case_id = ?"
        " AND kind IN ('CommitmentDone', 'CommitmentCancelled')"
        f" AND data ->> 'number' IN ({', '.join('?' * len(numbers))})",
        (case_id, *numbers),
    ).fetchall()
    return [p for p, _ in made] + [p for (p,) in settled]


def _correct(
    conn: sqlite3.Connection, target: tuple[Any, ...], d: dict[str, Any], by: int
) -> dict[str, Any]:
    """Rewrite the corrected entry's fact; what it said before, for the correction's own."""
    position, kind, on, _, data = target
    old = json.loads(data)
    changes = d.get("changes") or {}
    new = old | changes
    was: dict[str, Any] = {"kind": kind, "was": {k: old.get(k) for k in changes}}
    if d.get("entry_on"):
        was["was_on"] = on
        on = d["entry_on"]
    text = search_key(kind, new)
    experts_changed = bool(set(EXPERTS_FIELDS.get(kind, ())) & set(changes))
    _unindex(conn, position, experts=experts_changed)
    conn.execute(
        "UPDATE facts SET data = ?, occurred_on = ?, text = ?, corrected_by = ? WHERE position = ?",
        (_json(new), on, text, by, position),
    )
    if text:
        conn.execute("INSERT INTO facts_fts (rowid, text) VALUES (?, ?)", (position, text))
    if experts_changed:
        conn.executemany(
            "INSERT INTO fact_experts (expert_id, position) VALUES (?, ?)",
            [(e, position) for e in experts_named(kind, new)],
        )
    return was


def _unindex(conn: sqlite3.Connection, position: int, *, experts: bool = True) -> None:
    """Take a fact out of the search index (and, if ``experts``, the experts' histories)."""
    (text,) = conn.execute("SELECT text FROM facts WHERE position = ?", (position,)).fetchone()
    if text:
        conn.execute(
            "INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', ?, ?)",
            (position, text),
        )
    if experts:
        conn.execute("DELETE FROM fact_experts WHERE position = ?", (position,))


def case_state(conn: sqlite3.Connection, case_id: str) -> State:
    """A case's state folded from its facts as amended; a withdrawn case's, from the entries
    its withdrawal took, with status ``withdrawn``."""
    found = conn.execute(
        "SELECT case_id, position, kind, occurred_on, data FROM facts WHERE case_id = ?"
        " ORDER BY occurred_on, position",
        (case_id,),
    )
    state = fold_state((c, p, k, o, json.loads(d)) for c, p, k, o, d in found)
    if state is not None:
        return state
    found = conn.execute(
        "SELECT case_id, position, kind, occurred_on, data FROM withdrawn_facts"
        " WHERE case_id = ? AND withdrawn_by = (SELECT withdrawn_by FROM withdrawn_facts"
        f"  WHERE case_id = ? AND kind = '{OPENING}') ORDER BY occurred_on, position",
        (case_id, case_id),
    )
    state = fold_state((c, p, k, o, json.loads(d)) for c, p, k, o, d in found)
    assert state is not None, f"case {case_id} has no opening"
    state["status"] = "withdrawn"
    return state


def amend_contacts(conn: sqlite3.Connection, code: str, kind: str, d: dict[str, Any]) -> None:
    """Amend the contact tenures of municipality ``code`` that entry ``d["entry"]`` began
    (an assignment, or a transfer naming a successor) or ended (a transfer)."""
    entry = d["entry"]
    if kind in WITHDRAWING_KINDS:
        conn.execute(
            "UPDATE contacts SET end_on = NULL, successor = NULL, ended_by = NULL"
            " WHERE municipality = ? AND ended_by = ?",
            (code, entry),
        )
        conn.execute("DELETE FROM contacts WHERE municipality = ? AND entry = ?", (code, entry))
        return
    if d.get("entry_on"):
        for column, link in (("start_on", "entry"), ("end_on", "ended_by")):
            conn.execute(
                f"UPDATE contacts SET {column} = ? WHERE municipality = ? AND {link} = ?",
                (d["entry_on"], code, entry),
            )
    changes = d.get("changes") or {}
    for column in ("email", "phone"):
        if column in changes:
            conn.execute(
                f"UPDATE contacts SET {column} = ? WHERE municipality = ? AND entry = ?",
                (changes[column], code, entry),
            )
    if "role" in changes:  # successors took the role over: theirs is corrected too
        begun_by: int | None = entry
        while begun_by is not None:
            conn.execute(
                "UPDATE contacts SET role = ? WHERE municipality = ? AND entry = ?",
                (changes["role"], code, begun_by),
            )
            row = conn.execute(
                "SELECT ended_by FROM contacts WHERE municipality = ? AND entry = ?",
                (code, begun_by),
            ).fetchone()
            begun_by = row[0] if row else None


def amended_cases(conn: sqlite3.Connection) -> set[str]:
    """Apply every amendment in ``facts``, in log order (the bulk rebuild, once every fact
    is written); the ids of the cases whose states must be folded again."""
    found = conn.execute(
        f"SELECT position FROM facts WHERE kind IN ({_AMENDING}) ORDER BY position"
    ).fetchall()
    cases = set()
    for (position,) in found:
        case_id = amend(conn, position)
        if case_id is not None:
            cases.add(case_id)
    return cases


def _json(value: Any) -> str:
    return to_json(value).decode()
