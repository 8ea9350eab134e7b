"""The set-based rebuild of an embedded SQLite log makes exactly the tables the projection
makes event by event, older stored shapes and odd texts included."""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent
from projections_support import YOKOZE, busy_history, check_fts, dump_all, register_reference

from projections import bulk
from projections.readmodels import ReadModels
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.commitments import Promise
from tracker.domain.owners import Owner


def _raw(app: Banso, case_number: str, topic: str, state: dict[str, Any]) -> None:
    """Store an event straight into the recorder as the case's next one, as written."""
    case = app.case(case_number)
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=case.id,
                originator_version=case.version + 1,
                topic=topic,
                state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
            )
        ]
    )


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    made = bootstrap(Settings(store=str(tmp_path / "banso.sqlite"), user="tester"))
    experts = register_reference(made)
    busy_history(made, cases=150)
    app = made.app
    number, _ = app.open_case(
        YOKOZE, topic="B", summary='引用 "ふたえ" と \\ と 😀', on=date(2025, 5, 1)
    )
    app.report_visit(
        number,
        report="一行目\n二行目\t'単引用'",
        next_steps=["確認", Promise('次回 "予定"', Owner("expert", "E001"), date(2025, 6, 1))],
        on=date(2025, 5, 2),
    )
    app.commit(
        number, "事務局が教材を送付", owner=Owner("secretariat", "佐藤"), on=date(2025, 5, 2)
    )
    app.complete_commitment(number, 1, note="確認済み", on=date(2025, 5, 2))
    app.report_visit(number, report="手順なし", on=date(2025, 5, 3))
    app.update_municipality(YOKOZE, it_staff=4, on=date(2025, 4, 1))
    app.update_municipality(YOKOZE, population=9999, on=date(2024, 4, 1))  # entered late
    app.record_outreach(YOKOZE, "cafe", note="デジタルカフェ", on=date(2025, 6, 1))
    app.register_topic("J", "ＡＩ活用", name_en="AI use", on=date(2025, 4, 1))
    app.open_case(YOKOZE, topic="AI活用", summary="ｽﾏﾎ申請とＡＩ　チャット", on=date(2025, 6, 5))
    handed, _ = app.open_case(YOKOZE, topic="E", summary="ネットワーク分離", on=date(2025, 5, 1))
    app.apply_for_dispatch(handed, on=date(2025, 5, 1))
    app.decide_dispatch(handed, [experts[2], experts[0]], on=date(2025, 5, 2))
    app.retire_expert(experts[2], on=date(2025, 6, 2))
    app.reassign_expert(handed, experts[2], experts[1], note="担当替え", on=date(2025, 6, 2))
    app.change_setting("rules.dormant.days", "45", on=date(2025, 6, 2))
    _raw(  # version 1 of VisitReported, upcast on the way in
        app,
        number,
        "events.case:VisitReported",
        {
            "timestamp": "2025-06-03T01:02:03.000004Z",
            "occurred_on": "2025-06-03",
            "recorded_by": "旧版",
            "report": "旧版の報告",
            "experts": ["E001"],
            "online": False,
            "next_step": "旧版の次の一手",
        },
    )
    for topic, state in (  # version 1 of follow-ups and of a closing (none since reopened)
        ("FollowUpScheduled", {"due": "2025-07-01", "note": "旧版の予定"}),
        ("FollowUpDone", {"note": "旧版の実施"}),
        ("CaseClosed", {"resolution": "resolved", "note": "旧版の終了"}),
        ("CaseReopened", {"note": None}),
    ):
        _raw(
            app,
            number,
            f"events.case:{topic}",
            {
                "timestamp": "2025-06-03T02:00:00.000001Z",
                "occurred_on": "2025-06-03",
                "recorded_by": "旧版",
                **state,
            },
        )
    _raw(  # stamped with an offset other than UTC's "Z" (an imported record may be)
        app,
        number,
        "events.case:NoteAdded",
        {
            "timestamp": "2025-06-04T09:30:00.5+09:00",
            "occurred_on": "2025-06-04",
            "recorded_by": "東京の端末",
            "text": "時差つきの記録",
        },
    )
    amend(made, number)
    return made


