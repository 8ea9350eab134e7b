"""``banso stats``: a fiscal year's figures (年度, April to March), as CLI.md defines them.

Nationally a year holds ~70,000 of a million facts, so each figure is read in as few
passes as it allows, mostly over the year's range of the ``facts_kind`` index (kind,
occurred_on, municipality, case_id), which holds what they need without reading the
table; lookups case by case are kept to the few cases that need them, and the decisions
come paired with their applications (``decision_delays``, ``projections.decisions``).

The JSON values read of a year's openings (topic), ratings and closings (feedback asked)
come from partial indexes that hold them (``projections.schema``): SQLite reads an
indexed expression from the index, not the row. Named with ``INDEXED BY``, as without
statistics the planner takes ``facts_kind`` for them and reads ~15,000 rows of the table,
more than its page cache keeps between two calls. They exist in every committed state
of the read models: built with the rows, never dropped by a bulk catch-up
(``QUERY_INDEX_NAMES``), and ``ReadModels`` creates every index it lacks when it opens.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date
from fractions import Fraction
from statistics import median
from typing import Any

from projections.kinds import ENGAGEMENT_KINDS
from projections.queries.common import AsOf, rows
from tracker.domain.fiscal import fiscal_year, fiscal_year_bounds

OUTREACH = "OutreachRecorded"
COUNTED = {
    "consultations": "CaseOpened",
    "applications": "DispatchApplied",
    "dispatches": "DispatchDecided",
    "visits": "VisitReported",
    "follow_ups_done": "FollowUpDone",
}
#: The figures ``banso stats`` prints, one line each, in this order (cli.stats.figures); the totals sheet of an export too.
FIGURES = (
    "consultations",
    "applications",
    "dispatches",
    "visits",
    "follow_ups_done",
    "median_days_to_decision",
    "decisions_within_7_days",
    "municipalities_engaged",
    "municipalities_total",
    "continuity_rate",
    "outreach",
)
#: A date column as a day number, for differences in days: a number is cheaper for
#: SQLite to compute than for Python to receive as text and parse.
DAY = "CAST(julianday(occurred_on) AS INTEGER)"
#: The kinds counted: those of ``COUNTED``, and the outreach.
COUNTED_KINDS = sorted({*COUNTED.values(), OUTREACH})
#: The columns of ``by_month``, in their order, and the kind each counts: the counted
#: figures but applications.
MONTHLY = {key: kind for key, kind in COUNTED.items() if key != "applications"}


def stats(
    conn: sqlite3.Connection, fiscal_year_: int | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """The figures of fiscal year ``fiscal_year_`` (default: the year of ``as_of``)."""
    day = AsOf.of(as_of)
    year = fiscal_year_ if fiscal_year_ is not None else fiscal_year(day.day)
    first, last = fiscal_year_bounds(year)
    start, end = first.isoformat(), min(last, day.day).isoformat()
    counts, by_month = _counts(conn, start, end)
    delays = _decision_delays(conn, start, end)
    rated, rating_sum = conn.execute(
        "SELECT COUNT(*), SUM(json_extract(data, '$.rating'))"
        " FROM facts INDEXED BY facts_feedback_rating"
        " WHERE kind = 'FeedbackReceived' AND occurred_on BETWEEN ? AND ?",
        (start, end),
    ).fetchone()
    return {
        "fiscal_year": year,
        **{key: counts.get(kind, 0) for key, kind in COUNTED.items()},
        "median_days_to_decision": median(delays) if delays else None,
        "decisions_within_7_days": sum(1 for d in delays if d <= 7),
        "municipalities_engaged": _municipalities_engaged(conn, start, end),
        "municipalities_total": conn.execute("SELECT COUNT(*) FROM municipalities").fetchone()[0],
        "continuity_rate": _continuity_rate(conn, start, end),
        "outreach": counts.get(OUTREACH, 0),
        "feedback": {
            "count": rated,
            "mean_rating": _mean(rating_sum, rated) if rated else None,
        },
        **_feedback_asked(conn, start, end),
        "by_month": by_month,
        "by_topic": _by_topic(conn, start, end),
    }


def fiscal_years(conn: sqlite3.Connection, as_of: date | None = None) -> list[int]:
    """Every fiscal year from that of the first consultation to that of the day asked about."""
    last = fiscal_year(AsOf.of(as_of).day)
    first = conn.execute("SELECT MIN(occurred_on) FROM facts WHERE kind = 'CaseOpened'").fetchone()[
        0
    ]
    start = fiscal_year(date.fromisoformat(first)) if first else last
    return list(range(min(start, last), last + 1))


def _counts(
    conn: sqlite3.Connection, start: str, end: str
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """The year's facts of the kinds counted (``COUNTED``, and the outreach), by kind, and
    ``by_month``.

    One COUNT a kind and month over its range of ``facts_kind``, in one statement: SQLite
    counts a range of an index as it steps through it, which took a third of the time of
    grouping the year's rows of every engagement kind by (kind, day) and summing them here."""
    year = int(start[:4])
    months = [f"{year + y}-{m + 1:02d}" for y, m in (divmod(3 + i, 12) for i in range(12))]
    cells = [
        (kind, month, max(start, f"{month}-01"), min(end, f"{month}-31"))
        for kind in COUNTED_KINDS
        for month in months
    ]
    found = conn.execute(
        "SELECT (SELECT COUNT(*) FROM facts WHERE kind = cell.value ->> 0"
        "  AND occurred_on BETWEEN cell.value ->> 1 AND cell.value ->> 2)"
        " FROM json_each(?) AS cell ORDER BY cell.key",
        (json.dumps([[kind, first, last] for kind, _, first, last in cells]),),
    )
    counts: dict[str, int] = defaultdict(int)
    by_month = {month: {"month": month, **dict.fromkeys(MONTHLY, 0)} for month in months}
    columns = {kind: column for column, kind in MONTHLY.items()}
    for (kind, month, _, _), (n,) in zip(cells, found, strict=True):
        counts[kind] += n
        if kind in columns:
            by_month[month][columns[kind]] = n
    return counts, list(by_month.values())


