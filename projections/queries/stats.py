"""``banso stats``: a fiscal year's figures (年度, April to March), as CLI.md defines them."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from statistics import mean, median
from typing import Any

from projections.facts import ENGAGEMENT_KINDS
from projections.queries.common import AsOf, rows
from tracker.domain.fiscal import fiscal_year, fiscal_year_bounds

COUNTED = {
    "consultations": "CaseOpened",
    "applications": "DispatchApplied",
    "dispatches": "DispatchDecided",
    "visits": "VisitReported",
    "follow_ups_done": "FollowUpDone",
}


def stats(
    conn: sqlite3.Connection, fiscal_year_: int | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """The figures of fiscal year ``fiscal_year_`` (default: the year of ``as_of``)."""
    day = AsOf.of(as_of)
    year = fiscal_year_ if fiscal_year_ is not None else fiscal_year(day.day)
    first, last = fiscal_year_bounds(year)
    start, end = first.isoformat(), min(last, day.day).isoformat()
    # Every query names its kinds, so the (kind, occurred_on, ...) index serves it.
    kinds = sorted(ENGAGEMENT_KINDS)
    counts = dict(
        conn.execute(
            f"SELECT kind, COUNT(*) FROM facts WHERE kind IN ({','.join('?' * len(kinds))})"
            " AND occurred_on BETWEEN ? AND ? GROUP BY kind",
            (*kinds, start, end),
        ).fetchall()
    )
    delays = _decision_delays(conn, start, end)
    engaged = conn.execute(
        "SELECT COUNT(DISTINCT municipality) FROM facts"
        f" WHERE kind IN ({','.join('?' * len(kinds))}) AND occurred_on BETWEEN ? AND ?",
        (*kinds, start, end),
    ).fetchone()[0]
    ratings = [
        r["rating"]
        for r in rows(
            conn,
            "SELECT json_extract(data, '$.rating') AS rating FROM facts"
            " WHERE kind = 'FeedbackReceived' AND occurred_on BETWEEN ? AND ?",
            (start, end),
        )
    ]
    return {
        "fiscal_year": year,
        **{key: counts.get(kind, 0) for key, kind in COUNTED.items()},
        "median_days_to_decision": median(delays) if delays else None,
        "decisions_within_7_days": sum(1 for d in delays if d <= 7),
        "municipalities_engaged": engaged,
        "municipalities_total": conn.execute("SELECT COUNT(*) FROM municipalities").fetchone()[0],
        "continuity_rate": _continuity_rate(conn, start, end),
        "outreach": counts.get("OutreachRecorded", 0),
        "feedback": {
            "count": len(ratings),
            "mean_rating": round(mean(ratings), 2) if ratings else None,
        },
        "by_month": _by_month(conn, start, end),
        "by_topic": _by_topic(conn, start, end),
    }


def _decision_delays(conn: sqlite3.Connection, start: str, end: str) -> list[int]:
    """Days from application to decision for the year's decisions (n-th with n-th per case).

    Paired in Python: SQLite joined the two windowed CTEs without an index, which took
    seconds nationally (quadratic in the year's decisions)."""
    pairs: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    found = conn.execute(
        "SELECT f.case_id, f.kind = 'DispatchDecided', f.occurred_on"
        " FROM (SELECT DISTINCT case_id FROM facts WHERE kind = 'DispatchDecided'"
        "       AND occurred_on BETWEEN ? AND ?) AS decided"
        " CROSS JOIN facts f ON f.case_id = decided.case_id"  # CROSS: the year's cases lead
        " WHERE f.kind IN ('DispatchApplied', 'DispatchDecided') AND f.occurred_on <= ?"
        " ORDER BY f.case_id, f.occurred_on, f.position",
        (start, end, end),
    )
    for case_id, decided, on in found:
        pairs[case_id][1 if decided else 0].append(on)
    return [
        (date.fromisoformat(d) - date.fromisoformat(a)).days
        for applied, decided in pairs.values()
        for a, d in zip(applied, decided, strict=False)
        if d >= start
    ]


def _continuity_rate(conn: sqlite3.Connection, start: str, end: str) -> float | None:
    """Among cases visited in the year, the share with a follow-up done or another visit
    after their first visit of the year."""
    found = conn.execute(
        """
        WITH first AS (
            SELECT case_id, MIN(occurred_on || printf('%012d', position)) AS key
            FROM facts WHERE kind = 'VisitReported' AND occurred_on BETWEEN :start AND :end
            GROUP BY case_id
        )
        SELECT COUNT(*), SUM(EXISTS (
            SELECT 1 FROM facts f WHERE f.case_id = first.case_id
              AND f.kind IN ('VisitReported', 'FollowUpDone') AND f.occurred_on <= :end
              AND f.occurred_on || printf('%012d', f.position) > first.key
        )) FROM first
        """,
        {"start": start, "end": end},
    ).fetchone()
    total, continued = found
    return round(continued / total, 3) if total else None


def _by_month(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    found = rows(
        conn,
        "SELECT substr(occurred_on, 1, 7) AS month,"
        " SUM(kind = 'CaseOpened') AS consultations, SUM(kind = 'DispatchDecided') AS dispatches,"
        " SUM(kind = 'VisitReported') AS visits, SUM(kind = 'FollowUpDone') AS follow_ups_done"
        " FROM facts WHERE kind IN ('CaseOpened', 'DispatchDecided', 'VisitReported',"
        " 'FollowUpDone') AND occurred_on BETWEEN ? AND ? GROUP BY month ORDER BY month",
        (start, end),
    )
    months = {r["month"]: r for r in found}
    year, _ = int(start[:4]), None
    result = []
    for i in range(12):
        y, m = divmod(3 + i, 12)
        key = f"{year + y}-{m + 1:02d}"
        result.append(
            months.get(key)
            or {
                "month": key,
                "consultations": 0,
                "dispatches": 0,
                "visits": 0,
                "follow_ups_done": 0,
            }
        )
    return result


def _by_topic(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    return rows(
        conn,
        "SELECT json_extract(data, '$.topic') AS topic, COUNT(*) AS consultations FROM facts"
        " WHERE kind = 'CaseOpened' AND occurred_on BETWEEN ? AND ?"
        " GROUP BY topic ORDER BY consultations DESC, topic",
        (start, end),
    )
