"""Answers as of a past day leave out what was dated later, beyond cases and contacts too.

Registrations are reference data and show on every day; a retirement or a profile update
is a fact with a business date like any other.
"""

from __future__ import annotations

from projections_support import HIGASHICHICHIBU, KAWAGUCHI, YOKOZE, d, dump_all, rebuilt

from projections.queries.experts import list_experts
from projections.queries.municipalities import list_municipalities, show_municipality
from projections.queries.silent import silent


def _retired(desk, day: str) -> list[tuple[str, bool, str | None]]:
    return [
        (e["expert"], e["retired"], e["retired_on"]) for e in list_experts(desk.views.conn, d(day))
    ]


def test_an_expert_retiring_later_is_active_with_no_retirement_known_before_it(registered):
    registered.app.retire_expert("E002", on=d("2025-09-30"))
    registered.refresh()
    assert _retired(registered, "2025-09-29") == [
        ("E001", False, None),
        ("E002", False, None),
        ("E003", False, None),
    ]
    assert _retired(registered, "2025-09-30") == [
        ("E001", False, None),
        ("E002", True, "2025-09-30"),
        ("E003", False, None),
    ]


def _figures(rows: list[dict], key: str = "code") -> dict[str, tuple]:
    return {r[key]: (r["population"], r["it_staff"]) for r in rows}


def test_a_profile_update_dated_later_is_not_known_on_an_earlier_day(registered):
    registered.app.update_municipality(YOKOZE, it_staff=1, population=7_900, on=d("2025-06-01"))
    registered.refresh()
    conn = registered.views.conn
    before = {KAWAGUCHI: (605545, None), YOKOZE: (7976, None), HIGASHICHICHIBU: (2635, None)}
    assert _figures(list_municipalities(conn, d("2025-05-31"))) == before
    assert _figures(silent(conn, d("2025-05-31")), "municipality") == before
    assert [m["municipality"] for m in silent(conn, d("2025-05-31"))] == [
        HIGASHICHICHIBU,
        YOKOZE,
        KAWAGUCHI,
    ]
    assert _figures([show_municipality(conn, YOKOZE, d("2025-05-31"))]) == {YOKOZE: (7976, None)}
    # From the day of the update, the town with one IT person comes first (neediest).
    assert [m["municipality"] for m in silent(conn, d("2025-06-01"))] == [
        YOKOZE,
        HIGASHICHICHIBU,
        KAWAGUCHI,
    ]
    assert _figures([show_municipality(conn, YOKOZE, d("2025-06-01"))]) == {YOKOZE: (7900, 1)}


def test_a_profile_update_entered_late_does_not_override_one_dated_after_it(registered):
    registered.app.update_municipality(YOKOZE, it_staff=2, on=d("2025-08-01"))
    registered.refresh()
    registered.app.update_municipality(YOKOZE, it_staff=1, population=7_800, on=d("2025-07-01"))
    registered.refresh()
    conn = registered.views.conn
    assert conn.execute(
        "SELECT population, it_staff FROM municipalities WHERE code = ?", (YOKOZE,)
    ).fetchone() == (7_800, 2)
    assert _figures([show_municipality(conn, YOKOZE, d("2025-07-15"))]) == {YOKOZE: (7800, 1)}
    assert _figures([show_municipality(conn, YOKOZE)]) == {YOKOZE: (7800, 2)}
    fresh = rebuilt(registered, batch_size=1)
    assert dump_all(fresh.conn) == dump_all(conn)
    fresh.close()
