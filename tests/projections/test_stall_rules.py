"""Each stall rule at its boundary: on case states directly, and through ``stalled`` on a store.

The application clock counts office days (開庁日); the others count calendar days."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from datetime import date, timedelta

import pytest
from projections_support import KAWAGUCHI, YOKOZE, d, today_is

from projections.casestate import CaseState, advance, opened
from projections.queries.stalled import stalled
from projections.rules import Stall, expert_left_on, stalls
from tracker.desk.bootstrap import Desk
from tracker.domain.rulebook import DEFAULT_SETTINGS

OPENED_ON = "2025-05-01"


def _case(*steps: tuple[str, str, dict]) -> CaseState:
    """A case opened on OPENED_ON, then moved by ``(kind, on, data)`` steps."""
    state = opened(
        "id-1",
        1,
        OPENED_ON,
        {
            "number": "2025-001",
            "municipality_code": YOKOZE,
            "topic": "A",
            "summary": "DX推進計画",
            "channel": "chat",
            "contact": None,
        },
    )
    for position, (kind, on, data) in enumerate(steps, start=2):
        state = advance(state, kind, position, on, data)
    return state


def _plus(day: str, days: int) -> date:
    return d(day) + timedelta(days=days)


# ---- the rules on case states ---------------------------------------------------------------


def test_an_application_is_overdue_on_the_eighth_office_day_not_the_seventh():
    # Friday 2025-05-02; 5/3-5/6 are Golden Week holidays: office days are 5/7, 5/8, 5/9,
    # 5/12, 5/13, 5/14, 5/15 (the 7th) and 5/16 (the 8th).
    case = _case(("DispatchApplied", "2025-05-02", {}))
    assert stalls(case, d("2025-05-15")) == []
    assert stalls(case, d("2025-05-16")) == [Stall("decision-overdue", d("2025-05-02"))]
    assert Stall("decision-overdue", d("2025-05-02")).days(d("2025-05-16")) == 8
    assert Stall("decision-overdue", d("2025-05-02")).days(d("2025-05-18")) == 8  # a Sunday


def test_the_new_year_closure_and_coming_of_age_day_are_not_office_days():
    # Friday 2025-12-26; 12/29-1/3 closed, 1/4 a Sunday, 1/12 成人の日: the 8th office day
    # after is 2026-01-15.
    case = _case(("DispatchApplied", "2025-12-26", {}))
    assert stalls(case, d("2026-01-14")) == []
    assert stalls(case, d("2026-01-15")) == [Stall("decision-overdue", d("2025-12-26"))]


def test_the_application_clock_counts_calendar_days_when_the_rule_book_says_so():
    calendar = DEFAULT_SETTINGS.changed("rules.decision-overdue.day_kind", "calendar")
    case = _case(("DispatchApplied", "2025-05-02", {}))
    assert stalls(case, _plus("2025-05-02", 7), settings=calendar) == []
    assert stalls(case, _plus("2025-05-02", 8), settings=calendar) == [
        Stall("decision-overdue", d("2025-05-02"))
    ]
    assert Stall("decision-overdue", d("2025-05-02")).days(d("2025-05-16"), calendar) == 14


def test_a_decision_stops_the_application_clock():
    case = _case(
        ("DispatchApplied", "2025-05-02", {}),
        ("DispatchDecided", "2025-05-20", {"experts": ["E001"]}),
    )
    assert stalls(case, d("2025-06-01")) == []


def test_a_visit_is_one_off_after_31_days_not_30():
    case = _case(("VisitReported", "2025-05-10", {"report": "訪問"}))
    assert stalls(case, _plus("2025-05-10", 30)) == []
    assert stalls(case, _plus("2025-05-10", 31)) == [Stall("one-off", d("2025-05-10"))]


def test_a_visit_followed_by_a_note_or_a_pending_follow_up_is_not_one_off():
    visited = ("VisitReported", "2025-05-10", {"report": "訪問"})
    noted = _case(visited, ("NoteAdded", "2025-05-11", {"text": "メモ"}))
    planned = _case(visited, ("FollowUpScheduled", "2025-05-10", {"due": "2025-09-30"}))
    assert stalls(noted, _plus("2025-05-10", 45)) == []
    assert stalls(planned, _plus("2025-05-10", 45)) == []


def test_a_follow_up_is_overdue_the_day_after_its_due_date_not_on_it():
    case = _case(("FollowUpScheduled", "2025-05-01", {"due": "2025-05-20"}))
    assert stalls(case, d("2025-05-20")) == []
    assert stalls(case, d("2025-05-21")) == [Stall("follow-up-overdue", d("2025-05-20"))]


def test_a_done_follow_up_is_no_longer_overdue():
    case = _case(
        ("FollowUpScheduled", "2025-05-01", {"due": "2025-05-20"}),
        ("FollowUpDone", "2025-05-25", {}),
    )
    assert stalls(case, d("2025-05-26")) == []


def test_a_case_whose_contact_left_is_listed_from_the_day_they_left():
    case = _case()
    assert stalls(case, d("2025-06-01"), contact_left_on="2025-06-01") == [
        Stall("contact-left", d("2025-06-01"))
    ]
    assert Stall("contact-left", d("2025-06-01")).days(d("2025-06-01")) == 0
    assert stalls(case, d("2025-06-01")) == []


def test_a_case_whose_expert_retired_is_listed_from_the_retirement_day():
    case = _case(("DispatchApplied", "2025-05-02", {}))
    case = advance(case, "DispatchDecided", 9, "2025-05-07", {"experts": ["E001", "E002"]})
    retired = {"E002": "2025-06-30", "E009": "2025-05-01"}
    assert expert_left_on(case, retired) == "2025-06-30"
    assert stalls(case, d("2025-06-30"), expert_left_on="2025-06-30") == [
        Stall("expert-left", d("2025-06-30"))
    ]
    handed = advance(
        case, "ExpertReassigned", 10, "2025-07-01", {"from_expert": "E002", "to_expert": "E003"}
    )
    assert handed.experts == ("E001", "E003")
    assert expert_left_on(handed, retired) is None


def test_a_case_is_dormant_after_61_quiet_days_not_60():
    case = _case(("NoteAdded", "2025-05-05", {"text": "メモ"}))
    assert stalls(case, _plus("2025-05-05", 60)) == []
    assert stalls(case, _plus("2025-05-05", 61)) == [Stall("dormant", d("2025-05-05"))]


@pytest.mark.parametrize(
    ("case", "contact_left_on", "listed"),
    [
        (_case(("DispatchApplied", OPENED_ON, {})), None, "decision-overdue"),
        (_case(("VisitReported", OPENED_ON, {"report": "訪問"})), None, "one-off"),
        (_case(("FollowUpScheduled", OPENED_ON, {"due": OPENED_ON})), None, "follow-up-overdue"),
        (_case(), "2025-05-02", "contact-left"),
    ],
)
def test_dormant_is_suppressed_when_another_rule_lists_the_case(case, contact_left_on, listed):
    found = stalls(case, _plus(OPENED_ON, 90), contact_left_on=contact_left_on)
    assert [s.rule for s in found] == [listed]


def test_dormant_is_suppressed_when_the_cases_expert_left():
    found = stalls(_case(), _plus(OPENED_ON, 90), expert_left_on="2025-05-02")
    assert [s.rule for s in found] == ["expert-left"]


def test_a_closed_case_never_stalls():
    case = _case(
        ("DispatchApplied", OPENED_ON, {}),
        ("FollowUpScheduled", OPENED_ON, {"due": OPENED_ON}),
        ("CaseClosed", "2025-05-02", {"resolution": "withdrawn"}),
    )
    assert stalls(case, d("2026-01-01"), contact_left_on="2025-05-02") == []
    reopened = advance(case, "CaseReopened", 9, "2025-05-03", {})
    assert [s.rule for s in stalls(reopened, d("2025-07-01"))] == [
        "decision-overdue",
        "follow-up-overdue",
    ]


def test_several_rules_can_list_one_case_in_rule_order():
    case = _case(
        ("DispatchApplied", "2025-05-01", {}),
        ("FollowUpScheduled", "2025-05-01", {"due": "2025-05-15"}),
    )
    assert stalls(case, d("2025-06-01"), contact_left_on="2025-05-20") == [
        Stall("decision-overdue", d("2025-05-01")),
        Stall("follow-up-overdue", d("2025-05-15")),
        Stall("contact-left", d("2025-05-20")),
    ]


def test_thresholds_are_configurable():
    case = _case(("DispatchApplied", "2025-05-01", {}))
    strict = DEFAULT_SETTINGS.changed("rules.decision-overdue.days", 3)
    strict = strict.changed("rules.dormant.days", 20)
    # After Thursday 5/1: 5/2 and, past the holidays, 5/7, 5/8 and 5/9 (the 4th office day).
    assert stalls(case, d("2025-05-08"), settings=strict) == []
    assert stalls(case, d("2025-05-09"), settings=strict) == [
        Stall("decision-overdue", d("2025-05-01"))
    ]
    quiet = replace(_case(), last_activity_on="2025-05-01")
    assert stalls(quiet, d("2025-05-22"), settings=strict) == [Stall("dormant", d("2025-05-01"))]
    assert stalls(quiet, d("2025-05-21"), settings=strict) == []


# ---- the rules through ``stalled`` on a real store --------------------------------------------


@pytest.fixture(params=["as-of", "current"])
def ask(request):
    """Ask ``stalled`` for a past day (folding facts), or on a day that is today (the cases table).

    Business dates are never in the future, so "today" can only be a day on or after the
    latest one recorded; earlier days are always asked as past days.
    """

    def asking(desk: Desk, day: str) -> list[dict]:
        latest = desk.views.conn.execute("SELECT MAX(occurred_on) FROM facts").fetchone()[0]
        current = request.param == "current" and day >= latest
        context = today_is(d(day)) if current else nullcontext()
        with context:
            return stalled(desk.views.conn, d(day))

    return asking


def _open(desk: Desk, on: str = OPENED_ON, code: str = YOKOZE, **kw) -> tuple[str, str]:
    number, case_id = desk.app.open_case(
        code, topic="A", summary="DX推進計画の相談", on=d(on), **kw
    )
    return number, str(case_id)


def _row(number: str, case_id: str, rule: str, since: str, days: int, code: str = YOKOZE) -> dict:
    return {
        "case": number,
        "case_id": case_id,
        "municipality": code,
        "municipality_name": {YOKOZE: "横瀬町", KAWAGUCHI: "川口市"}[code],
        "rule": rule,
        "since": since,
        "days": days,
        "day_kind": "office" if rule == "decision-overdue" else "calendar",
        "topic": "A",
        "summary": "DX推進計画の相談",
    }


def test_stalled_lists_an_undecided_application_from_the_eighth_office_day(registered, ask):
    number, case_id = _open(registered)
    registered.app.apply_for_dispatch(number, on=d("2025-05-02"))
    registered.refresh()
    assert ask(registered, "2025-05-15") == []
    assert ask(registered, "2025-05-16") == [
        _row(number, case_id, "decision-overdue", "2025-05-02", 8)
    ]
    registered.app.decide_dispatch(number, ["E001"], on=d("2025-05-19"))
    registered.refresh()
    assert ask(registered, "2025-05-19") == []
    assert ask(registered, "2025-05-18") == [
        _row(number, case_id, "decision-overdue", "2025-05-02", 8)
    ]


def test_stalled_lists_a_one_off_visit_from_the_31st_day(registered, ask):
    number, case_id = _open(registered)
    registered.app.report_visit(number, report="現地で要件整理", on=d("2025-05-10"))
    registered.refresh()
    assert ask(registered, "2025-06-09") == []
    assert ask(registered, "2025-06-10") == [_row(number, case_id, "one-off", "2025-05-10", 31)]


def test_stalled_lists_a_follow_up_the_day_after_it_is_due(registered, ask):
    number, case_id = _open(registered)
    registered.app.schedule_follow_up(number, due=d("2025-05-20"), on=d("2025-05-01"))
    registered.refresh()
    assert ask(registered, "2025-05-20") == []
    assert ask(registered, "2025-05-21") == [
        _row(number, case_id, "follow-up-overdue", "2025-05-20", 1)
    ]


def test_stalled_lists_a_case_whose_contact_left_with_no_successor(registered, ask):
    registered.app.assign_contact(KAWAGUCHI, "佐藤花子", role="主査", on=d("2025-04-01"))
    registered.app.assign_contact(KAWAGUCHI, "鈴木一郎", role="係長", on=d("2025-04-01"))
    left, left_id = _open(registered, code=KAWAGUCHI, contact="佐藤花子")
    handed, _ = _open(registered, code=KAWAGUCHI, contact="鈴木一郎")
    registered.app.transfer_contact(KAWAGUCHI, "佐藤花子", on=d("2025-06-01"))
    registered.app.transfer_contact(KAWAGUCHI, "鈴木一郎", successor="高橋二郎", on=d("2025-06-01"))
    registered.refresh()
    assert ask(registered, "2025-05-31") == []
    assert ask(registered, "2025-06-03") == [
        _row(left, left_id, "contact-left", "2025-06-01", 2, code=KAWAGUCHI)
    ]
    assert handed == "2025-002"


def test_stalled_lists_a_quiet_case_as_dormant_from_the_61st_day_unless_another_rule_does(
    registered, ask
):
    quiet, quiet_id = _open(registered)
    pending, pending_id = _open(registered)
    registered.app.apply_for_dispatch(pending, on=d(OPENED_ON))
    registered.refresh()
    # Office days after Thursday 5/1: 19 in May (5/3-5/6 are holidays), 21 in June.
    assert ask(registered, "2025-06-30") == [
        _row(pending, pending_id, "decision-overdue", OPENED_ON, 40)
    ]
    assert ask(registered, "2025-07-01") == [
        _row(pending, pending_id, "decision-overdue", OPENED_ON, 41),
        _row(quiet, quiet_id, "dormant", OPENED_ON, 61),
    ]


def test_stalled_leaves_out_a_case_closed_by_the_day_and_lists_it_before(registered, ask):
    number, case_id = _open(registered)
    registered.app.apply_for_dispatch(number, on=d(OPENED_ON))
    registered.app.close_case(number, resolution="withdrawn", on=d("2025-05-20"))
    registered.refresh()
    assert ask(registered, "2025-05-19") == [
        _row(number, case_id, "decision-overdue", OPENED_ON, 10)
    ]
    assert ask(registered, "2025-05-20") == []


def test_stalled_lists_the_open_cases_of_a_retired_expert_until_they_are_handed_over(
    registered, ask
):
    handed, _ = _open(registered)
    forgotten, forgotten_id = _open(registered)
    closed, _ = _open(registered)
    for number in (handed, forgotten, closed):
        registered.app.apply_for_dispatch(number, on=d("2025-05-07"))
        registered.app.decide_dispatch(number, ["E001"], on=d("2025-05-08"))
        registered.app.schedule_follow_up(number, due=d("2025-12-01"), on=d("2025-05-08"))
    registered.app.close_case(closed, resolution="resolved", on=d("2025-06-01"))
    registered.app.retire_expert("E001", on=d("2025-06-30"))
    registered.app.reassign_expert(handed, "E001", "E002", on=d("2025-07-04"))
    registered.refresh()
    assert ask(registered, "2025-06-29") == []
    on_the_day = ask(registered, "2025-06-30")
    assert [(r["case"], r["rule"], r["since"], r["days"]) for r in on_the_day] == [
        (handed, "expert-left", "2025-06-30", 0),
        (forgotten, "expert-left", "2025-06-30", 0),
    ]
    assert ask(registered, "2025-07-10") == [
        _row(forgotten, forgotten_id, "expert-left", "2025-06-30", 10)
    ]


def test_stalled_uses_the_rule_settings_in_force_on_the_day_asked_about(registered, ask):
    number, case_id = _open(registered)
    registered.app.apply_for_dispatch(number, on=d("2025-05-07"))
    registered.app.change_setting("rules.decision-overdue.days", "3", on=d("2025-05-20"))
    registered.app.change_setting("rules.decision-overdue.day_kind", "暦日", on=d("2025-05-20"))
    registered.refresh()
    # Before the change: seven office days; after 5/7 the 8th is 5/19.
    assert ask(registered, "2025-05-16") == []
    assert ask(registered, "2025-05-19") == [
        _row(number, case_id, "decision-overdue", "2025-05-07", 8)
    ]
    on_the_day = ask(registered, "2025-05-20")
    assert [(r["rule"], r["days"], r["day_kind"]) for r in on_the_day] == [
        ("decision-overdue", 13, "calendar")
    ]
