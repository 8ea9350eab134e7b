"""``banso timeline``: everything that happened with a municipality, by business date."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from projections.describe import describe, kebab
from projections.queries.common import AsOf, expert_names, rows
from tracker.language import say


def timeline(
    conn: sqlite3.Connection, municipality: str, as_of: date | None = None, lang: str = "ja"
) -> list[dict[str, Any]]:
    """The municipality's facts up to ``as_of``, oldest first, then in recording order."""
    day = AsOf.of(as_of)
    names = expert_names(conn)
    facts = rows(
        conn,
        "SELECT position, kind, occurred_on, case_number, data, recorded_at, recorded_by"
        " FROM facts WHERE municipality = ? AND occurred_on <= ?"
        " AND kind != 'MunicipalityRegistered' ORDER BY occurred_on, position",
        (municipality, day.iso),
    )
    return [entry(f, lang, names) for f in facts]


def entry(fact: dict[str, Any], lang: str, names: dict[str, str]) -> dict[str, Any]:
    """A fact row as a history entry (timeline, case history, expert history)."""
    return {
        "date": fact["occurred_on"],
        "kind": kebab(fact["kind"]),
        "kind_label": say(f"kind.{fact['kind']}", lang),
        "case": fact["case_number"],
        "text": describe(fact["kind"], json.loads(fact["data"]), lang, names),
        "recorded_at": fact["recorded_at"],
        "recorded_by": fact["recorded_by"],
    }
