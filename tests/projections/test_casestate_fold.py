"""The case-state fold: one step per case event kind, and whole histories, without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from projections.casestate import CaseState, advance, fold, opened
from projections.kinds import STEPS

ID = "c0ffee00-0000-4000-8000-000000000001"
OPENING = {
    "number": "2025-001",
    "municipality_code": "113611",
    "topic": "C",
    "summary": "公式LINEを導入したい",
    "channel": "chat",
    "contact": "佐藤花子",
}
BASE = opened(ID, 10, "2025-05-01", OPENING)


def test_an_opened_case_is_open_with_the_opening_as_its_last_activity():
    state = opened(ID, 10, "2025-05-01", OPENING)
    assert state == CaseState(
        id=ID,
        number="2025-001",
        municipality="113611",
        topic="C",
        summary="公式LINEを導入したい",
        channel="chat",
        contact="佐藤花子",
        opened_on="2025-05-01",
        status="open",
        closed_on=None,
        resolution=None,
        last_activity_on="2025-05-01",
        last_activity_kind="CaseOpened",
        last_position=10,
        last_visit_on=None,
        visits=0,
        decisions=0,
        application_pending_since=None,
        follow_up_due=None,
        follow_up_note=None,
        experts=(),
        latest_report=None,
        next_steps=(),
        feedback_ratings=(),
    )


def _after(kind: str, data: dict, before: CaseState = BASE, on: str = "2025-05-10") -> CaseState:
    return advance(before, kind, 20, on, data)


def _moved(kind: str, on: str = "2025-05-10", **changes) -> CaseState:
    """BASE with ``changes`` and the fact as its last activity."""
    return replace(BASE, last_activity_on=on, last_activity_kind=kind, last_position=20, **changes)


VISITED = replace(
    BASE,
    visits=1,
    last_visit_on="2025-05-05",
    latest_report="旧報告",
    next_steps=("旧ステップ",),
    experts=("E002",),
)
SCHEDULED = replace(BASE, follow_up_due="2025-06-01", follow_up_note="確認", next_steps=("a",))
CLOSED = replace(BASE, status="closed", closed_on="2025-05-08", resolution="withdrawn")

STEP_CASES = [
    (
        "DispatchApplied",
        {},
        BASE,
        _moved("DispatchApplied", application_pending_since="2025-05-10"),
    ),
    (
        "DispatchApplied",
        {},
        replace(BASE, application_pending_since="2025-05-03"),
        _moved("DispatchApplied", application_pending_since="2025-05-03"),
    ),
    (
        "DispatchDecided",
        {"experts": ["E002", "E001"]},
        replace(BASE, application_pending_since="2025-05-03", experts=("E001",)),
        _moved("DispatchDecided", decisions=1, experts=("E001", "E002")),
    ),
    (
        "VisitReported",
        {"report": "要件を整理", "experts": ["E001"], "online": True, "next_steps": ["見積"]},
        VISITED,
        _moved(
            "VisitReported",
            visits=2,
            last_visit_on="2025-05-10",
            latest_report="要件を整理",
            next_steps=("見積",),
            experts=("E002", "E001"),
        ),
    ),
    (
        "VisitReported",
        {"report": "v1 の報告"},
        BASE,
        _moved("VisitReported", visits=1, last_visit_on="2025-05-10", latest_report="v1 の報告"),
    ),
    (
        "FollowUpScheduled",
        {"due": "2025-06-30", "note": "庁内調整の結果"},
        BASE,
        _moved("FollowUpScheduled", follow_up_due="2025-06-30", follow_up_note="庁内調整の結果"),
    ),
    ("FollowUpDone", {"note": None}, SCHEDULED, _moved("FollowUpDone")),
    (
        "NoteAdded",
        {"text": "メモ"},
        SCHEDULED,
        replace(
            _moved("NoteAdded"),
            follow_up_due="2025-06-01",
            follow_up_note="確認",
            next_steps=("a",),
        ),
    ),
    (
        "FeedbackReceived",
        {"rating": 5, "comment": None},
        replace(BASE, feedback_ratings=(3,)),
        _moved("FeedbackReceived", feedback_ratings=(3, 5)),
    ),
    (
        "CaseClosed",
        {"resolution": "resolved", "note": "完了"},
        BASE,
        _moved("CaseClosed", status="closed", closed_on="2025-05-10", resolution="resolved"),
    ),
    ("CaseReopened", {"note": None}, CLOSED, _moved("CaseReopened")),
    (
        "ExpertReassigned",
        {"from_expert": "E001", "to_expert": "E003", "note": None},
        replace(BASE, experts=("E001", "E002")),
        _moved("ExpertReassigned", experts=("E003", "E002")),
    ),
    (
        "ExpertReassigned",
        {"from_expert": "E001", "to_expert": "E002", "note": "退任"},
        replace(BASE, experts=("E001", "E002")),
        _moved("ExpertReassigned", experts=("E002",)),
    ),
]


@pytest.mark.parametrize(
    ("kind", "data", "before", "after"),
    STEP_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(STEP_CASES)],
)
def test_each_case_event_kind_moves_the_state_as_it_should(kind, data, before, after):
    assert _after(kind, data, before) == after


def test_every_case_event_kind_has_a_step_and_a_test():
    assert {c[0] for c in STEP_CASES} == set(STEPS)


def test_a_fold_applies_a_whole_history_in_order():
    facts = [
        (ID, 10, "CaseOpened", "2025-05-01", OPENING),
        (ID, 11, "DispatchApplied", "2025-05-02", {}),
        (ID, 12, "DispatchDecided", "2025-05-07", {"experts": ["E001"]}),
        (ID, 13, "VisitReported", "2025-05-20", {"report": "初回訪問", "next_steps": ["見積"]}),
        (ID, 14, "FollowUpScheduled", "2025-05-20", {"due": "2025-06-20", "note": None}),
        (ID, 15, "NoteAdded", "2025-05-25", {"text": "メモ"}),
        (ID, 16, "FollowUpDone", "2025-06-18", {"note": "済"}),
        (ID, 17, "CaseClosed", "2025-06-30", {"resolution": "resolved", "note": None}),
        (ID, 18, "FeedbackReceived", "2025-07-01", {"rating": 4, "comment": "良"}),
    ]
    assert fold(facts) == replace(
        BASE,
        status="closed",
        closed_on="2025-06-30",
        resolution="resolved",
        last_activity_on="2025-07-01",
        last_activity_kind="FeedbackReceived",
        last_position=18,
        last_visit_on="2025-05-20",
        visits=1,
        decisions=1,
        experts=("E001",),
        latest_report="初回訪問",
        feedback_ratings=(4,),
    )


def test_a_fold_of_nothing_is_no_case_and_facts_before_the_opening_are_ignored():
    assert fold([]) is None
    assert fold([(ID, 3, "NoteAdded", "2025-04-01", {"text": "x"})]) is None
    assert (
        fold(
            [
                (ID, 3, "NoteAdded", "2025-04-01", {"text": "x"}),
                (ID, 10, "CaseOpened", "2025-05-01", OPENING),
            ]
        )
        == BASE
    )


def test_a_case_state_survives_its_row_round_trip():
    state = replace(
        VISITED, experts=("E001", "E002"), next_steps=("見積", "説明"), feedback_ratings=(5, 2)
    )
    row = state.row()
    assert (row["experts"], row["next_steps"], row["feedback_ratings"]) == (
        '["E001", "E002"]',
        '["見積", "説明"]',
        "[5, 2]",
    )
    assert CaseState.from_row(row) == state
