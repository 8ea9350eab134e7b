"""``banso search``: Japanese substring search over summaries, reports and notes (FTS5 trigram).

The index holds each text folded (``tracker.domain.folding.fold``: width, kana, case, no
blanks) and the query is folded the same way, so ``ＡＩ`` finds what ``AI`` finds and
``ｽﾏﾎ`` or ``すまほ`` what ``スマホ`` finds; the rows found show their text as written.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from projections.describe import kind_label
from projections.facts import search_text
from projections.queries.common import AsOf, rows
from tracker.domain.folding import fold

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
    needle = fold(text)
    if not needle:
        return []
    columns = (
        "f.occurred_on AS date, f.kind, f.case_number AS 'case', f.municipality,"
        " m.name AS municipality_name, f.data"
    )
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if len(needle) >= TRIGRAM and pattern == f"%{needle}%":
        # The trigram index (without positions: smaller and quicker to build) finds the rows
        # holding every trigram of the needle, SQLite checks the LIKE on each, newest first,
        # and stops at the limit.
        found = rows(
            conn,
            f"SELECT {columns} FROM facts_fts JOIN facts f ON f.position = facts_fts.rowid"
            " LEFT JOIN municipalities m ON m.code = f.municipality"
            " WHERE facts_fts.text LIKE ? AND f.occurred_on <= ?"
            " ORDER BY facts_fts.rowid DESC LIMIT ?",
            (pattern, day.iso, limit),
        )
    else:  # shorter than a trigram, or holding LIKE's own characters: scan newest-first
        found = rows(
            conn,
            f"SELECT {columns} FROM facts f LEFT JOIN municipalities m ON m.code = f.municipality"
            " WHERE f.text LIKE ? ESCAPE '\\' AND f.occurred_on <= ?"
            " ORDER BY f.position DESC LIMIT ?",
            (pattern, day.iso, limit),
        )
    found.sort(key=lambda r: r["date"], reverse=True)
    for r in found:
        r["text"] = search_text(r["kind"], json.loads(r.pop("data")))  # as written
        r["kind_label"] = kind_label(r["kind"], lang)
    return found