def amend(desk: Desk, number: str) -> None:
    """Corrections and withdrawals of every kind, on cases and on a municipality."""
    app = desk.app
    app.correct_case_entry(
        number, 2, reason="報告の誤記", text="訂正した報告", entry_on=date(2025, 5, 4)
    )
    app.correct_case_entry(number, 2, reason="担当違い", experts=["E002"])
    app.correct_case_entry(number, 5, reason="期限の追記", due=date(2025, 6, 30))  # a commitment
    app.correct_case_entry(number, 1, reason="要約の誤り", text="引用の相談（訂正）")
    app.withdraw_case_entry(number, 7, reason="別案件の報告")  # the visit 「手順なし」
    notes = [
        e.originator_version
        for e in app.case(number).history or []
        if type(e).__name__ == "NoteAdded"
    ]
    app.withdraw_case_entry(number, notes[-1], reason="別案件のメモ")
    app.withdraw_case_entry("2024-003", reason="別の市の案件")
    entries = app.municipality(YOKOZE).history or []
    of_kind = lambda name: [e.originator_version for e in entries if type(e).__name__ == name]  # noqa: E731
    app.correct_municipality_entry(
        YOKOZE, of_kind("ContactAssigned")[0], reason="役職の誤り", role="課長"
    )
    app.withdraw_municipality_entry(YOKOZE, of_kind("OutreachRecorded")[-1], reason="別の市")
    updates = of_kind("MunicipalityProfileUpdated")
    app.correct_municipality_entry(YOKOZE, updates[0], reason="人数の誤り", it_staff=3)
    app.withdraw_municipality_entry(YOKOZE, updates[1], reason="誤登録")


@pytest.mark.parametrize("read_in", ["this process", "a process of its own"])
def test_the_set_based_rebuild_equals_the_event_by_event_one(desk, monkeypatch, tmp_path, read_in):
    assert desk.log.sqlite() is not None, "a SQLite file store is rebuilt set-based"
    if read_in == "a process of its own":  # as a national store is
        monkeypatch.setattr(bulk, "PROCESS_EVENTS", 0)
    set_based = ReadModels(str(tmp_path / "set.views.sqlite"))
    assert set_based.rebuild(desk.log) == desk.app.recorder.max_notification_id()
    assert not list(tmp_path.glob(".*.sqlite")), "the scratch files are removed"

    monkeypatch.setattr(desk.log, "sqlite", lambda: None)
    one_by_one = ReadModels(str(tmp_path / "one.views.sqlite"))
    one_by_one.rebuild(desk.log)
    try:
        tables = dump_all(set_based.conn)
        assert all(tables.values()), "every table has rows"
        assert tables == dump_all(one_by_one.conn)
        check_fts(set_based.conn)
        texts = [r[0] for r in set_based.conn.execute("SELECT text FROM facts")]
        assert "訂正した報告" in texts  # the report as corrected, folded
        was = set_based.conn.execute(
            "SELECT data ->> '$.target.was.report' FROM facts WHERE kind = 'CaseEntryCorrected'"
        ).fetchall()
        assert ("一行目\n二行目\t'単引用'",) in was  # the original, still readable
        assert {"確認", '次回"予定"', "事務局が教材を送付", "確認済み"} <= set(texts)
        assert "旧版の報告旧版の次の一手" in texts
        assert "すまほ申請とaiちゃっと" in texts  # width, kana and case folded
        assert ("J", "ＡＩ活用", "AI use", "2025-04-01") in tables["topics"]
        stamp = set_based.conn.execute(
            "SELECT recorded_at FROM withdrawn_facts WHERE text = '時差つきの記録'"
        ).fetchone()
        assert stamp == ("2025-06-04T09:30:00+09:00",)
    finally:
        set_based.close()
        one_by_one.close()