def _decision_delays(conn: sqlite3.Connection, start: str, end: str) -> list[int]:
    """Days from application to decision for the year's decisions, a case's n-th decision
    answering its n-th application: paired as the read models are written
    (``projections.decisions``), and read here from one range of an index that holds them.
    A decision whose application is dated after ``end`` has none yet on that day.

    Paired at query time, this was half the time of ``stats`` nationally (some 11,000
    decisions a year, and the applications still pending when the year began)."""
    return [
        days
        for (days,) in conn.execute(
            "SELECT days FROM decision_delays WHERE decided_on BETWEEN ? AND ? AND applied_on <= ?",
            (start, end, end),
        )
    ]


def _municipalities_engaged(conn: sqlite3.Connection, start: str, end: str) -> int:
    """Municipalities with an engagement fact in the year.

    Asked of each registered municipality (every fact names one) through a short range of
    ``facts_municipality``, where the first engagement found settles it: COUNT(DISTINCT)
    over the year's facts sorted them all, three times slower."""
    kinds = sorted(ENGAGEMENT_KINDS)
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM municipalities m WHERE EXISTS (SELECT 1 FROM facts f"
            "  WHERE f.municipality = m.code AND f.occurred_on BETWEEN ? AND ?"
            f" AND f.kind IN ({_marks(kinds)}))",
            (start, end, *kinds),
        ).fetchone()[0]
    )


def _continuity_rate(conn: sqlite3.Connection, start: str, end: str) -> float | None:
    """Among cases visited in the year, the share with a follow-up done or another visit
    after their first visit of the year.

    Anything after a visit of the year, up to its end, is in the year too, so one pass over
    the year's visits and follow-ups, grouped by case, compares each case's first visit
    with its last such fact, rather than looking each visited case up again. Facts are
    ordered by (day, position), packed into one integer: cheaper to compute and compare
    than ``occurred_on || printf('%012d', position)``."""
    total, continued = conn.execute(
        f"""
        SELECT COUNT(first), SUM(last > first) FROM (
            SELECT MIN(CASE WHEN kind = 'VisitReported' THEN key END) AS first,
                   MAX(key) AS last
            FROM (SELECT case_id, kind, {DAY} * 1000000000000 + position AS key
                  FROM facts WHERE kind IN ('VisitReported', 'FollowUpDone')
                  AND occurred_on BETWEEN ? AND ?)
            GROUP BY case_id
        )
        """,
        (start, end),
    ).fetchone()
    return round(continued / total, 3) if total else None


def _feedback_asked(conn: sqlite3.Connection, start: str, end: str) -> dict[str, Any]:
    """Of the year's closings that asked for the municipality's feedback, how many had it
    by the end of the year (or the day asked about): a rating recorded after the closing
    (by business date, then as recorded). One range of ``facts_kind``, and a short look up
    ``facts_case_kind`` for each closing that asked."""
    asked, answered = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM facts g"
        "   WHERE g.case_id = f.case_id AND g.kind = 'FeedbackReceived' AND g.occurred_on <= ?"
        "   AND (g.occurred_on, g.position) > (f.occurred_on, f.position))), 0)"
        " FROM facts f INDEXED BY facts_closed_feedback"
        " WHERE f.kind = 'CaseClosed' AND f.occurred_on BETWEEN ? AND ?"
        " AND f.data ->> 'feedback_requested'",
        (end, start, end),
    ).fetchone()
    return {
        "feedback_requested": asked,
        "feedback_answered": answered,
        "feedback_response_rate": round(answered / asked, 3) if asked else None,
    }


def _mean(total: int, count: int) -> float | int:
    """``round(statistics.mean(ratings), 2)`` from the ratings' sum and count (integers,
    summed by SQL): a whole number when it divides evenly, as ``mean`` gives it."""
    mean = Fraction(total, count)
    return int(mean) if mean.denominator == 1 else round(float(mean), 2)


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


def _by_topic(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    return rows(
        conn,
        "SELECT json_extract(data, '$.topic') AS topic, COUNT(*) AS consultations"
        " FROM facts INDEXED BY facts_opened_topic"
        " WHERE kind = 'CaseOpened' AND occurred_on BETWEEN ? AND ?"
        " GROUP BY topic ORDER BY consultations DESC, topic",
        (start, end),
    )
