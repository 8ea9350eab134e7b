"""``banso search``: Japanese substring search over summaries, reports and notes (FTS5 trigram)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.queries.common import AsOf, rows
from tracker.i18n import label

LIMIT = 200
TRIGRAM = 3


def search(
    conn: sqlite3.Connection,
    text: str,
    as_of: date | None = None,
    lang: str = "ja",
    limit: int = LIMIT,
) -> list[dict[str, Any]]:
    """Records whose text contains ``text``: the ``limit`` most recently recorded, by date."""
    day = AsOf.of(as_of)
    needle = text.strip()
    if not needle:
        return []
    columns = (
        "f.occurred_on AS date, f.kind, f.case_number AS 'case', f.municipality,"
        " m.name AS municipality_name, f.text"
    )
    if len(needle) >= TRIGRAM:
        # The trigram index finds the matches; walking it newest-first stops at the limit.
        phrase = '"' + needle.replace('"', '""') + '"'
        found = rows(
            conn,
            f"SELECT {columns} FROM facts_fts JOIN facts f ON f.position = facts_fts.rowid"
            " LEFT JOIN municipalities m ON m.code = f.municipality"
            " WHERE facts_fts MATCH ? AND f.occurred_on <= ?"
            " ORDER BY facts_fts.rowid DESC LIMIT ?",
            (phrase, day.iso, limit),
        )
    else:  # one or two characters: shorter than a trigram, scan newest-first
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = rows(
            conn,
            f"SELECT {columns} FROM facts f LEFT JOIN municipalities m ON m.code = f.municipality"
            " WHERE f.text LIKE ? ESCAPE '\\' AND f.occurred_on <= ?"
            " ORDER BY f.position DESC LIMIT ?",
            (pattern, day.iso, limit),
        )
    found.sort(key=lambda r: r["date"], reverse=True)
    for r in found:
        r["kind_label"] = label(r["kind"], lang)
    return found
