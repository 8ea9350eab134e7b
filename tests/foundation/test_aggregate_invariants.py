"""Unit: the aggregates refuse what may not happen with a named error, and a refusal leaves
nothing to save and the aggregate as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from events.case import CaseClosed, CaseReopened, FeedbackReceived, NoteAdded
from tracker.domain.base import Aggregate
from tracker.domain.case import Case
from tracker.domain.commitments import Promise
from tracker.domain.errors import (
    BansoError,
    CaseClosedError,
    CaseNotClosedError,
    ContactAlreadyAssignedError,
    DateBeforeLastChangeError,
    DateBeforeOpeningError,
    ExpertRetiredError,
    InvalidInputError,
    InvalidMunicipalityCodeError,
    NoApplicationError,
    NoPendingFollowUpError,
    UnknownContactError,
)
from tracker.domain.expert import Expert
from tracker.domain.municipality import Municipality, municipality_id
from tracker.domain.sequence import NumberClaim, Sequence, number_id

D = date.fromisoformat
BY = "テスト"


def new_case(**done: Any) -> Case:
    """A case opened on 2025-06-02 with nothing pending to save."""
    case = Case.open(
        "2025-001", "112038", topic="B", summary="相談", channel="chat", contact=None,
        on=D("2025-06-02"), by=BY,
    )  # fmt: skip
    case.collect_events()
    return case


def closed_case() -> Case:
    case = new_case()
    case.close("resolved", note=None, on=D("2025-06-10"), by=BY)
    case.collect_events()
    return case


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending"}


def assert_refused(
    aggregate: Aggregate, action: Callable[[], object], error: type[BansoError]
) -> BansoError:
    """``action`` raises ``error``, records nothing and changes nothing."""
    aggregate.collect_events()  # as if what was decided before had been saved
    before = state(aggregate)
    with pytest.raises(error) as refused:
        action()
    assert aggregate.collect_events() == []
    assert state(aggregate) == before
    return refused.value


# ---- cases -------------------------------------------------------------------------------------

ON = D("2025-06-20")

CLOSED_CASE_REFUSES = {
    "an application": lambda c: c.apply_for_dispatch(on=ON, by=BY),
    "a dispatch": lambda c: c.decide_dispatch(("E001",), on=ON, by=BY),
    "a visit": lambda c: c.report_visit(
        "報告", experts=(), online=False, next_steps=(), on=ON, by=BY
    ),
    "a follow-up": lambda c: c.schedule_follow_up(D("2025-07-01"), note=None, on=ON, by=BY),
    "a follow-up done": lambda c: c.complete_follow_up(note=None, on=ON, by=BY),
    "closing again": lambda c: c.close("resolved", note=None, on=ON, by=BY),
}


@pytest.mark.parametrize("action", CLOSED_CASE_REFUSES.values(), ids=CLOSED_CASE_REFUSES.keys())
def test_a_closed_case_refuses_everything_but_notes_feedback_and_reopening(
    action: Callable[[Case], object],
) -> None:
    case = closed_case()
    error = assert_refused(case, lambda: action(case), CaseClosedError)
    assert error.params == {"case": "2025-001"}


def test_a_closed_case_takes_a_note_feedback_and_reopening() -> None:
    case = closed_case()
    case.add_note("終了後の連絡", on=ON, by=BY)
    case.receive_feedback(5, comment="助かった", on=ON, by=BY)
    case.reopen(note=None, on=ON, by=BY)
    assert [type(e) for e in case.collect_events()] == [NoteAdded, FeedbackReceived, CaseReopened]
    assert case.closed is False


def test_a_dispatch_needs_an_application() -> None:
    case = new_case()
    error = assert_refused(
        case, lambda: case.decide_dispatch(("E001",), on=ON, by=BY), NoApplicationError
    )
    assert error.params == {"case": "2025-001"}


def test_each_application_allows_one_dispatch() -> None:
    case = new_case()
    case.apply_for_dispatch(on=D("2025-06-03"), by=BY)
    case.decide_dispatch(("E001",), on=D("2025-06-05"), by=BY)
    assert_refused(case, lambda: case.decide_dispatch(("E002",), on=ON, by=BY), NoApplicationError)
    assert case.experts == ("E001",)


def test_follow_up_done_needs_a_pending_follow_up() -> None:
    case = new_case()
    assert_refused(
        case, lambda: case.complete_follow_up(note=None, on=ON, by=BY), NoPendingFollowUpError
    )
    case.schedule_follow_up(D("2025-07-01"), note=None, on=ON, by=BY)
    case.complete_follow_up(note=None, on=D("2025-07-01"), by=BY)
    assert_refused(
        case,
        lambda: case.complete_follow_up(note=None, on=D("2025-07-02"), by=BY),
        NoPendingFollowUpError,
    )


def test_reopening_needs_a_closed_case() -> None:
    case = new_case()
    assert_refused(case, lambda: case.reopen(note=None, on=ON, by=BY), CaseNotClosedError)


BEFORE_OPENING = D("2025-06-01")
DATED_BEFORE_OPENING = {
    "an application": lambda c: c.apply_for_dispatch(on=BEFORE_OPENING, by=BY),
    "a visit": lambda c: c.report_visit(
        "報告", experts=(), online=False, next_steps=(), on=BEFORE_OPENING, by=BY
    ),
    "a note": lambda c: c.add_note("メモ", on=BEFORE_OPENING, by=BY),
    "feedback": lambda c: c.receive_feedback(3, comment=None, on=BEFORE_OPENING, by=BY),
    "a follow-up": lambda c: c.schedule_follow_up(
        D("2025-07-01"), note=None, on=BEFORE_OPENING, by=BY
    ),
}


@pytest.mark.parametrize("action", DATED_BEFORE_OPENING.values(), ids=DATED_BEFORE_OPENING.keys())
def test_nothing_is_dated_before_the_case_opened(action: Callable[[Case], object]) -> None:
    case = new_case()
    error = assert_refused(case, lambda: action(case), DateBeforeOpeningError)
    assert error.params == {"case": "2025-001", "on": "2025-06-01", "opened_on": "2025-06-02"}


def test_a_state_change_is_not_dated_before_the_last_one() -> None:
    case = new_case()
    case.apply_for_dispatch(on=D("2025-06-10"), by=BY)
    error = assert_refused(
        case,
        lambda: case.decide_dispatch(("E001",), on=D("2025-06-09"), by=BY),
        DateBeforeLastChangeError,
    )
    assert error.params == {"subject": "2025-001", "on": "2025-06-09", "last": "2025-06-10"}


def test_a_late_note_or_visit_may_be_dated_between_earlier_changes() -> None:
    case = new_case()
    case.apply_for_dispatch(on=D("2025-06-10"), by=BY)
    case.add_note("受付直後の電話", on=D("2025-06-03"), by=BY)
    case.report_visit(
        "報告", experts=("E001",), online=True, next_steps=(), on=D("2025-06-04"), by=BY
    )
    assert len(case.collect_events()) == 3
    assert case.last_change_on == D("2025-06-10")


def test_a_follow_up_is_not_due_before_it_was_planned() -> None:
    case = new_case()
    error = assert_refused(
        case,
        lambda: case.schedule_follow_up(D("2025-06-19"), note=None, on=ON, by=BY),
        InvalidInputError,
    )
    assert error.params["reason"] == "before_on"


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_feedback_is_rated_from_one_to_five(rating: int) -> None:
    case = new_case()
    error = assert_refused(
        case, lambda: case.receive_feedback(rating, comment=None, on=ON, by=BY), InvalidInputError
    )
    assert error.params["reason"] == "range"


def test_a_visit_without_named_experts_credits_the_case_s_experts() -> None:
    case = new_case()
    case.apply_for_dispatch(on=D("2025-06-03"), by=BY)
    case.decide_dispatch(("E001", "E002"), on=D("2025-06-05"), by=BY)
    case.report_visit("報告", experts=(), online=False, next_steps=(Promise("次"),), on=ON, by=BY)
    visit, step = case.collect_events()[-2:]
    assert visit.experts == ("E001", "E002")
    assert visit.next_steps == ()  # the next step is a commitment of its own
    assert (step.number, step.text, step.owner) == (1, "次", "municipality")


def test_a_case_rebuilt_from_its_events_decides_the_same() -> None:
    case = new_case()
    case.close("withdrawn", note=None, on=ON, by=BY)
    events = case.collect_events()
    assert isinstance(events[0], CaseClosed)
    opened = Case.open(
        "2025-001", "112038", topic="B", summary="相談", channel="chat", contact=None,
        on=D("2025-06-02"), by=BY, id=case.id,
    ).collect_events()  # fmt: skip
    rebuilt = Case.project(None, [*opened, *events])
    assert rebuilt is not None
    assert rebuilt.closed is True
    assert rebuilt.version == 2
    assert_refused(rebuilt, lambda: rebuilt.apply_for_dispatch(on=ON, by=BY), CaseClosedError)


# ---- municipalities ------------------------------------------------------------------------------


def kawaguchi() -> Municipality:
    muni = Municipality.register("112038", "川口市", on=D("2025-04-01"), by=BY)
    muni.assign_contact("佐藤花子", "主査", email=None, phone=None, on=D("2025-04-01"), by=BY)
    muni.assign_contact("高橋健", "主任", email=None, phone=None, on=D("2025-04-01"), by=BY)
    muni.collect_events()
    return muni


def test_a_municipality_with_a_bad_check_digit_is_not_registered() -> None:
    with pytest.raises(InvalidMunicipalityCodeError):
        Municipality.register("112039", "川口市", on=D("2025-04-01"), by=BY)


def test_a_municipality_is_keyed_by_its_code() -> None:
    assert kawaguchi().id == municipality_id("112038")
    assert municipality_id("112038") != municipality_id("111007")


def test_a_contact_is_not_assigned_twice() -> None:
    muni = kawaguchi()
    error = assert_refused(
        muni,
        lambda: muni.assign_contact("高橋健", "係長", email=None, phone=None, on=ON, by=BY),
        ContactAlreadyAssignedError,
    )
    assert error.params == {"name": "高橋健", "role": "主任"}


def test_only_a_current_contact_can_be_transferred() -> None:
    muni = kawaguchi()
    assert_refused(
        muni,
        lambda: muni.transfer_contact("山本", successor=None, on=ON, by=BY),
        UnknownContactError,
    )
    muni.transfer_contact("佐藤花子", successor="鈴木一郎", on=D("2026-04-01"), by=BY)
    assert_refused(
        muni,
        lambda: muni.transfer_contact("佐藤花子", successor=None, on=D("2026-04-02"), by=BY),
        UnknownContactError,
    )


def test_a_successor_takes_over_the_role() -> None:
    muni = kawaguchi()
    muni.transfer_contact("佐藤花子", successor="鈴木一郎", on=D("2026-04-01"), by=BY)
    assert sorted(muni.contacts) == ["鈴木一郎", "高橋健"]
    assert muni.contacts["鈴木一郎"].role == "主査"
    assert muni.contacts["鈴木一郎"].since == D("2026-04-01")


def test_a_successor_is_not_already_a_contact() -> None:
    muni = kawaguchi()
    assert_refused(
        muni,
        lambda: muni.transfer_contact("佐藤花子", successor="高橋健", on=ON, by=BY),
        ContactAlreadyAssignedError,
    )


def test_a_transfer_is_not_dated_before_the_contact_took_up_the_role() -> None:
    muni = kawaguchi()
    muni.assign_contact("新人", "主事", email=None, phone=None, on=D("2025-10-01"), by=BY)
    muni.collect_events()
    assert_refused(
        muni,
        lambda: muni.transfer_contact("新人", successor=None, on=D("2025-09-30"), by=BY),
        DateBeforeLastChangeError,
    )


def test_require_contact_names_a_missing_one() -> None:
    with pytest.raises(UnknownContactError) as refused:
        kawaguchi().require_contact("不明")
    assert refused.value.params == {"name": "不明", "municipality": "川口市"}


# ---- experts and sequences -----------------------------------------------------------------------


def test_a_retired_expert_is_not_active_and_cannot_retire_again() -> None:
    expert = Expert.register(2, "退職 花子", specialties=(), background=None, on=ON, by=BY)
    assert expert.expert_id == "E002"
    expert.require_active()
    expert.retire(on=ON, by=BY)
    expert.collect_events()
    with pytest.raises(ExpertRetiredError) as refused:
        expert.require_active()
    assert refused.value.params == {"expert": "E002", "name": "退職 花子"}
    assert_refused(expert, lambda: expert.retire(on=ON, by=BY), ExpertRetiredError)


def test_a_sequence_issues_the_numbers_after_its_last_in_turn() -> None:
    seq = Sequence.start("case:2025", last=7)
    holders = [uuid4() for _ in range(3)]
    assert [seq.issue(h, on=ON, by=BY) for h in holders] == [8, 9, 10]
    claims = seq.collect_events()
    assert [(e.sequence, e.number, e.issued_to) for e in claims] == [
        ("case:2025", n, h) for n, h in zip((8, 9, 10), holders, strict=True)
    ]
    assert [e.originator_id for e in claims] == [number_id("case:2025", n) for n in (8, 9, 10)]
    assert seq.collect_events() == []


def test_each_number_is_claimed_once_under_an_id_of_its_own() -> None:
    holder = uuid4()
    claim = NumberClaim.issue("expert", 3, holder, on=ON, by=BY)
    assert claim.id == number_id("expert", 3)
    assert number_id("expert", 3) not in {number_id("expert", 4), number_id("case:2025", 3)}
    rebuilt = NumberClaim.project(None, claim.collect_events())
    assert rebuilt is not None
    assert (rebuilt.sequence, rebuilt.number, rebuilt.issued_to) == ("expert", 3, holder)
    assert rebuilt.version == 1
