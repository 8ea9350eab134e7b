"""``banso timeline``: everything that happened with a municipality, by business date.

Entries show as corrected; the corrections and withdrawals themselves, and the entries
withdrawn, show too (the trail), unless asked for the corrected record alone (the briefing).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic_core import from_json

from projections.describe import describe, kebab, kind_label
from projections.kinds import AMENDING_KINDS
from projections.queries.common import AsOf, expert_names, rows
from tracker.domain.amending import CORRECTABLE
from tracker.language import say

#: The columns a history entry is made of (``entry``), as ``facts`` and ``withdrawn_facts``
#: both have them.
ENTRY_COLUMNS = (
    "position, kind, occurred_on, case_number, data, recorded_at, recorded_by, version,"
    " corrected_by"
)
_AMENDING = ", ".join(f"'{kind}'" for kind in sorted(AMENDING_KINDS))
#: Kinds of entry that can be corrected or withdrawn.
AMENDABLE = frozenset(kind.__name__ for kind in CORRECTABLE)


def timeline(
    conn: sqlite3.Connection,
    municipality: str,
    as_of: date | None = None,
    lang: str = "ja",
    *,
    trail: bool = True,
) -> list[dict[str, Any]]:
    """The municipality's facts up to ``as_of``, oldest first, then in recording order;
    with ``trail``, its corrections, withdrawals and withdrawn entries among them."""
    day = AsOf.of(as_of)
    names = expert_names(conn)
    amendments = "" if trail else f" AND kind NOT IN ({_AMENDING})"
    facts = rows(
        conn,
        f"SELECT {ENTRY_COLUMNS} FROM facts WHERE municipality = ? AND occurred_on <= ?"
        f" AND kind != 'MunicipalityRegistered'{amendments} ORDER BY occurred_on, position",
        (municipality, day.iso),
    )
    if trail:
        facts = with_withdrawn(conn, facts, "municipality = ?", municipality, day)
    promised = promised_texts(conn, facts)
    return [entry(f, lang, names, promised) for f in facts]


def with_withdrawn(
    conn: sqlite3.Connection, facts: list[dict[str, Any]], where: str, key: str, day: AsOf
) -> list[dict[str, Any]]:
    """``facts`` (in business-date order) with the withdrawn entries that ``where`` names
    among them, each marked by ``withdrawn_by``. There are seldom any."""
    withdrawn = rows(
        conn,
        f"SELECT {ENTRY_COLUMNS}, withdrawn_by FROM withdrawn_facts WHERE {where}"
        " AND occurred_on <= ? ORDER BY occurred_on, position",
        (key, day.iso),
    )
    if not withdrawn:
        return facts
    return list(heapq.merge(facts, withdrawn, key=lambda f: (f["occurred_on"], f["position"])))


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
        for c in from_json(r["commitments"]):
            found[(r["number"], c["number"])] = c["text"]
    return found


def entry(
    fact: dict[str, Any],
    lang: str,
    names: dict[str, str],
    promised: Mapping[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """A fact row as a history entry (timeline, case history, expert history): ``entry`` is
    its number within its case or municipality, ``corrected_by``/``withdrawn_by`` the
    number of the correction or withdrawal that amended it since, ``amendable`` whether it
    can be corrected or withdrawn now, and a correction's or withdrawal's own entry names
    the entry it ``amends``; ``promised`` names the commitments it may settle
    (``promised_texts``)."""
    data = from_json(fact["data"])  # pydantic-core's parser: a quarter of json.loads' time
    if promised and fact["kind"] in SETTLING:
        text = promised.get((fact["case_number"], data["number"]))
        data = {**data, "text": text} if text else data
    found = {
        "date": fact["occurred_on"],
        "kind": kebab(fact["kind"]),
        "kind_label": kind_label(fact["kind"], lang),
        "case": fact["case_number"],
        "text": describe(fact["kind"], data, lang, names),
        "recorded_at": fact["recorded_at"],
        "recorded_by": fact["recorded_by"],
        "entry": fact.get("version"),
        "corrected_by": fact.get("corrected_by"),
        "withdrawn_by": fact.get("withdrawn_by"),
        "amendable": fact["kind"] in AMENDABLE and not fact.get("withdrawn_by"),
    }
    if fact["kind"] in AMENDING_KINDS:
        found["amends"] = data.get("entry")
        found["reason"] = data.get("reason")
    return found


def shown(e: dict[str, Any], lang: str) -> str:
    """An entry's text as a person reads it: marked if it was corrected or withdrawn since."""
    if e.get("withdrawn_by"):
        return say("describe.mark_withdrawn", lang, by=e["withdrawn_by"]) + e["text"]
    if e.get("corrected_by"):
        return say("describe.mark_corrected", lang, by=e["corrected_by"]) + e["text"]
    return e["text"]
