"""Corrections and withdrawals are new events that the domain allows only when the record
stays whole: a named entry that can be amended, a reason, a real change, no date in the
future, and a history that, amended, still passes every rule its entries were recorded
under (so business dates of a case's state changes stay in order). A refusal records
nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest

from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk
from tracker.domain.errors import (
    AmendmentConflictError,
    BansoError,
    CaseClosedError,
    CaseWithdrawnError,
    DateBeforeLastChangeError,
    DateBeforeOpeningError,
    EntryNotCorrectableError,
    EntryWithdrawnError,
    FieldNotCorrectableError,
    FutureDateError,
    InvalidInputError,
    NoApplicationError,
    NothingToCorrectError,
    ReasonRequiredError,
    UnknownContactError,
    UnknownEntryError,
    UnknownExpertError,
)
from tracker.domain.inputs import today
from tracker.language import error_message

KAWAGUCHI = "112038"
T = today() - timedelta(days=90)


def day(n: int) -> date:
    """``n`` days after the story's first day (all of them in the past)."""
    return T + timedelta(days=n)


@pytest.fixture
def app(open_desk: Callable[[str], Desk]) -> Iterator[Banso]:
    """A store with a case: opened (1), applied (2), decided E001 (3), visited (4), a
    follow-up planned (5); and 川口市: registered (1), 佐藤 assigned (2), transferred to
    田中 (3), an outreach (4)."""
    desk = open_desk("memory:")
    a = desk.app
    a.register_municipality(KAWAGUCHI, "川口市", on=day(0))
    a.register_expert("山田太郎", on=day(0))
    a.register_expert("鈴木花子", on=day(0))
    number, _ = a.open_case(KAWAGUCHI, topic="B", summary="移行の相談", on=day(1))
    assert number.endswith("-001")
    a.apply_for_dispatch(number, on=day(2))
    a.decide_dispatch(number, ["E001"], on=day(5))
    a.report_visit(number, report="移行計画を確認", on=day(10))
    a.schedule_follow_up(number, due=day(40), note="見積を確認", on=day(10))
    a.assign_contact(KAWAGUCHI, "佐藤花子", role="主査", on=day(0))
    a.transfer_contact(KAWAGUCHI, "佐藤花子", successor="田中一郎", on=day(20))
    a.record_outreach(KAWAGUCHI, "cafe", note="デジタルカフェ", on=day(25))
    yield a


def case_of(app: Banso) -> str:
    return f"{T.year if T.month >= 4 else T.year - 1}-001"


def events(app: Banso) -> int:
    return app.recorder.max_notification_id() or 0


def refused(app: Banso, error: type[BansoError], command: Callable[[], object]) -> BansoError:
    """Run a command the domain must refuse with ``error``; nothing is recorded."""
    before = events(app)
    with pytest.raises(error) as raised:
        command()
    assert events(app) == before, "a refusal records nothing"
    message = error_message(raised.value, "ja")
    assert "\n" not in message and "{" not in message, message
    return raised.value


# ---- what may be named --------------------------------------------------------------------


def test_a_correction_names_an_entry_the_case_has(app: Banso) -> None:
    case = case_of(app)
    for entry in (0, 6, 99):
        refused(
            app,
            UnknownEntryError,
            lambda entry=entry: app.correct_case_entry(case, entry, reason="誤記", text="x"),
        )


def test_a_correction_itself_and_a_registration_are_not_corrected(app: Banso) -> None:
    case = case_of(app)
    correction = app.correct_case_entry(case, 4, reason="誤記", text="移行計画を精査")
    assert correction == 6, "a correction's own entry number"
    error = refused(
        app, EntryNotCorrectableError, lambda: app.correct_case_entry(case, 6, reason="r", text="y")
    )
    assert error.params["entry_kind"] == "CaseEntryCorrected"
    refused(
        app,
        EntryNotCorrectableError,
        lambda: app.withdraw_municipality_entry(KAWAGUCHI, 1, reason="誤登録"),
    )


