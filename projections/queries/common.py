"""What the queries share: running SQL, the as-of date, case states, contact tenures."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.casestate import CaseState, fold
from projections.profiles import profiles
from tracker.domain.inputs import today


def rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Every row of a query as a dict."""
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def one(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
    found = rows(conn, sql, params)
    return found[0] if found else None


@dataclass(frozen=True)
class AsOf:
    """The day a question is asked about; ``current`` when it is today or later."""

    day: date
    current: bool

    @classmethod
    def of(cls, as_of: date | None) -> AsOf:
        now = today()
        return cls(as_of or now, as_of is None or as_of >= now)

    @property
    def iso(self) -> str:
        return self.day.isoformat()


def case_states(
    conn: sqlite3.Connection,
    as_of: AsOf,
    *,
    where: str = "1 = 1",
    params: Iterable[Any] = (),
    open_only: bool = False,
) -> list[CaseState]:
    """Case states as they stood at the end of ``as_of`` (filtered by SQL on ``cases``);
    withdrawn cases are none of them."""
    if as_of.current:
        status = " AND status = 'open'" if open_only else " AND status != 'withdrawn'"
        found = rows(conn, f"SELECT * FROM cases WHERE {where}{status}", params)
        return [CaseState.from_row(r) for r in found]
    # Business dates of state changes are kept in order (the Case aggregate sees to it),
    # so a case now closed on or before the day was closed on it.
    sql = f"SELECT id FROM cases WHERE {where} AND opened_on <= ? AND status != 'withdrawn'"
    args = [*params, as_of.iso]
    if open_only:
        sql += " AND (status = 'open' OR closed_on > ?)"
        args.append(as_of.iso)
    ids = [r["id"] for r in rows(conn, sql, args)]
    states = []
    for chunk in _chunks(ids, 500):
        facts = conn.execute(
            "SELECT case_id, position, kind, occurred_on, data FROM facts"
            f" WHERE case_id IN ({','.join('?' * len(chunk))}) AND occurred_on <= ?"
            " ORDER BY case_id, occurred_on, position",
            (*chunk, as_of.iso),
        )
        by_case: dict[str, list[tuple[str, int, str, str, dict[str, Any]]]] = defaultdict(list)
        for c, p, k, o, d in facts:
            by_case[c].append((c, p, k, o, json.loads(d)))
        for case_facts in by_case.values():
            state = fold(case_facts)
            if state is not None and (not open_only or state.status == "open"):
                states.append(state)
    return states


def with_profiles(conn: sqlite3.Connection, as_of: AsOf, munis: list[dict[str, Any]]) -> None:
    """Set rows' population and IT staff as they were on ``as_of`` (the columns hold today's)."""
    if not as_of.current:
        figures = profiles(conn, as_of.iso)
        for m in munis:
            m.update(figures.get(m["code"], {}))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class Tenure:
    municipality: str
    name: str
    role: str
    email: str | None
    phone: str | None
    start_on: str
    end_on: str | None
    successor: str | None
    predecessor: str | None


def tenures(
    conn: sqlite3.Connection, as_of: AsOf, municipality: str | Iterable[str] | None = None
) -> list[Tenure]:
    """Contact tenures begun by ``as_of`` (of one or some municipalities, or all);
    an end dated later is not known yet."""
    where, params = "start_on <= ?", [as_of.iso]
    if municipality is not None:
        codes = [municipality] if isinstance(municipality, str) else sorted(set(municipality))
        where += f" AND municipality IN ({','.join('?' * len(codes))})"
        params += codes
    found = rows(
        conn,
        "SELECT municipality, name, role, email, phone, start_on, end_on, successor, predecessor"
        f" FROM contacts WHERE {where} ORDER BY municipality, start_on, id",
        params,
    )
    result = []
    for r in found:
        if r["end_on"] is not None and r["end_on"] > as_of.iso:
            r["end_on"] = r["successor"] = None
        result.append(Tenure(**r))
    return result


def chains_broken(
    conn: sqlite3.Connection, as_of: AsOf, contacts: Iterable[tuple[str, str | None]]
) -> set[str]:
    """Of the (municipality, contact) pairs, the municipalities where the contact had a
    tenure ended by ``as_of``: the only ones whose tenures ``resolve_contact`` needs to say
    when a chain broke (a name none of whose tenures ended is still held, or was never
    held: no day either way).

    One seek of ``contacts_ended`` a pair, instead of reading every tenure of every
    municipality with a contact named."""
    pairs = sorted({(m, c) for m, c in contacts if c})
    found = conn.execute(
        "SELECT DISTINCT t.municipality FROM json_each(?) AS p CROSS JOIN contacts t"
        " ON t.municipality = p.value ->> 0 AND t.name = p.value ->> 1"
        " WHERE t.end_on IS NOT NULL AND t.end_on <= ? AND t.start_on <= ?",
        (json.dumps(pairs, ensure_ascii=False), as_of.iso, as_of.iso),
    )
    return {m for (m,) in found}


def resolve_contact(muni_tenures: list[Tenure], name: str | None) -> tuple[str | None, str | None]:
    """Who holds a case's contact role now: (holder, None), or (None, day the chain broke)."""
    seen = set()
    while name is not None and name not in seen:
        seen.add(name)
        held = [t for t in muni_tenures if t.name == name]
        if not held or held[-1].end_on is None:
            return name, None
        if held[-1].successor is None:
            return None, held[-1].end_on
        name = held[-1].successor
    return name, None


def tenures_by_municipality(tenure_list: list[Tenure]) -> dict[str, list[Tenure]]:
    grouped: dict[str, list[Tenure]] = defaultdict(list)
    for t in tenure_list:
        grouped[t.municipality].append(t)
    return grouped


def expert_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT expert_id, name FROM experts")}


def retired_experts(conn: sqlite3.Connection, as_of: AsOf) -> dict[str, str]:
    """Experts who had left the registry by ``as_of``, with the day each left."""
    return {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT expert_id, retired_on FROM experts WHERE retired_on <= ?", (as_of.iso,)
        )
    }
