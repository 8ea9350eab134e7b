"""One entry of a case or a municipality, with its fields as corrected: what a correction
form starts from (the TUI's), and what names it (its number)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from projections.queries.common import one


def case_entry(conn: sqlite3.Connection, case_id: str, entry: int) -> dict[str, Any] | None:
    """Entry ``entry`` of a case, as corrected: ``{entry, kind, date, data}``; None if it is
    withdrawn or unknown."""
    return _entry(conn, "case_id = ?", case_id, entry)


def municipality_entry(conn: sqlite3.Connection, code: str, entry: int) -> dict[str, Any] | None:
    """Entry ``entry`` of a municipality's own (not its cases'), as ``case_entry``."""
    return _entry(conn, "municipality = ? AND case_id IS NULL", code, entry)


def _entry(conn: sqlite3.Connection, where: str, key: str, entry: int) -> dict[str, Any] | None:
    found = one(
        conn,
        "SELECT version AS entry, kind, occurred_on AS date, data FROM facts"
        f" WHERE {where} AND version = ?",
        (key, entry),
    )
    if found is not None:
        found["data"] = json.loads(found["data"])
    return found
