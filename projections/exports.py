"""``banso export-csv``: tables for Excel, in UTF-8 with BOM or Shift_JIS (cp932)."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from projections.queries.cases import list_cases
from projections.queries.common import AsOf, rows, tenures
from projections.queries.municipalities import list_municipalities


def _cases(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    found = list_cases(conn, status="all")
    for r in found:
        r["experts"] = " ".join(r["experts"])
    return found


def _visits(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    found = rows(
        conn,
        "SELECT f.occurred_on AS date, f.case_number AS 'case', f.municipality,"
        " m.name AS municipality_name, f.data, f.recorded_by FROM facts f"
        " LEFT JOIN municipalities m ON m.code = f.municipality"
        " WHERE f.kind = 'VisitReported' ORDER BY f.occurred_on, f.position",
    )
    for r in found:
        data = json.loads(r.pop("data"))
        r["online"] = data["online"]
        r["experts"] = " ".join(data["experts"])
        r["report"] = data["report"]
        r["next_steps"] = " / ".join(data["next_steps"])
    return found


def _municipalities(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    found = list_municipalities(conn)
    for r in found:
        r["contacts"] = " ".join(c["name"] for c in r["contacts"])
    return found


def _contacts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [vars(t) for t in tenures(conn, AsOf.of(None))]


TABLES: dict[str, Callable[[sqlite3.Connection], list[dict[str, Any]]]] = {
    "cases": _cases,
    "visits": _visits,
    "municipalities": _municipalities,
    "contacts": _contacts,
}


def export_csv(conn: sqlite3.Connection, table: str, path: Path, encoding: str) -> tuple[int, int]:
    """Write ``table`` to ``path``; returns (rows, characters replaced for the encoding)."""
    found = TABLES[table](conn)
    replaced = 0

    def fit(value: Any) -> Any:
        nonlocal replaced
        if not isinstance(value, str) or encoding != "cp932":
            return value
        fitted = value.encode("cp932", errors="replace").decode("cp932")
        replaced += sum(1 for a, b in zip(value, fitted, strict=False) if a != b)
        return fitted

    with path.open("w", encoding=encoding, newline="") as f:
        if found:
            writer = csv.DictWriter(f, fieldnames=list(found[0]))
            writer.writeheader()
            for r in found:
                writer.writerow({k: fit(v) for k, v in r.items()})
    return len(found), replaced
