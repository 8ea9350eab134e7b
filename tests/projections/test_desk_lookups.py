"""What the TUI asks the read models besides the CLI's questions: the follow-ups due soon,
the fiscal years there are figures for, and the candidates of a search as you type."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

import pytest
from projections_support import HIGASHICHICHIBU, KAWAGUCHI, YOKOZE, d, register_reference, today_is

from projections.queries.cases import DUE_DAYS, follow_ups_due
from projections.queries.directory import cases_matching, expert_index, municipality_index
from projections.queries.stats import fiscal_years
from tracker.desk.bootstrap import Desk


def _open(
    desk: Desk, summary: str = "DX推進計画の相談", on: str = "2025-05-01", code: str = YOKOZE
) -> str:
    number, _ = desk.app.open_case(code, topic="A", summary=summary, on=d(on))
    return number


@pytest.fixture(params=["as-of", "current"])
def due(request):
    """``follow_ups_due`` for a past day (folding facts), or for a day that is today (the
    cases table); only a day on or after the latest recorded one can be today."""

    def asking(desk: Desk, day: str, **kw) -> list[str]:
        latest = desk.views.conn.execute("SELECT MAX(occurred_on) FROM facts").fetchone()[0]
        current = request.param == "current" and day >= latest
        with today_is(d(day)) if current else nullcontext():
            return [c["case"] for c in follow_ups_due(desk.views.conn, d(day), **kw)]

    return asking


# ---- follow-ups due soon --------------------------------------------------------------------


def test_follow_ups_due_run_from_the_day_asked_to_fourteen_days_later_soonest_first(
    registered, due
):
    assert DUE_DAYS == 14
    plans = {
        "on the day": "2025-06-01",
        "the last day": "2025-06-15",
        "a day too late": "2025-06-16",
        "overdue": "2025-05-31",
        "in between": "2025-06-10",
        "in between too": "2025-06-10",
    }
    numbers = {}
    for summary, on in plans.items():
        numbers[summary] = _open(registered, summary)
        registered.app.schedule_follow_up(numbers[summary], due=d(on), on=d("2025-05-10"))
    closed = _open(registered, "closed")
    registered.app.schedule_follow_up(closed, due=d("2025-06-05"), on=d("2025-05-10"))
    registered.app.close_case(closed, resolution="resolved", on=d("2025-05-20"))
    _open(registered, "no follow-up")
    registered.refresh()
    assert due(registered, "2025-06-01") == [
        numbers["on the day"],
        numbers["in between"],
        numbers["in between too"],
        numbers["the last day"],
    ]


def test_the_window_of_follow_ups_due_is_the_days_asked_for(registered, due):
    number = _open(registered)
    registered.app.schedule_follow_up(number, due=d("2025-06-16"), on=d("2025-05-10"))
    registered.refresh()
    assert due(registered, "2025-06-01") == []
    assert due(registered, "2025-06-01", days=15) == [number]
    assert due(registered, "2025-06-16", days=0) == [number]


def test_a_follow_up_scheduled_after_the_day_asked_about_is_not_due_on_it(registered):
    number = _open(registered)
    registered.app.schedule_follow_up(number, due=d("2025-05-28"), on=d("2025-05-25"))
    registered.refresh()
    assert follow_ups_due(registered.views.conn, d("2025-05-24")) == []
    assert [c["case"] for c in follow_ups_due(registered.views.conn, d("2025-05-25"))] == [number]


# ---- the fiscal years -----------------------------------------------------------------------


def test_the_fiscal_years_run_from_the_first_consultations_to_the_day_asked_about(desk):
    register_reference(desk, on=date(2023, 4, 1))
    desk.refresh()
    assert fiscal_years(desk.views.conn, d("2025-05-01")) == [2025], "no case yet: this year"
    _open(desk, on="2024-03-31")  # the last day of fiscal 2023
    _open(desk, on="2025-04-01")
    desk.refresh()
    assert fiscal_years(desk.views.conn, d("2025-05-01")) == [2023, 2024, 2025]
    assert fiscal_years(desk.views.conn, d("2024-03-31")) == [2023]
    assert fiscal_years(desk.views.conn, d("2023-01-10")) == [2022], "before any: that year"


# ---- a search as you type -------------------------------------------------------------------


def test_the_municipality_index_has_every_municipality_in_code_order(registered):
    assert municipality_index(registered.views.conn) == [
        {"code": KAWAGUCHI, "name": "川口市", "name_kana": "かわぐちし", "prefecture": "埼玉県"},
        {"code": YOKOZE, "name": "横瀬町", "name_kana": "よこぜまち", "prefecture": "埼玉県"},
        {
            "code": HIGASHICHICHIBU,
            "name": "東秩父村",
            "name_kana": "ひがしちちぶむら",
            "prefecture": "埼玉県",
        },
    ]


def test_the_expert_index_has_every_expert_in_id_order(registered):
    assert expert_index(registered.views.conn) == [
        {"expert_id": "E001", "name": "山田太郎", "background": "元市職員"},
        {"expert_id": "E002", "name": "鈴木花子", "background": None},
        {"expert_id": "E003", "name": "高橋誠", "background": None},
    ]


def test_cases_matching_a_number_come_first_then_by_summary_newest_first(registered):
    older = _open(registered, "基幹システム標準化", on="2025-05-01", code=KAWAGUCHI)
    newer = _open(registered, "標準化の進め方", on="2025-06-01")
    registered.refresh()
    conn = registered.views.conn
    assert cases_matching(conn, "標準化") == [
        {
            "number": newer,
            "municipality_name": "横瀬町",
            "summary": "標準化の進め方",
            "by_number": 0,
        },
        {
            "number": older,
            "municipality_name": "川口市",
            "summary": "基幹システム標準化",
            "by_number": 0,
        },
    ]
    assert cases_matching(conn, "標準化", summaries=False) == []
    assert [c["number"] for c in cases_matching(conn, older)] == [older]
    assert cases_matching(conn, older)[0]["by_number"] == 1
    assert [c["number"] for c in cases_matching(conn, older[:5])] == [newer, older]
    assert len(cases_matching(conn, older[:5], limit=1)) == 1


def test_a_percent_or_underscore_typed_is_that_character_not_a_wildcard(registered):
    plain = _open(registered, "DX推進計画")
    marked = _open(registered, "達成率50%_目標")
    registered.refresh()
    conn = registered.views.conn
    assert [c["number"] for c in cases_matching(conn, "%")] == [marked]
    assert [c["number"] for c in cases_matching(conn, "_")] == [marked]
    assert plain not in [c["number"] for c in cases_matching(conn, "50%")]