def test_a_withdrawn_entry_is_neither_corrected_nor_withdrawn_again(app: Banso) -> None:
    case = case_of(app)
    withdrawal = app.withdraw_case_entry(case, 4, reason="別の案件の報告")
    error = refused(
        app, EntryWithdrawnError, lambda: app.correct_case_entry(case, 4, reason="r", text="x")
    )
    assert error.params["by"] == withdrawal
    refused(app, EntryWithdrawnError, lambda: app.withdraw_case_entry(case, 4, reason="r"))


def test_an_amendment_needs_a_reason(app: Banso) -> None:
    case = case_of(app)
    for reason in ("", "   "):
        refused(
            app,
            ReasonRequiredError,
            lambda reason=reason: app.correct_case_entry(case, 4, reason=reason, text="x"),
        )
        refused(
            app,
            ReasonRequiredError,
            lambda reason=reason: app.withdraw_case_entry(case, 4, reason=reason),
        )


def test_a_correction_changes_only_fields_its_entry_has_and_changes_something(app: Banso) -> None:
    case = case_of(app)
    error = refused(
        app,
        FieldNotCorrectableError,
        lambda: app.correct_case_entry(case, 2, reason="r", text="申請の文面"),
    )
    assert error.params["field"] == "text"
    refused(
        app,
        FieldNotCorrectableError,
        lambda: app.correct_case_entry(case, 1, reason="r", experts=["E002"]),
    )
    refused(app, NothingToCorrectError, lambda: app.correct_case_entry(case, 4, reason="r"))
    refused(
        app,
        NothingToCorrectError,
        lambda: app.correct_case_entry(case, 4, reason="r", text="移行計画を確認"),
    )
    refused(
        app,
        UnknownExpertError,
        lambda: app.correct_case_entry(case, 3, reason="r", experts=["E009"]),
    )
    refused(app, InvalidInputError, lambda: app.correct_case_entry(case, 3, reason="r", experts=[]))


# ---- dates ----------------------------------------------------------------------------------


def test_a_corrected_date_is_not_in_the_future(app: Banso) -> None:
    refused(
        app,
        FutureDateError,
        lambda: app.correct_case_entry(
            case_of(app), 4, reason="r", entry_on=today() + timedelta(1)
        ),
    )


def test_a_corrected_date_keeps_the_state_changes_in_order(app: Banso) -> None:
    case = case_of(app)
    # The application (2, day 2) moved after the decision (3, day 5) that answered it.
    error = refused(
        app,
        AmendmentConflictError,
        lambda: app.correct_case_entry(case, 2, reason="r", entry_on=day(6)),
    )
    assert error.params["entry"] == 3
    assert isinstance(error.params["cause"], DateBeforeLastChangeError)
    assert "#3（派遣決定）" in error_message(error, "ja")
    # Nothing may come before the opening, moved later than it.
    error = refused(
        app,
        AmendmentConflictError,
        lambda: app.correct_case_entry(case, 1, reason="r", entry_on=day(3)),
    )
    assert isinstance(error.params["cause"], DateBeforeLastChangeError | DateBeforeOpeningError)
    # Within the order, a date moves freely; a visit (no state change) anywhere after opening.
    app.correct_case_entry(case, 2, reason="申請日の誤り", entry_on=day(4))
    app.correct_case_entry(case, 4, reason="訪問日の誤り", entry_on=day(30))
    refused(
        app,
        AmendmentConflictError,
        lambda: app.correct_case_entry(case, 4, reason="r", entry_on=T),
    )


def test_a_follow_up_is_not_due_before_it_was_planned(app: Banso) -> None:
    error = refused(
        app,
        AmendmentConflictError,
        lambda: app.correct_case_entry(case_of(app), 5, reason="r", due=day(9)),
    )
    assert error.params["cause"].params["field"] == "due"


# ---- withdrawals keep the history whole -----------------------------------------------------


def test_an_application_a_decision_answered_is_not_withdrawn(app: Banso) -> None:
    error = refused(
        app, AmendmentConflictError, lambda: app.withdraw_case_entry(case_of(app), 2, reason="r")
    )
    assert isinstance(error.params["cause"], NoApplicationError)


