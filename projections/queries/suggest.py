"""``banso suggest``: which active experts should go to a case, best first, and why.

Continuity first (伴走: the municipality should see a face it knows): an expert already on
the case, then those who supported its municipality before, most visits first. Then the
specialty matching the case's topic, then the lightest open workload. Each expert comes
with the reasons that placed them, in the desk's language.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.queries.cases import case_state
from projections.queries.common import AsOf, rows
from projections.queries.experts import list_experts
from tracker.domain.topics import topic_label
from tracker.language import say


def suggest(
    conn: sqlite3.Connection, case_id: str, as_of: date | None = None, lang: str = "ja"
) -> list[dict[str, Any]]:
    """Every expert in post on ``as_of``, ranked for the case (None if it was not opened)."""
    day = AsOf.of(as_of)
    case = case_state(conn, case_id, as_of)
    if case is None:
        return []
    muni = rows(conn, "SELECT name FROM municipalities WHERE code = ?", (case.municipality,))
    muni_name = muni[0]["name"] if muni else case.municipality
    support = _support(conn, case.municipality, day)
    found = []
    for e in list_experts(conn, as_of):
        if e["retired"]:
            continue
        visits, cases, last = support.get(e["expert"], (0, 0, None))
        found.append(
            {
                "expert": e["expert"],
                "name": e["name"],
                "specialties": e["specialties"],
                "on_case": e["expert"] in case.experts,
                "municipality_visits": visits,
                "municipality_cases": cases,
                "last_supported_on": last,
                "specialty_match": case.topic in e["specialties"],
                "open_cases": e["open_cases"],
            }
        )
    found.sort(
        key=lambda s: (
            not s["on_case"],
            -s["municipality_visits"],
            -s["municipality_cases"],
            not s["specialty_match"],
            s["open_cases"],
            s["expert"],
        )
    )
    for rank, s in enumerate(found, 1):
        s["rank"] = rank
        s["reasons"] = _reasons(s, case.topic, muni_name, lang)
    return found


def _support(conn: sqlite3.Connection, municipality: str, day: AsOf) -> dict[str, tuple]:
    """Per expert: visits to the municipality, its cases they took part in, the last day."""
    return {
        r["expert_id"]: (r["visits"], r["cases"], r["last"])
        for r in rows(
            conn,
            "SELECT fe.expert_id, SUM(f.kind = 'VisitReported') AS visits,"
            " COUNT(DISTINCT f.case_id) AS cases, MAX(f.occurred_on) AS last"
            " FROM facts f JOIN fact_experts fe USING (position)"
            " WHERE f.municipality = ? AND f.occurred_on <= ?"
            " AND f.kind IN ('VisitReported', 'DispatchDecided', 'ExpertReassigned')"
            " GROUP BY fe.expert_id",
            (municipality, day.iso),
        )
    }


def _reasons(s: dict[str, Any], topic: str, muni_name: str, lang: str) -> list[str]:
    """Why an expert stands where they do, in the order the ranking weighs it."""
    reasons = []
    if s["on_case"]:
        reasons.append(say("suggest.on_case", lang))
    if s["municipality_visits"] or s["municipality_cases"]:
        reasons.append(
            say(
                "suggest.continuity",
                lang,
                municipality=muni_name,
                visits=s["municipality_visits"],
                cases=s["municipality_cases"],
                last=s["last_supported_on"],
            )
        )
    if s["specialty_match"]:
        reasons.append(say("suggest.specialty", lang, topic=topic_label(topic, lang)))
    reasons.append(say("suggest.workload", lang, n=s["open_cases"]))
    return reasons
