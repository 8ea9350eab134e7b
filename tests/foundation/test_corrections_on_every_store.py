"""Integration: corrections and withdrawals read the same on every store (in memory, a
SQLite file, PostgreSQL when ``BANSO_TEST_POSTGRES_URL`` is set), caught up command by
command or rebuilt, and ``recorded`` reads each store as it had been recorded by a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from projections.queries.cases import show_case
from projections.queries.timeline import timeline
from projections.readmodels import ReadModels
from tracker.desk.bootstrap import Desk
from tracker.domain.inputs import today

STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
T = today() - timedelta(days=60)


def day(n: int) -> date:
    return T + timedelta(days=n)


def amend_a_story(desk: Desk) -> tuple[str, str]:
    app = desk.app
    app.register_municipality("112038", "川口市", on=day(0))
    app.register_expert("山田太郎", on=day(0))
    app.register_expert("鈴木花子", on=day(0))
    app.assign_contact("112038", "佐藤花子", role="主査", on=day(0))
    number, case_id = app.open_case("112038", topic="B", summary="移行の相談", on=day(1))
    app.apply_for_dispatch(number, on=day(2))
    app.decide_dispatch(number, ["E001"], on=day(3))
    app.report_visit(number, report="移行計画を確認", on=day(5))
    app.add_note(number, "別の案件のメモ", on=day(6))
    app.record_outreach("112038", "cafe", note="カフェ", on=day(7))
    desk.refresh()  # the amendments below arrive one by one, after what they amend
    app.correct_case_entry(number, 4, reason="誤記", text="移行計画と見積を確認", entry_on=day(4))
    app.correct_case_entry(number, 3, reason="担当違い", experts=["E002"])
    app.withdraw_case_entry(number, 5, reason="別の案件")
    app.correct_municipality_entry("112038", 2, reason="役職", role="係長")
    app.withdraw_municipality_entry("112038", 3, reason="別の市")
    desk.refresh()
    return number, str(case_id)


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_an_amended_story_reads_the_same_on_every_store_and_after_a_rebuild(
    kind: str,
    store_of: Callable[[str], str],
    open_desk: Callable[[str], Desk],
    tmp_path,
) -> None:
    desk = open_desk(store_of(kind))
    _, case_id = amend_a_story(desk)
    case = show_case(desk.views.conn, case_id)
    assert case is not None
    assert case["latest_report"] == "移行計画と見積を確認"
    assert [e["id"] for e in case["experts"]] == ["E002", "E001"]
    assert [(e["entry"], e["withdrawn_by"]) for e in case["history"] if e["withdrawn_by"]] == [
        (5, 8)
    ]
    lines = [(e["entry"], e["kind"]) for e in timeline(desk.views.conn, "112038")]
    assert (3, "outreach-recorded") in lines and (2, "contact-assigned") in lines
    fresh = ReadModels(str(tmp_path / "fresh.views.sqlite"))
    try:
        fresh.rebuild(desk.log)
        assert show_case(fresh.conn, case_id) == case
        assert timeline(fresh.conn, "112038") == timeline(desk.views.conn, "112038")
    finally:
        fresh.close()
    recorded = desk.recorded(today() - timedelta(days=1))  # everything was recorded today
    assert recorded.execute("SELECT COUNT(*) FROM facts").fetchone() == (0,)
    assert desk.recorded(today()) is desk.views.conn
