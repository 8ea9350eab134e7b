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
        feedback_ratings=(),
        commitments=(),
        commitment_due=None,
        follow_ups=(),
        last_follow_up=0,
        legacy_steps=0,
        feedback_requested_on=None,
    )


def _after(kind: str, data: dict, before: CaseState = BASE, on: str = "2025-05-10") -> CaseState:
    return advance(before, kind, 20, on, data)


def _moved(kind: str, on: str = "2025-05-10", **changes) -> CaseState:
    """BASE with ``changes`` and the fact as its last activity."""
    return replace(BASE, last_activity_on=on, last_activity_kind=kind, last_position=20, **changes)


def promise(number: int, text: str, on: str = "2025-05-05", **more) -> dict:
    """A commitment as the fold keeps it (open unless ``more`` says otherwise)."""
    return {
        "number": number,
        "text": text,
        "owner": "municipality",
        "member": None,
        "expert": None,
        "due": None,
        "made_on": on,
        "state": "open",
        "settled_on": None,
        "note": None,
    } | more


def planned(number: int, due: str, note: str | None = None, on: str = "2025-05-05") -> dict:
    return {"number": number, "due": due, "note": note, "planned_on": on}


OLD_STEP = promise(1, "旧ステップ")
VISITED = replace(
    BASE,
    visits=1,
    last_visit_on="2025-05-05",
    latest_report="旧報告",
    experts=("E002",),
    commitments=(OLD_STEP,),
    legacy_steps=1,
)
SCHEDULED = replace(
    BASE,
    follow_up_due="2025-06-01",
    follow_up_note="確認",
    follow_ups=(planned(1, "2025-06-01", "確認"),),
    last_follow_up=1,
    commitments=(promise(1, "a"),),
)
TWO_PLANNED = replace(
    SCHEDULED,
    follow_ups=(planned(1, "2025-06-01", "確認"), planned(2, "2025-07-01")),
    last_follow_up=2,
)
PROMISED = replace(
    BASE,
    commitments=(promise(1, "a", due="2025-06-01"), promise(2, "b", due="2025-05-20")),
    commitment_due="2025-05-20",
)
CLOSED = replace(BASE, status="closed", closed_on="2025-05-08", resolution="withdrawn")
ASKED = replace(CLOSED, visits=1, feedback_requested_on="2025-05-08")

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
    (  # a visit recorded before commitments: its next steps are the municipality's
        "VisitReported",
        {"report": "要件を整理", "experts": ["E001"], "online": True, "next_steps": ["見積"]},
        VISITED,
        _moved(
            "VisitReported",
            visits=2,
            last_visit_on="2025-05-10",
            latest_report="要件を整理",
            experts=("E002", "E001"),
            commitments=(OLD_STEP, promise(2, "見積", on="2025-05-10")),
            legacy_steps=2,
        ),
    ),
    (
        "VisitReported",
        {"report": "v1 の報告"},
        BASE,
        _moved("VisitReported", visits=1, last_visit_on="2025-05-10", latest_report="v1 の報告"),
    ),
    (
        "CommitmentMade",
        {
            "number": 3,
            "text": "教材を送付",
            "owner": "secretariat",
            "member": "佐藤",
            "expert": None,
            "due": "2025-05-30",
        },
        PROMISED,
        _moved(
            "CommitmentMade",
            commitments=(
                *PROMISED.commitments,
                promise(
                    3,
                    "教材を送付",
                    on="2025-05-10",
                    owner="secretariat",
                    member="佐藤",
                    due="2025-05-30",
                ),
            ),
            commitment_due="2025-05-20",
        ),
    ),
    (
        "CommitmentDone",
        {"number": 2, "note": "送付済み"},
        PROMISED,
        _moved(
            "CommitmentDone",
            commitments=(
                PROMISED.commitments[0],
                promise(
                    2, "b", due="2025-05-20", state="done", settled_on="2025-05-10", note="送付済み"
                ),
            ),
            commitment_due="2025-06-01",
        ),
    ),
    (
        "CommitmentCancelled",
        {"number": 1, "note": None},
        PROMISED,
        _moved(
            "CommitmentCancelled",
            commitments=(
                promise(1, "a", due="2025-06-01", state="cancelled", settled_on="2025-05-10"),
                PROMISED.commitments[1],
            ),
            commitment_due="2025-05-20",
        ),
    ),
    (  # a second follow-up is planned beside the first, which stays the next one
        "FollowUpScheduled",
        {"due": "2025-06-30", "note": "庁内調整の結果", "number": 2},
        SCHEDULED,
        _moved(
            "FollowUpScheduled",
            follow_up_due="2025-06-01",
            follow_up_note="確認",
            follow_ups=(
                planned(1, "2025-06-01", "確認"),
                planned(2, "2025-06-30", "庁内調整の結果", on="2025-05-10"),
            ),
            last_follow_up=2,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (  # one planned before numbering replaced the one pending, keeping its number
        "FollowUpScheduled",
        {"due": "2025-06-30", "note": None, "number": None},
        SCHEDULED,
        _moved(
            "FollowUpScheduled",
            follow_up_due="2025-06-30",
            follow_ups=(planned(1, "2025-06-30", on="2025-05-10"),),
            last_follow_up=1,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (
        "FollowUpRescheduled",
        {"number": 1, "due": "2025-08-01", "note": "先方の都合"},
        TWO_PLANNED,
        _moved(
            "FollowUpRescheduled",
            follow_up_due="2025-07-01",
            follow_up_note=None,
            follow_ups=(planned(2, "2025-07-01"), planned(1, "2025-08-01", "確認")),
            last_follow_up=2,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (  # the follow-up named is done; the other and the commitments stay
        "FollowUpDone",
        {"note": None, "number": 1},
        TWO_PLANNED,
        _moved(
            "FollowUpDone",
            follow_up_due="2025-07-01",
            follow_ups=(planned(2, "2025-07-01"),),
            last_follow_up=2,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (  # done before numbering: every pending follow-up, never a commitment
        "FollowUpDone",
        {"note": None, "number": None},
        TWO_PLANNED,
        _moved("FollowUpDone", last_follow_up=2, commitments=SCHEDULED.commitments),
    ),
    (
        "FollowUpCancelled",
        {"note": "不要になった", "number": 2},
        TWO_PLANNED,
        replace(
            _moved("FollowUpCancelled"),
            follow_up_due="2025-06-01",
            follow_up_note="確認",
            follow_ups=(planned(1, "2025-06-01", "確認"),),
            last_follow_up=2,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (
        "NoteAdded",
        {"text": "メモ"},
        SCHEDULED,
        replace(
            _moved("NoteAdded"),
            follow_up_due="2025-06-01",
            follow_up_note="確認",
            follow_ups=SCHEDULED.follow_ups,
            last_follow_up=1,
            commitments=SCHEDULED.commitments,
        ),
    ),
    (
        "FeedbackReceived",
        {"rating": 5, "comment": None},
        replace(ASKED, feedback_ratings=(3,)),
        replace(
            _moved("FeedbackReceived", feedback_ratings=(3, 5)),
            status="closed",
            closed_on="2025-05-08",
            resolution="withdrawn",
            visits=1,
        ),
    ),
    (  # closing ends the pending follow-ups and what an older store left promised, and
        # asks for feedback when the event says so
        "CaseClosed",
        {"resolution": "resolved", "note": "完了", "feedback_requested": True},
        TWO_PLANNED,
        _moved(
            "CaseClosed",
            status="closed",
            closed_on="2025-05-10",
            resolution="resolved",
            last_follow_up=2,
            commitments=(promise(1, "a", state="cancelled", settled_on="2025-05-10"),),
            feedback_requested_on="2025-05-10",
        ),
    ),
    (
        "CaseClosed",
        {"resolution": "resolved", "note": None, "feedback_requested": False},
        BASE,
        _moved("CaseClosed", status="closed", closed_on="2025-05-10", resolution="resolved"),
    ),
    ("CaseReopened", {"note": None}, ASKED, _moved("CaseReopened", visits=1)),
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


def test_a_follow_up_done_before_numbering_leaves_the_visits_next_steps_open():
    """The secretariat's 「教材を送付」 was never sent: a follow-up done does not settle it."""
    facts = [
        (ID, 10, "CaseOpened", "2025-05-01", OPENING),
        (
            ID,
            11,
            "VisitReported",
            "2025-05-20",
            {"report": "研修", "next_steps": ["事務局が教材を送付", "課内で共有"]},
        ),
        (ID, 12, "FollowUpScheduled", "2025-05-20", {"due": "2025-06-20", "number": None}),
        (ID, 13, "FollowUpDone", "2025-06-18", {"note": "済", "number": None}),
    ]
    state = fold(facts)
    assert state is not None
    assert [(c["number"], c["text"], c["owner"], c["state"]) for c in state.open_commitments] == [
        (1, "事務局が教材を送付", "municipality", "open"),
        (2, "課内で共有", "municipality", "open"),
    ]
    assert state.follow_ups == () and state.follow_up_due is None


def test_older_next_steps_are_numbered_by_business_date_whatever_order_they_came_in():
    facts = [
        (ID, 10, "CaseOpened", "2025-05-01", OPENING),
        (ID, 12, "VisitReported", "2025-05-10", {"report": "初回", "next_steps": ["a", "b"]}),
        (ID, 11, "VisitReported", "2025-05-20", {"report": "二回目", "next_steps": ["c"]}),
    ]
    state = fold(sorted(facts, key=lambda f: (f[3], f[1])))
    assert state is not None
    assert [(c["number"], c["text"]) for c in state.commitments] == [(1, "a"), (2, "b"), (3, "c")]


def test_a_fold_applies_a_whole_history_in_order():
    facts = [
        (ID, 10, "CaseOpened", "2025-05-01", OPENING),
        (ID, 11, "DispatchApplied", "2025-05-02", {}),
        (ID, 12, "DispatchDecided", "2025-05-07", {"experts": ["E001"]}),
        (ID, 13, "VisitReported", "2025-05-20", {"report": "初回訪問", "next_steps": []}),
        (ID, 14, "CommitmentMade", "2025-05-20", {"number": 1, "text": "見積", "due": None}),
        (ID, 15, "FollowUpScheduled", "2025-05-20", {"due": "2025-06-20", "number": 1}),
        (ID, 16, "NoteAdded", "2025-05-25", {"text": "メモ"}),
        (ID, 17, "CommitmentDone", "2025-06-10", {"number": 1, "note": None}),
        (ID, 18, "FollowUpDone", "2025-06-18", {"note": "済", "number": 1}),
        (
            ID,
            19,
            "CaseClosed",
            "2025-06-30",
            {"resolution": "resolved", "note": None, "feedback_requested": True},
        ),
        (ID, 20, "FeedbackReceived", "2025-07-01", {"rating": 4, "comment": "良"}),
    ]
    assert fold(facts) == replace(
        BASE,
        status="closed",
        closed_on="2025-06-30",
        resolution="resolved",
        last_activity_on="2025-07-01",
        last_activity_kind="FeedbackReceived",
        last_position=20,
        last_visit_on="2025-05-20",
        visits=1,
        decisions=1,
        experts=("E001",),
        latest_report="初回訪問",
        feedback_ratings=(4,),
        commitments=(promise(1, "見積", on="2025-05-20", state="done", settled_on="2025-06-10"),),
        last_follow_up=1,
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
        TWO_PLANNED, experts=("E001", "E002"), feedback_ratings=(5, 2), commitments=(OLD_STEP,)
    )
    row = state.row()
    assert (row["experts"], row["feedback_ratings"]) == ('["E001", "E002"]', "[5, 2]")
    assert row["commitments"].startswith('[{"number": 1, "text": "旧ステップ"')
    assert CaseState.from_row(row) == state
