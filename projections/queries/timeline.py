"""``banso timeline``: everything that happened with a municipality, by business date."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
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
    promised = promised_texts(conn, facts)
    return [entry(f, lang, names, promised) for f in facts]


#: Facts that name a commitment by its number only.
SETTLING = frozenset({"CommitmentDone", "CommitmentCancelled"})


def promised_texts(
    conn: sqlite3.Connection, facts: list[dict[str, Any]]
) -> dict[tuple[str, int], str]:
    """What each commitment a fact settles had promised, by (case number, number): the
    history then says what was done, not only its number."""
    numbers = sorted({f["case_number"] for f in facts if f["kind"] in SETTLING})
    found: dict[tuple[str, int], str] = {}
    for r in rows(
        conn,
        f"SELECT number, commitments FROM cases WHERE number IN ({','.join('?' * len(numbers))})",
        numbers,
    ):
        for c in json.loads(r["commitments"]):
            found[(r["number"], c["number"])] = c["text"]
    return found


def entry(
    fact: dict[str, Any],
    lang: str,
    names: dict[str, str],
    promised: Mapping[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """A fact row as a history entry (timeline, case history, expert history); ``promised``
    names the commitments it may settle (``promised_texts``)."""
    data = json.loads(fact["data"])
    if promised and fact["kind"] in SETTLING:
        text = promised.get((fact["case_number"], data["number"]))
        data = {**data, "text": text} if text else data
    return {
        "date": fact["occurred_on"],
        "kind": kebab(fact["kind"]),
        "kind_label": say(f"kind.{fact['kind']}", lang),
        "case": fact["case_number"],
        "text": describe(fact["kind"], data, lang, names),
        "recorded_at": fact["recorded_at"],
        "recorded_by": fact["recorded_by"],
    }
