"""A municipality's figures (population, IT staff) as they stood on a day.

Profile updates carry business dates like every other fact: one dated after a day is not
known on it, and one entered late does not override an update dated after it. The figures
given at registration (reference data) hold from the start.
"""

from __future__ import annotations

import json
import sqlite3

FIGURES = ("population", "it_staff")


def profiles(
    conn: sqlite3.Connection, until: str | None = None, code: str | None = None
) -> dict[str, dict[str, int | None]]:
    """Each municipality's figures after its updates dated up to ``until`` (all if None)."""
    sql = (
        "SELECT municipality, kind, data FROM facts"
        " WHERE kind IN ('MunicipalityRegistered', 'MunicipalityProfileUpdated')"
    )
    params: list[str] = []
    if until is not None:
        sql += " AND (kind = 'MunicipalityRegistered' OR occurred_on <= ?)"
        params.append(until)
    if code is not None:
        sql += " AND municipality = ?"
        params.append(code)
    sql += " ORDER BY kind = 'MunicipalityProfileUpdated', occurred_on, position"
    found: dict[str, dict[str, int | None]] = {}
    for municipality, kind, data in conn.execute(sql, params):
        d = json.loads(data)
        if kind == "MunicipalityRegistered":
            found[municipality] = {"population": d.get("population"), "it_staff": None}
        else:
            figures = found.setdefault(municipality, {"population": None, "it_staff": None})
            figures.update({f: d[f] for f in FIGURES if d.get(f) is not None})
    return found
