"""Each dispatch decision with the application it answers, paired as the read models are
written, so that ``stats`` reads a year's delays instead of working them out.

A case's n-th decision answers its n-th application, both in business-date order (then
as recorded), as CLI.md defines the days from application to decision. The pairing
depends on the case's facts alone, in calendar days, and on no setting: it is kept once
per decision in ``decision_delays`` with both dates, and a question about a year (or as of
a day) takes the decisions of its range whose application is dated within it too, as
pairing only the facts up to that day would.

Both paths pair through ``_paired``, so they make the same rows: event by event, a case
is paired again when one of its applications or decisions arrives or an amendment names
one of its entries (a corrected date, a withdrawn entry moves every later pair); the bulk
rebuild pairs every case once the amendments are applied, one case at a time in the order
of ``facts_case_kind`` (no sort of the nation's dispatches in SQL, and memory for one
case's, not the nation's).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from events.case import DispatchApplied, DispatchDecided

APPLIED, DECIDED = DispatchApplied.__name__, DispatchDecided.__name__
#: The kinds of fact a case's pairs are made of.
PAIRED_KINDS = frozenset({APPLIED, DECIDED})
#: A decision's row: its position, its case, its date and its application's date.
Pair = tuple[int, str, str, str]


def _facts(where: str, index: str = "") -> str:
    """SQL for the facts of both kinds (case, kind, date, position) where ``where`` holds,
    through the index ``index`` if named."""
    indexed = f" INDEXED BY {index}" if index else ""
    return (
        f"SELECT case_id, kind, occurred_on, position FROM facts{indexed}"
        f" WHERE kind IN ('{APPLIED}', '{DECIDED}') AND {where}"
    )


_INSERT = (
    "INSERT INTO decision_delays (position, case_id, decided_on, applied_on, days)"
    " VALUES (?1, ?2, ?3, ?4, CAST(julianday(?3) AS INTEGER) - CAST(julianday(?4) AS INTEGER))"
)


def _paired(found: Iterable[tuple[str, str, str, int]]) -> list[Pair]:
    """The pairs of the cases whose facts of both kinds are ``found`` (case, kind, date,
    position; in any order), in the order of the decisions' positions (rows appended to
    the table's end)."""
    applied: defaultdict[str, list[str]] = defaultdict(list)
    decided: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for case_id, kind, on, position in found:
        if kind == APPLIED:
            applied[case_id].append(on)
        else:
            decided[case_id].append((on, position))
    pairs = [
        (position, case_id, on, applied_on)
        for case_id, decisions in decided.items()
        # a decision beyond the case's applications answers none
        for (on, position), applied_on in zip(
            sorted(decisions), sorted(applied[case_id]), strict=False
        )
    ]
    pairs.sort()
    return pairs


def pair_cases(conn: sqlite3.Connection, case_ids: Iterable[str]) -> None:
    """Pair the decisions of these cases again, from their facts as they stand."""
    ids = json.dumps(sorted(case_ids))
    if ids == "[]":
        return
    conn.execute(
        "DELETE FROM decision_delays WHERE case_id IN (SELECT value FROM json_each(?))", (ids,)
    )
    found = conn.execute(_facts("case_id IN (SELECT value FROM json_each(?))"), (ids,))
    conn.executemany(_INSERT, _paired(found))


def pair_every_case(conn: sqlite3.Connection) -> None:
    """Pair the decisions of every case (the bulk rebuild, into an empty table), case by
    case: held for the whole nation at once, the dispatches were 44 MB, the largest part
    of the rebuild's peak memory."""
    found = conn.execute(_facts("case_id IS NOT NULL ORDER BY case_id", "facts_case_kind"))
    conn.executemany(
        _INSERT, (pair for _, facts in groupby(found, key=itemgetter(0)) for pair in _paired(facts))
    )
