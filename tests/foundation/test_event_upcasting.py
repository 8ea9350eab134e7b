"""Integration: a VisitReported stored in its version-1 shape reads as version 2 everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from events.case import VisitReported
from projections.queries.cases import show_case
from projections.queries.commitments import open_commitments
from projections.queries.search import search
from tracker.desk.bootstrap import Desk
from tracker.domain.errors import OpenCommitmentsError

D = date.fromisoformat


@pytest.fixture(params=["memory", "sqlite"])
def desk_with_case(
    request: pytest.FixtureRequest,
    store_of: Callable[[str], str],
    open_desk: Callable[..., Desk],
) -> Desk:
    desk = open_desk(store_of(request.param))
    desk.app.register_prefecture("11", on=D("2025-04-01"))
    desk.app.register_expert("山田太郎", on=D("2025-04-01"))
    desk.app.open_case("112038", topic="B", summary="移行の相談", on=D("2025-06-02"))
    return desk


def test_a_v1_visit_is_read_back_as_v2_with_its_next_step_in_a_list(
    desk_with_case: Desk, v1_visit: Callable[..., int]
) -> None:
    app = desk_with_case.app
    version = v1_visit(app, "2025-001", next_step="見積を依頼", on="2025-06-20")
    case = app.case("2025-001")
    events = list(app.repository.event_store.get(case.id))
    visit = events[-1]
    assert isinstance(visit, VisitReported)
    assert visit.originator_version == version == case.version == 2
    assert visit.next_steps == ("見積を依頼",)
    assert visit.experts == ("E001",)
    assert visit.recorded_by == "旧版の記録者"
    assert case.experts == ("E001",)


def test_the_read_models_show_the_upcast_next_step(
    desk_with_case: Desk, v1_visit: Callable[..., int]
) -> None:
    v1_visit(desk_with_case.app, "2025-001", next_step="見積を依頼", on="2025-06-20")
    desk_with_case.refresh()
    conn = desk_with_case.views.conn
    case_id = str(desk_with_case.app.case("2025-001").id)
    shown = show_case(conn, case_id)
    assert shown is not None
    assert shown["next_steps"] == ["見積を依頼"]
    assert shown["latest_report"] == "旧版で記録した報告"
    assert [h["kind"] for h in shown["history"]] == ["case-opened", "visit-reported"]
    assert [hit["case"] for hit in search(conn, "見積")] == ["2025-001"]


def test_a_v1_visit_without_a_next_step_has_none(
    desk_with_case: Desk, v1_visit: Callable[..., int]
) -> None:
    v1_visit(desk_with_case.app, "2025-001", next_step=None, on="2025-06-20")
    desk_with_case.refresh()
    notifications = desk_with_case.app.recorder.select_notifications(start=1, limit=1000)
    assert desk_with_case.log.decode(notifications[-1]).next_steps == ()
    case_id = str(desk_with_case.app.case("2025-001").id)
    assert show_case(desk_with_case.views.conn, case_id)["next_steps"] == []


def test_a_case_with_a_v1_visit_takes_new_commands_after_it(
    desk_with_case: Desk, v1_visit: Callable[..., int]
) -> None:
    app = desk_with_case.app
    v1_visit(app, "2025-001", next_step="見積を依頼", on="2025-06-20")
    app.schedule_follow_up("2025-001", due=D("2025-07-01"), on=D("2025-06-21"))
    app.report_visit("2025-001", report="二回目", next_steps=["契約"], on=D("2025-07-01"))
    case = app.case("2025-001")
    assert case.version == 5  # the visit, and its next step as commitment 2
    assert case.open_commitments == (1, 2)  # the older visit's next step is commitment 1
    desk_with_case.refresh()
    shown = show_case(desk_with_case.views.conn, str(case.id))
    assert shown["visits"] == 2
    assert shown["next_steps"] == ["見積を依頼", "契約"]
    assert [(c["number"], c["owner"]) for c in shown["commitments"]] == [
        (1, "municipality"),
        (2, "municipality"),
    ]


def test_upcasting_turns_the_v1_state_into_the_v2_state() -> None:
    state = {"report": "r", "next_step": "次"}
    assert VisitReported.upcast(state, 1) == {"report": "r", "next_steps": ["次"]}
    assert VisitReported.upcast({"report": "r", "next_step": None}, 1) == {
        "report": "r",
        "next_steps": [],
    }
    current = {"report": "r", "next_steps": ["a", "b"]}
    assert VisitReported.upcast(dict(current), 2) == current


def test_an_older_visits_next_step_is_an_open_commitment_until_settled_and_stays_as_stored(
    desk_with_case: Desk, v1_visit: Callable[..., int]
) -> None:
    app = desk_with_case.app
    v1_visit(app, "2025-001", next_step="事務局が教材を送付", on="2025-06-20")
    app.schedule_follow_up("2025-001", due=D("2025-07-01"), on=D("2025-06-21"))
    app.complete_follow_up("2025-001", on=D("2025-07-01"))  # settles no promise
    with pytest.raises(OpenCommitmentsError):
        app.close_case("2025-001", resolution="resolved", on=D("2025-07-02"))
    desk_with_case.refresh()
    case_id = str(app.case("2025-001").id)
    assert [
        (r["case"], r["number"], r["owner"], r["text"])
        for r in open_commitments(desk_with_case.views.conn, D("2025-07-02"))
    ] == [("2025-001", 1, "municipality", "事務局が教材を送付")]
    app.complete_commitment("2025-001", 1, note="送付済み", on=D("2025-07-02"))
    app.close_case("2025-001", resolution="resolved", on=D("2025-07-03"))
    desk_with_case.refresh()
    shown = show_case(desk_with_case.views.conn, case_id)
    assert [(c["number"], c["state"], c["note"]) for c in shown["commitments"]] == [
        (1, "done", "送付済み")
    ]
    assert shown["feedback_requested_on"] == "2025-07-03"  # a visit, and no feedback yet
    stored = app.recorder.select_events(app.case("2025-001").id)[1]
    assert json.loads(stored.state)["next_step"] == "事務局が教材を送付"  # never rewritten
