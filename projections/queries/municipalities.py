"""``banso muni list`` / ``muni show``: municipalities with their cases and contacts."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from typing import Any

from projections.queries.common import (
    AsOf,
    case_states,
    rows,
    tenures,
    tenures_by_municipality,
    with_profiles,
)
from projections.queries.silent import silent_last_engagement
from tracker.domain.errors import UnknownMunicipalityError


def list_municipalities(
    conn: sqlite3.Connection, as_of: date | None = None, prefecture: str | None = None
) -> list[dict[str, Any]]:
    """Every municipality with open cases, last engagement and current contacts."""
    day = AsOf.of(as_of)
    where, params = ("prefecture = ?", (prefecture,)) if prefecture else ("1 = 1", ())
    munis = rows(
        conn,
        "SELECT code, name, name_kana, prefecture, kind, population, it_staff"
        f" FROM municipalities WHERE {where} ORDER BY code",
        params,
    )
    with_profiles(conn, day, munis)
    open_cases = Counter(s.municipality for s in case_states(conn, day, open_only=True))
    last = silent_last_engagement(conn, day)
    contacts = tenures_by_municipality(tenures(conn, day))
    for m in munis:
        m["open_cases"] = open_cases.get(m["code"], 0)
        m["last_engagement"] = last.get(m["code"])
        m["contacts"] = [
            {"name": t.name, "role": t.role}
            for t in contacts.get(m["code"], [])
            if t.end_on is None
        ]
    return munis


def show_municipality(
    conn: sqlite3.Connection, code: str, as_of: date | None = None
) -> dict[str, Any]:
    """One municipality whole: profile, contacts now and before, cases."""
    day = AsOf.of(as_of)
    found = rows(conn, "SELECT * FROM municipalities WHERE code = ?", (code,))
    if not found:  # not registered (or not recorded by the day asked about)
        raise UnknownMunicipalityError(municipality=code)
    muni = found[0]
    with_profiles(conn, day, [muni])
    muni.pop("id")
    muni["last_engagement"] = silent_last_engagement(conn, day, code).get(code)
    muni.pop("last_engagement_on")
    history = tenures(conn, day, code)
    muni["contacts"] = [_tenure(t) for t in history if t.end_on is None]
    muni["past_contacts"] = [_tenure(t) for t in history if t.end_on is not None]
    cases = sorted(
        case_states(conn, day, where="municipality = ?", params=(code,)),
        key=lambda s: s.number,
    )
    muni["cases"] = [
        {
            "case": s.number,
            "status": s.status,
            "topic": s.topic,
            "summary": s.summary,
            "opened_on": s.opened_on,
            "last_activity_on": s.last_activity_on,
        }
        for s in cases
    ]
    return muni


def _tenure(t: Any) -> dict[str, Any]:
    return {
        "name": t.name,
        "role": t.role,
        "email": t.email,
        "phone": t.phone,
        "since": t.start_on,
        "until": t.end_on,
        "successor": t.successor,
        "predecessor": t.predecessor,
    }