def test_withdrawing_a_closing_opens_the_case_again(app: Banso) -> None:
    case = case_of(app)
    app.close_case(case, resolution="resolved", on=day(50))
    refused(app, CaseClosedError, lambda: app.report_visit(case, report="再訪", on=day(51)))
    app.withdraw_case_entry(case, 6, reason="終了は誤り")
    assert not app.case(case).closed
    app.report_visit(case, report="再訪", on=day(51))


def test_withdrawing_a_decision_leaves_its_application_pending_and_its_expert_off(
    app: Banso,
) -> None:
    case = case_of(app)
    app.correct_case_entry(case, 4, reason="担当違い", experts=["E002"])
    app.withdraw_case_entry(case, 3, reason="決定の誤登録")
    loaded = app.case(case)
    assert loaded.pending_applications == 1
    assert loaded.experts == ("E002",)
    app.decide_dispatch(case, ["E002"], on=day(52))


def test_withdrawing_the_opening_withdraws_the_case_and_it_takes_nothing_more(
    app: Banso,
) -> None:
    case = case_of(app)
    app.withdraw_case_entry(case, reason="別の市の案件")
    assert app.case(case).withdrawn
    refused(app, CaseWithdrawnError, lambda: app.add_note(case, "追記", on=day(60)))
    refused(app, CaseWithdrawnError, lambda: app.correct_case_entry(case, 4, reason="r", text="x"))
    refused(app, CaseWithdrawnError, lambda: app.withdraw_case_entry(case, 4, reason="r"))


# ---- a municipality's own entries -----------------------------------------------------------


def test_a_contacts_assignment_is_not_withdrawn_once_the_contact_was_transferred(
    app: Banso,
) -> None:
    error = refused(
        app,
        AmendmentConflictError,
        lambda: app.withdraw_municipality_entry(KAWAGUCHI, 2, reason="誤登録"),
    )
    assert isinstance(error.params["cause"], UnknownContactError)
    refused(
        app,
        AmendmentConflictError,
        lambda: app.correct_municipality_entry(KAWAGUCHI, 2, reason="r", entry_on=day(21)),
    )


def test_withdrawing_a_transfer_gives_the_role_back_to_who_held_it(app: Banso) -> None:
    app.correct_municipality_entry(KAWAGUCHI, 2, reason="役職の誤り", role="係長")
    app.withdraw_municipality_entry(KAWAGUCHI, 3, reason="異動は未確定")
    contacts = app.municipality(KAWAGUCHI).contacts
    assert set(contacts) == {"佐藤花子"}
    app.transfer_contact(KAWAGUCHI, "佐藤花子", successor="高橋誠", on=day(30))


def test_a_municipalitys_entries_take_only_their_own_fields(app: Banso) -> None:
    refused(
        app,
        FieldNotCorrectableError,
        lambda: app.correct_municipality_entry(KAWAGUCHI, 4, reason="r", role="主査"),
    )
    refused(
        app,
        FieldNotCorrectableError,
        lambda: app.correct_municipality_entry(KAWAGUCHI, 3, reason="r", text="メモ"),
    )
    assert app.correct_municipality_entry(KAWAGUCHI, 4, reason="名称", text="秩父カフェ") == 5


def test_amendments_replay_on_load_and_through_an_import(
    app: Banso, open_desk: Callable[[str], Desk], tmp_path
) -> None:
    """An import of a store with amendments checks each event onto its aggregate, as it
    checks the others, and the imported store decides as the first one did."""
    from tracker.application.backup import export_events, import_events

    case = case_of(app)
    app.close_case(case, resolution="resolved", on=day(50))
    app.withdraw_case_entry(case, 6, reason="終了は誤り")
    backup = tmp_path / "backup.jsonl"
    with backup.open("w", encoding="utf-8") as out:
        export_events(app, out)
    restored = open_desk("memory:").app
    assert import_events(restored, backup) == events(app)
    assert not restored.case(case).closed
    restored.report_visit(case, report="再訪", on=day(51))