def test_a_first_catch_up_is_set_based_and_later_ones_go_event_by_event(desk):
    views = desk.views
    views.rebuild(desk.log)
    caught_up = views.position()
    assert caught_up == desk.app.recorder.max_notification_id()
    desk.app.add_note("2024-001", "追記", on=date(2025, 7, 1))
    assert views.catch_up(desk.log) == 1
    assert views.position() == caught_up + 1


def test_other_stores_are_rebuilt_event_by_event(tmp_path):
    memory = bootstrap(Settings(store="memory:", user="tester"))
    try:
        assert memory.log.sqlite() is None
    finally:
        memory.close()


@pytest.mark.parametrize("read_in", ["this process", "a process of its own"])
def test_a_state_that_cannot_be_read_is_set_aside_wherever_the_log_is_read_in_python(
    desk, monkeypatch, tmp_path, read_in
):
    case = desk.app.case("2024-001")
    desk.app.recorder.insert_events(
        [StoredEvent(case.id, case.version + 1, "events.case:NoteAdded", b'{"text": ')]
    )
    if read_in == "a process of its own":
        monkeypatch.setattr(bulk, "PROCESS_EVENTS", 0)
    views = ReadModels(str(tmp_path / "views.sqlite"))
    try:
        assert views.rebuild(desk.log) == desk.app.recorder.max_notification_id()
        assert [q[:2] for q in views.quarantined()] == [
            (desk.app.recorder.max_notification_id(), "NoteAdded")
        ]
        assert views.conn.execute("SELECT count(*) FROM cases").fetchone()[0] > 150
    finally:
        views.close()
    assert not list(tmp_path.glob(".*.sqlite"))


def test_a_rebuild_alone_writes_through_a_rollback_journal_and_leaves_the_log_mode(desk, tmp_path):
    views = ReadModels(str(tmp_path / "views.sqlite"))
    modes: list[str] = []
    try:
        views.rebuild(desk.log, progress=lambda done, total: modes.append(_mode(views.conn)))
        assert set(modes) == {"delete"}, "the rows written once, not into a WAL first"
        assert _mode(views.conn) == "wal", "readers and writers still take turns in WAL"
        assert views.position() == desk.app.recorder.max_notification_id()
        assert not (tmp_path / "views.sqlite-journal").exists()
    finally:
        views.close()


def test_a_rebuild_beside_a_reader_keeps_the_write_ahead_log_and_lets_it_read(desk, tmp_path):
    views = ReadModels(str(tmp_path / "views.sqlite"))
    views.rebuild(desk.log)
    reader = views.reading()
    assert reader is not None
    before = reader.execute("SELECT count(*) FROM facts").fetchone()
    seen: list[tuple[str, tuple[int, ...]]] = []

    def meanwhile(done: int, total: int) -> None:  # inside the rebuild's transaction
        seen.append((_mode(views.conn), reader.execute("SELECT count(*) FROM facts").fetchone()))

    try:
        views.rebuild(desk.log, progress=meanwhile)
        assert seen and {mode for mode, _ in seen} == {"wal"}
        assert {count for _, count in seen} == {before}, "the reader read the old read models"
    finally:
        reader.close()
        views.close()


def _mode(conn: Any) -> str:
    return str(conn.execute("PRAGMA main.journal_mode").fetchone()[0])


def test_read_models_opened_during_a_journalled_rebuild_wait_for_it(desk, tmp_path):
    path = str(tmp_path / "views.sqlite")
    views = ReadModels(path)
    opened: list[Any] = []

    def open_another() -> None:
        try:
            other = ReadModels(path)  # SQLite refuses its WAL at once while the rebuild runs
            opened.append((_mode(other.conn), other.position()))
            other.close()
        except Exception as error:  # the test shows what it was
            opened.append(error)

    started: list[threading.Thread] = []

    def meanwhile(done: int, total: int) -> None:
        if not started:
            started.append(threading.Thread(target=open_another))
            started[0].start()
            time.sleep(0.3)  # it asks while the rebuild holds the file

    try:
        last = views.rebuild(desk.log, progress=meanwhile)
        started[0].join(30)
        assert opened == [("wal", last)], "it waited, then read the rebuilt read models"
    finally:
        views.close()
