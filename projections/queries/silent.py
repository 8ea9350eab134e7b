"""``banso silent``: municipalities with no engagement lately, neediest first."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.kinds import ENGAGEMENT_KINDS
from projections.queries.common import AsOf, rows, with_profiles


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def silent_last_engagement(
    conn: sqlite3.Connection, day: AsOf, code: str | None = None
) -> dict[str, str]:
    """Each municipality's last day of case activity or outreach up to ``day``."""
    if day.current:
        where, params = ("WHERE code = ?", (code,)) if code else ("", ())
        found = conn.execute(f"SELECT code, last_engagement_on FROM municipalities {where}", params)
    else:
        kinds = ",".join("?" * len(ENGAGEMENT_KINDS))
        muni = " AND municipality = ?" if code else ""
        found = conn.execute(
            "SELECT municipality, MAX(occurred_on) FROM facts"
            f" WHERE kind IN ({kinds}) AND occurred_on <= ?{muni} GROUP BY municipality",
            (*sorted(ENGAGEMENT_KINDS), day.iso, *([code] if code else [])),
        )
    return {c: on for c, on in found if on is not None}


def silent(
    conn: sqlite3.Connection, as_of: date | None = None, months: int = 12
) -> list[dict[str, Any]]:
    """Municipalities without case activity or outreach in the ``months`` up to ``as_of``."""
    day = AsOf.of(as_of)
    cutoff = months_before(day.day, months).isoformat()
    last = silent_last_engagement(conn, day)
    munis = rows(conn, "SELECT code, name, name_kana, population, it_staff FROM municipalities")
    with_profiles(conn, day, munis)
    found = []
    for m in munis:
        engaged = last.get(m["code"])
        if engaged is None or engaged <= cutoff:
            found.append(
                {
                    "municipality": m.pop("code"),
                    "name": m["name"],
                    "name_kana": m["name_kana"],
                    "last_engagement": engaged,
                    "population": m["population"],
                    "it_staff": m["it_staff"],
                }
            )
    found.sort(key=_neediest_first)
    return found


def _neediest_first(m: dict[str, Any]) -> tuple[Any, ...]:
    """Fewest IT staff, then smallest population; unknown figures after known ones."""
    staff, population = m["it_staff"], m["population"]
    return (staff is None, staff or 0, population is None, population or 0, m["municipality"])
