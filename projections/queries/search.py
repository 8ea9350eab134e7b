"""``banso search``: Japanese substring search over summaries, reports and notes (FTS5 trigram)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.queries.common import AsOf, rows
from tracker.i18n import label

LIMIT = 200


def search(
    conn: sqlite3.Connection,
    text: str,
    as_of: date | None = None,
    lang: str = "ja",
    limit: int = LIMIT,
) -> list[dict[str, Any]]:
    """Records whose text contains ``text``, newest first (at most ``limit``)."""
    day = AsOf.of(as_of)
    needle = text.strip()
    if not needle:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = rows(
        conn,
        "SELECT f.occurred_on AS date, f.kind, f.case_number AS 'case', f.municipality,"
        " m.name AS municipality_name, f.text FROM facts_fts"
        " JOIN facts f ON f.position = facts_fts.rowid"
        " LEFT JOIN municipalities m ON m.code = f.municipality"
        " WHERE facts_fts.text LIKE ? ESCAPE '\\' AND f.occurred_on <= ?"
        " ORDER BY f.occurred_on DESC, f.position DESC LIMIT ?",
        (pattern, day.iso, limit),
    )
    for r in found:
        r["kind_label"] = label(r["kind"], lang)
    return found
