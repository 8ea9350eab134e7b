"""Integration: one story, told through the composition root, reads the same on every store
(in memory, a SQLite file, PostgreSQL when ``BANSO_TEST_POSTGRES_URL`` is set)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from projections.queries.cases import show_case
from projections.queries.municipalities import show_municipality
from tracker.application.backup import export_events
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk
from tracker.domain.case import Case
from tracker.domain.commitments import Promise
from tracker.domain.errors import CaseClosedError, UnknownCaseError
from tracker.domain.owners import Owner

STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
D = date.fromisoformat


def tell_the_story(app: Banso) -> str:
    """Everything the end-to-end story does, through the application; returns the case id."""
    assert app.register_prefecture("埼玉県", on=D("2025-04-01")) == 63
    assert app.register_prefecture("11", on=D("2025-04-01")) == 0
    assert app.register_expert("山田太郎", specialties=["B"], on=D("2025-04-01")) == "E001"
    assert app.register_expert("中村 修", on=D("2025-04-01")) == "E002"
    app.assign_contact("112038", "佐藤花子", role="主査", on=D("2025-04-01"))
    number, case_id = app.open_case(
        "112038", topic="B", summary="特定移行支援システムの申請について", channel="mail",
        contact="佐藤花子", on=D("2025-06-02"),
    )  # fmt: skip
    assert number == "2025-001"
    app.apply_for_dispatch(number, on=D("2025-06-03"))
    app.decide_dispatch(number, ["E001", "E002"], on=D("2025-06-09"))
    app.report_visit(
        number,
        report="移行計画を確認した",
        next_steps=["見積を依頼", Promise("議会へ説明", Owner("expert", "E002"))],
        on=D("2025-06-16"),
    )
    app.schedule_follow_up(number, due=D("2025-07-15"), on=D("2025-06-16"))
    app.complete_follow_up(number, note="見積が届いた", on=D("2025-07-14"))
    app.complete_commitment(number, 1, note="見積が届いた", on=D("2025-07-14"))
    app.add_note(str(case_id), "課長にも共有", on=D("2025-07-20"))
    app.close_case(number, resolution="resolved", on=D("2025-08-01"), cancel_open=True)
    app.reopen_case(number, note="再度の相談", on=D("2025-09-01"))
    app.report_visit(
        number,
        report="契約書を確認",
        online=True,
        next_steps=["議会日程を確認"],
        on=D("2025-09-10"),
    )
    app.transfer_contact("112038", "佐藤花子", successor="鈴木一郎", on=D("2026-04-01"))
    return str(case_id)


def story_as_read(desk: Desk, case_id: str) -> dict[str, Any]:
    desk.refresh()
    shown = show_case(desk.views.conn, case_id)
    assert shown is not None
    return shown


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_story_reads_the_same_on_every_store(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    case_id = tell_the_story(desk.app)
    shown = story_as_read(desk, case_id)
    assert shown["case"] == "2025-001"
    assert shown["status"] == "open"
    assert [e["id"] for e in shown["experts"]] == ["E001", "E002"]
    assert shown["contact"] == "鈴木一郎"
    assert shown["next_steps"] == ["議会日程を確認"]
    assert [h["kind"] for h in shown["history"]] == [
        "case-opened",
        "dispatch-applied",
        "dispatch-decided",
        "visit-reported",
        "commitment-made",
        "commitment-made",
        "follow-up-scheduled",
        "follow-up-done",
        "commitment-done",
        "note-added",
        "commitment-cancelled",
        "case-closed",
        "case-reopened",
        "visit-reported",
        "commitment-made",
    ]
    assert {h["recorded_by"] for h in shown["history"]} == {"事務局 田中"}
    contacts = show_municipality(desk.views.conn, "112038")["contacts"]
    assert [(c["name"], c["predecessor"]) for c in contacts] == [("鈴木一郎", "佐藤花子")]


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_aggregate_loads_back_as_it_was_decided(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    case_id = tell_the_story(desk.app)
    case = desk.app.case("2025-001")
    assert isinstance(case, Case)
    assert str(case.id) == case_id
    assert case.version == 15
    assert case.experts == ("E001", "E002")
    assert case.closed is False
    assert case.pending_follow_ups == {}
    assert case.open_commitments == (3,)
    assert case.last_change_on == D("2025-09-01")
    assert desk.app.case(case_id).version == 15


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_second_desk_on_the_same_store_sees_everything(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    store = store_of(kind)
    first = open_desk(store)
    case_id = tell_the_story(first.app)
    second = open_desk(store, user="別の人")
    assert story_as_read(second, case_id) == story_as_read(first, case_id)
    second.app.close_case("2025-001", resolution="referred", on=D("2026-04-02"), cancel_open=True)
    with pytest.raises(CaseClosedError):
        first.app.apply_for_dispatch("2025-001", on=D("2026-04-03"))
    assert story_as_read(first, case_id)["history"][-1]["recorded_by"] == "別の人"


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_refused_command_leaves_the_log_as_it_was(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    tell_the_story(desk.app)
    before = desk.app.recorder.max_notification_id()
    with pytest.raises(UnknownCaseError):
        desk.app.add_note("2025-002", "ない案件")
    with pytest.raises(UnknownCaseError):
        desk.app.add_note(str(desk.app.municipality("112038").id), "市町村の ID")
    assert desk.app.recorder.max_notification_id() == before


def exported_records(app: Banso) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_events(app, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_every_store_records_the_same_events_in_the_same_order(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    tell_the_story(desk.app)
    records = exported_records(desk.app)
    ids = [r["id"] for r in records]
    assert ids == sorted(ids)
    kinds = [r["topic"].split(":")[1] for r in records]
    assert kinds[:63] == ["MunicipalityRegistered"] * 63
    assert kinds[63:] == [
        "NumberIssued", "ExpertRegistered", "NumberIssued", "ExpertRegistered",
        "ContactAssigned", "NumberIssued", "CaseOpened", "DispatchApplied", "DispatchDecided",
        "VisitReported", "CommitmentMade", "CommitmentMade", "FollowUpScheduled",
        "FollowUpDone", "CommitmentDone", "NoteAdded", "CommitmentCancelled", "CaseClosed",
        "CaseReopened", "VisitReported", "CommitmentMade", "ContactTransferred",
    ]  # fmt: skip
    visits = [r["state"] for r in records if r["topic"] == "events.case:VisitReported"]
    assert [v["class_version"] for v in visits] == [2, 2]
    assert visits[0]["next_steps"] == []  # each next step is a commitment of its own
    promised = [r["state"] for r in records if r["topic"] == "events.case:CommitmentMade"]
    assert [(c["number"], c["text"], c["owner"], c["expert"]) for c in promised] == [
        (1, "見積を依頼", "municipality", None),
        (2, "議会へ説明", "expert", "E002"),
        (3, "議会日程を確認", "municipality", None),
    ]
