"""Commitments in the TUI: a promise recorded with its owner and due date (p), one kept (s),
a follow-up chosen among several, and a case closing with promises open only once the
desk ticks what becomes of them."""

from __future__ import annotations

import json
from datetime import timedelta

from textual.widgets import Checkbox, Input, Select, Static, TextArea

from tests.tui.conftest import on_screen, open_case, settle
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp
from tui.forms.case_steps import (
    CloseForm,
    CommitForm,
    FollowUpDoneForm,
    FollowUpRescheduleForm,
    SettleForm,
    VisitForm,
)
from tui.screens.case import CaseScreen


def _commitments(desk: Desk, number: str) -> list[tuple[int, str, str, str | None]]:
    return [(c["number"], c["owner"], c["state"], c["due"]) for c in _promised(desk, number)]


def _promised(desk: Desk, number: str) -> list[dict[str, object]]:
    desk.refresh()
    case = desk.app.case(number)
    shown = desk.views.conn.execute("SELECT commitments FROM cases WHERE id = ?", (str(case.id),))
    return list(json.loads(shown.fetchone()[0]))


async def test_p_records_a_promise_of_an_expert_with_a_due_date_and_s_keeps_one(
    app: BansoApp, desk: Desk
) -> None:
    due = (TODAY + timedelta(days=7)).isoformat()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        assert "［1］公式アカウントの運用規程案を作る（市町村）" in on_screen(app)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, CommitForm)
        form = app.screen
        form.query_one("#field-text Input", Input).value = "研修資料を送る"
        form.query_one("#field-owner Select", Select).value = "E002"
        form.query_one("#field-due Input", Input).value = due
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert f"［2］研修資料を送る（E002 鈴木花子、期限 {due}）" in on_screen(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettleForm)
        app.screen.query_one("#field-number Select", Select).value = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert _commitments(desk, "2025-005") == [
        (1, "municipality", "done", None),
        (2, "expert", "open", due),
    ]


async def test_a_follow_up_is_chosen_among_several_and_done_or_cancelled_on_its_own(
    app: BansoApp, desk: Desk
) -> None:
    first, second = (TODAY + timedelta(days=n) for n in (3, 9))
    desk.app.schedule_follow_up("2025-005", due=first, on=TODAY)
    desk.app.schedule_follow_up("2025-005", due=second, on=TODAY)
    desk.refresh()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpDoneForm)
        form = app.screen
        form.query_one("#field-number Select", Select).value = 1
        form.query_one("#field-outcome Select", Select).value = "cancelled"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert desk.app.case("2025-005").pending_follow_ups == {2: second}


async def test_y_moves_one_follow_up_to_a_new_due_date_and_refuses_one_before_the_day(
    app: BansoApp, desk: Desk
) -> None:
    first, second, moved = (TODAY + timedelta(days=n) for n in (3, 9, 14))
    desk.app.schedule_follow_up("2025-005", due=first, on=TODAY)
    desk.app.schedule_follow_up("2025-005", due=second, note="見積の確認", on=TODAY)
    desk.refresh()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpRescheduleForm)
        form = app.screen
        assert "フォローアップの予定変更" in on_screen(app)
        form.query_one("#field-number Select", Select).value = 2
        form.query_one("#field-due Input", Input).value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpRescheduleForm), "refused: nothing recorded"
        assert desk.app.case("2025-005").pending_follow_ups == {1: first, 2: second}
        form.query_one("#field-due Input", Input).value = moved.isoformat()
        form.query_one("#field-note Input", Input).value = "先方の都合"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert moved.isoformat() in on_screen(app)
    assert desk.app.case("2025-005").pending_follow_ups == {1: first, 2: moved}
    desk.refresh()
    (fact,) = desk.views.conn.execute(
        "SELECT data FROM facts WHERE kind = 'FollowUpRescheduled'"
    ).fetchall()
    assert json.loads(fact[0])["note"] == "先方の都合"


async def test_y_is_offered_only_while_a_follow_up_is_pending(app: BansoApp, desk: Desk) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        assert app.screen.check_action("act", ("follow_up_reschedule",)) is False
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_each_next_step_of_a_visit_has_its_own_owner_and_due_date_on_its_line(
    app: BansoApp, desk: Desk
) -> None:
    soon, later = ((TODAY + timedelta(days=n)).isoformat() for n in (5, 12))
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VisitForm)
        form = app.screen
        assert "内容｜担当｜期限" in on_screen(app)
        form.query_one("#field-report TextArea", TextArea).text = "運用規程を確認した"
        steps = form.query_one("#field-next_steps TextArea", TextArea)
        steps.text = (
            f"見積を比較\n教材を送付｜事務局：佐藤｜{soon}\n手順書を渡す | 鈴木花子\n｜市町村"
        )
        form.query_one("#field-steps_due Input", Input).value = later
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitForm), "refused: nothing recorded"
        error = form.query_one("#field-next_steps .field-error", Static).render()
        assert "4行目" in str(error)
        steps.text = steps.text.rsplit("\n", 1)[0]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    made = [
        (c["number"], c["text"], c["owner"], c["member"], c["expert"], c["due"])
        for c in _promised(desk, "2025-005")
        if c["state"] == "open"
    ]
    assert made == [
        (1, "公式アカウントの運用規程案を作る", "municipality", None, None, None),
        (2, "見積を比較", "municipality", None, None, later),
        (3, "教材を送付", "secretariat", "佐藤", None, soon),
        (4, "手順書を渡す", "expert", None, "E002", later),
    ]


async def test_a_next_steps_line_with_a_due_date_before_the_visit_is_refused_naming_the_line(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitForm)
        form.query_one("#field-report TextArea", TextArea).text = "運用規程を確認した"
        past = (TODAY - timedelta(days=3)).isoformat()
        form.query_one(
            "#field-next_steps TextArea", TextArea
        ).text = f"見積を比較\n研修｜市町村｜{past}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitForm)
        error = str(form.query_one("#field-next_steps .field-error", Static).render())
        assert error.startswith("2行目: ") and "期日" in error, error
    assert len(_promised(desk, "2025-005")) == 1, "nothing recorded"


async def test_closing_with_promises_open_asks_to_tick_that_they_are_cancelled(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CloseForm)
        form = app.screen
        form.query_one("#field-resolution Select", Select).value = "resolved"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CloseForm)  # refused: nothing recorded
        error = form.query_one("#field-cancel_open .field-error", Static).render()
        assert "未了の約束が 1 件あります" in str(error)
        assert desk.app.case("2025-005").closed is False
        form.query_one("#field-cancel_open Checkbox", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert _commitments(desk, "2025-005") == [(1, "municipality", "cancelled", None)]
    assert desk.app.case("2025-005").closed is True
