"""Every view shows the record as corrected; the timeline and the case show the trail (who
corrected or withdrew what, when and why, with what the entry said before); and the store
reads as it stood when recorded (``--as-recorded``) beside as it was on a day (``--as-of``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from projections_support import KAWAGUCHI, YOKOZE, check_fts, dump_all, rebuilt, register_reference

from projections.briefing import briefing_markdown
from projections.queries.cases import list_cases, show_case
from projections.queries.experts import show_expert
from projections.queries.municipalities import show_municipality
from projections.queries.search import search
from projections.queries.silent import silent
from projections.queries.stalled import stalled
from projections.queries.stats import stats
from projections.queries.timeline import shown, timeline
from tracker.application.backup import export_events, import_events
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import TOKYO, today

TODAY = today()
#: The story begins about eight months ago, so every date in it is in the past.
T = TODAY - timedelta(days=250)


def day(n: int) -> date:
    return T + timedelta(days=n)


def at(n: int, hour: int = 10) -> datetime:
    """Day ``n`` at ``hour`` o'clock in Japan."""
    return datetime.combine(day(n), time(hour), tzinfo=TOKYO)


@pytest.fixture
def story(registered: Desk) -> tuple[Desk, str, str]:
    """A case in 横瀬町 with a dispatch, a visit and a follow-up; an outreach to 横瀬町."""
    app = registered.app
    app.assign_contact(YOKOZE, "佐藤花子", role="主査", on=day(0))
    number, case_id = app.open_case(
        YOKOZE, topic="B", summary="移行計画の相談", contact="佐藤花子", on=day(1)
    )
    app.apply_for_dispatch(number, on=day(2))
    app.decide_dispatch(number, ["E001"], on=day(4))
    app.report_visit(number, report="移行計画を確認した", on=day(10))
    app.schedule_follow_up(number, due=day(30), note="見積の確認", on=day(10))
    app.record_outreach(YOKOZE, "cafe", note="秩父地域デジタルカフェ", on=day(12))
    registered.refresh()
    return registered, number, str(case_id)


def test_a_corrected_report_reads_corrected_everywhere_and_the_original_stays_readable(
    story: tuple[Desk, str, str],
) -> None:
    desk, number, case_id = story
    desk.app.correct_case_entry(number, 4, reason="報告の誤記", text="移行計画と見積を確認した")
    desk.app.correct_case_entry(number, 3, reason="担当違い", experts=["E002"])
    desk.refresh()
    conn = desk.views.conn

    case = show_case(conn, case_id)
    assert case is not None
    assert case["latest_report"] == "移行計画と見積を確認した"
    assert [e["id"] for e in case["experts"]] == ["E002", "E001"], "the visit still names E001"
    visit = next(e for e in case["history"] if e["kind"] == "visit-reported")
    assert (visit["entry"], visit["corrected_by"]) == (4, 6)
    assert shown(visit, "ja").startswith("［訂正済 #6］")
    trail = [e for e in case["history"] if e["kind"] == "case-entry-corrected"]
    assert [(e["entry"], e["amends"], e["reason"]) for e in trail] == [
        (6, 4, "報告の誤記"),
        (7, 3, "担当違い"),
    ]
    assert "「移行計画を確認した」→「移行計画と見積を確認した」" in trail[0]["text"], "the original"
    assert trail[0]["recorded_by"] == "tester" and trail[0]["date"] == today().isoformat()

    assert [r["text"] for r in search(conn, "見積を確認した")] == ["移行計画と見積を確認した"]
    assert not [r for r in search(conn, "計画を確認した") if r["kind"] == "VisitReported"]
    assert [h["case"] for h in show_expert(conn, "E002")["history"] if h["case"]] == [number]
    assert "移行計画と見積を確認した" in briefing_markdown(conn, YOKOZE)
    assert "移行計画を確認した" not in briefing_markdown(conn, YOKOZE)


def test_a_corrected_date_moves_the_entry_in_every_view(story: tuple[Desk, str, str]) -> None:
    desk, number, case_id = story
    conn = desk.views.conn
    assert [s["rule"] for s in stalled(conn, day(45)) if s["case"] == number] == [
        "follow-up-overdue"
    ]
    desk.app.correct_case_entry(number, 5, reason="期日の誤り", due=day(60))
    desk.app.correct_case_entry(number, 4, reason="訪問日の誤り", entry_on=day(20))
    desk.refresh()
    assert [s for s in stalled(conn, day(45)) if s["case"] == number] == []
    entries = [(e["date"], e["kind"]) for e in timeline(conn, YOKOZE, day(25))]
    assert entries.index((day(20).isoformat(), "visit-reported")) > entries.index(
        (day(12).isoformat(), "outreach-recorded")
    ), "the visit in its corrected place"
    as_of_15 = show_case(conn, case_id, day(15))
    assert as_of_15 is not None and as_of_15["visits"] == 0, "not visited yet as of day 15"
    year = fiscal_year(day(20))
    month = next(m for m in stats(conn, year)["by_month"] if m["month"] == day(20).isoformat()[:7])
    assert month["visits"] == 1


def test_withdrawing_a_visit_and_an_outreach_takes_them_out_of_counts_and_rules(
    story: tuple[Desk, str, str],
) -> None:
    desk, number, case_id = story
    conn = desk.views.conn
    year = fiscal_year(day(10))
    visits = stats(conn, year)["visits"]
    assert visits == 1 and stats(conn, fiscal_year(day(12)))["outreach"] == 1
    desk.app.withdraw_case_entry(number, 4, reason="別の案件の報告")
    desk.app.withdraw_municipality_entry(YOKOZE, 3, reason="別の市のカフェ")
    desk.refresh()
    assert stats(conn, year)["visits"] == visits - 1
    assert stats(conn, fiscal_year(day(12)))["outreach"] == 0
    case = show_case(conn, case_id)
    assert case is not None and case["visits"] == 0 and case["latest_report"] is None
    withdrawn = [e for e in case["history"] if e["withdrawn_by"]]
    assert [(e["entry"], e["withdrawn_by"], e["amendable"]) for e in withdrawn] == [(4, 6, False)]
    assert shown(withdrawn[0], "ja").startswith("［取消 #6］（現地）移行計画を確認した")
    outreach = [e for e in timeline(conn, YOKOZE) if e["kind"] == "outreach-recorded"]
    assert [e["withdrawn_by"] for e in outreach] == [4], "still readable in the timeline"
    assert "秩父地域" not in briefing_markdown(conn, YOKOZE)
    assert not search(conn, "秩父地域デジタルカフェ")


def test_a_withdrawn_case_leaves_lists_counts_and_rules_but_stays_readable(
    story: tuple[Desk, str, str],
) -> None:
    desk, number, case_id = story
    conn = desk.views.conn
    years = sorted({fiscal_year(day(n)) for n in (1, 4, 10)})  # the story may span two

    def counted() -> dict[str, int]:
        figures = [stats(conn, year) for year in years]
        keys = ("consultations", "visits", "dispatches")
        return {k: sum(f[k] for f in figures) for k in keys}

    before = counted()
    assert before == {"consultations": 1, "visits": 1, "dispatches": 1}
    assert number in [s["case"] for s in stalled(conn, day(45))]
    desk.app.withdraw_case_entry(number, reason="別の市の案件")
    desk.refresh()
    assert number not in [c["case"] for c in list_cases(conn, status="all")]
    assert [c["case"] for c in list_cases(conn, status="withdrawn")] == [number]
    assert number not in [s["case"] for s in stalled(conn, day(45))]
    assert counted() == {"consultations": 0, "visits": 0, "dispatches": 0}
    assert show_municipality(conn, YOKOZE)["cases"] == []
    engaged = {m["municipality"]: m["last_engagement"] for m in silent(conn, day(45), months=1)}
    assert engaged[YOKOZE] == day(12).isoformat(), "the outreach is its last engagement now"
    desk.app.withdraw_municipality_entry(YOKOZE, 3, reason="別の市のカフェ")
    desk.refresh()
    engaged = {m["municipality"]: m["last_engagement"] for m in silent(conn, day(45), months=12)}
    assert engaged[YOKOZE] is None, "never engaged, as the record now reads"
    assert show_municipality(conn, YOKOZE)["last_engagement"] is None
    case = show_case(conn, case_id)
    assert case is not None and case["status"] == "withdrawn"
    assert case["withdrawal"]["reason"] == "別の市の案件"
    assert case["withdrawal"]["recorded_by"] == "tester"
    assert {e["withdrawn_by"] for e in case["history"] if e["kind"] != "case-entry-withdrawn"} == {
        6
    }
    assert not search(conn, "移行計画")


def test_a_contacts_role_correction_reaches_the_successor_and_a_profile_correction_the_figures(
    registered: Desk,
) -> None:
    app = registered.app
    app.assign_contact(KAWAGUCHI, "佐藤花子", role="主査", email="sato@example.jp", on=day(0))
    app.transfer_contact(KAWAGUCHI, "佐藤花子", successor="田中一郎", on=day(5))
    app.update_municipality(KAWAGUCHI, it_staff=12, on=day(6))
    app.correct_municipality_entry(KAWAGUCHI, 2, reason="役職の誤り", role="係長", phone="048-000")
    app.correct_municipality_entry(KAWAGUCHI, 3, reason="異動日の誤り", entry_on=day(7))
    app.correct_municipality_entry(KAWAGUCHI, 4, reason="人数の誤り", it_staff=10)
    registered.refresh()
    muni = show_municipality(registered.views.conn, KAWAGUCHI)
    assert [(c["name"], c["role"], c["since"]) for c in muni["contacts"]] == [
        ("田中一郎", "係長", day(7).isoformat())
    ]
    assert [(c["name"], c["phone"], c["until"]) for c in muni["past_contacts"]] == [
        ("佐藤花子", "048-000", day(7).isoformat())
    ]
    assert muni["it_staff"] == 10


def test_every_amended_table_is_the_same_caught_up_and_rebuilt(
    story: tuple[Desk, str, str],
) -> None:
    desk, number, _ = story
    desk.app.correct_case_entry(number, 4, reason="誤記", text="訂正", entry_on=day(11))
    desk.app.withdraw_case_entry(number, 6 - 1, reason="予定の誤り")
    desk.app.withdraw_municipality_entry(YOKOZE, 3, reason="誤登録")
    desk.app.correct_municipality_entry(YOKOZE, 2, reason="誤記", role="係長")
    desk.refresh()
    fresh = rebuilt(desk, batch_size=3)
    try:
        assert dump_all(fresh.conn) == dump_all(desk.views.conn)
        check_fts(desk.views.conn)
    finally:
        fresh.close()


# ---- as recorded, as of: TRUST.md's example ----------------------------------------------


def restamped(source: Desk, target: Desk, stamps: dict[int, datetime], folder: Path) -> None:
    """Copy ``source``'s store into ``target`` by export and import, each event stamped as
    recorded at ``stamps[position]`` (the later ones at the last stamp given)."""
    backup = folder / "backup.jsonl"
    with backup.open("w", encoding="utf-8") as out:
        export_events(source.app, out)
    lines = []
    last = min(stamps.values())
    for line in backup.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        last = stamps.get(record["id"], last)
        utc = last.astimezone(UTC)
        # Most stamps as the application writes them (UTC, "Z"); some with Japan's offset,
        # as an imported record may be.
        stamp = last.isoformat() if record["id"] % 2 else utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        record["state"]["timestamp"] = stamp
        record.pop("digest", None)  # an edited line no longer follows the file's chain
        lines.append(json.dumps(record, ensure_ascii=False))
    backup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_events(target.app, backup)
    target.refresh()


@pytest.fixture(params=["memory", "sqlite"])
def recorded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Desk, str]]:
    """A report on day 5, recorded that day, corrected on day 45: on a store in memory (read
    event by event) or a SQLite file (rebuilt set-based from a copy of the log)."""
    source = bootstrap(Settings(store="memory:", user="記録者"))
    register_reference(source, on=day(0))
    number, _ = source.app.open_case(KAWAGUCHI, topic="C", summary="公式LINE", on=day(1))
    source.app.report_visit(number, report="導入事例を紹介した", on=day(5))
    source.app.correct_case_entry(number, 2, reason="報告の誤記", text="運用規程の案を作った")
    positions = source.app.recorder.max_notification_id() or 0
    stamps = {1: at(0), positions - 3: at(1), positions - 1: at(5), positions: at(45, 23)}
    store = "memory:" if request.param == "memory" else str(tmp_path / "banso.sqlite")
    target = bootstrap(Settings(store=store, user="t"))
    restamped(source, target, stamps, tmp_path)
    source.close()
    try:
        yield target, number
    finally:
        target.close()


def report_of(desk: Desk, conn, number: str, as_of: date | None) -> str | None:  # type: ignore[no-untyped-def]
    case_id = conn.execute("SELECT id FROM cases WHERE number = ?", (number,)).fetchone()
    if case_id is None:
        return None
    found = show_case(conn, case_id[0], as_of)
    return None if found is None else found["latest_report"]


def test_as_of_a_day_reads_the_corrected_record_and_as_recorded_the_record_then(
    recorded: tuple[Desk, str],
) -> None:
    desk, number = recorded
    now = desk.views.conn
    assert report_of(desk, now, number, day(20)) == "運用規程の案を作った", "as of: corrected"
    then = desk.recorded(day(30))
    assert report_of(desk, then, number, day(30)) == "導入事例を紹介した", "as recorded: original"
    assert report_of(desk, then, number, day(20)) == "導入事例を紹介した", "both combined"
    history = show_case(then, then.execute("SELECT id FROM cases").fetchone()[0], day(30))
    assert history is not None
    assert [e["kind"] for e in history["history"]] == ["case-opened", "visit-reported"]
    assert history["history"][1]["corrected_by"] is None, "no correction known yet"
    on_the_day = desk.recorded(day(45))
    assert report_of(desk, on_the_day, number, day(45)) == "運用規程の案を作った"
    before_the_visit = desk.recorded(day(3))
    assert report_of(desk, before_the_visit, number, day(3)) is None, "opened, not yet visited"
    assert desk.recorded(day(0)).execute("SELECT COUNT(*) FROM cases").fetchone() == (0,)
    assert desk.recorded(today()) is now, "recorded by today: the store as it is"
    hits = search(then, "導入事例")
    assert [h["case"] for h in hits] == [number], "searching the record as it was"


def test_a_stored_correction_the_domain_would_refuse_reads_as_naming_nothing(
    story: tuple[Desk, str, str], tmp_path: Path
) -> None:
    """One written into the store by other means (an import of a made-up file) breaks
    neither the case nor its read models: the entry stands as recorded."""
    from events.case import CaseEntryCorrected
    from tracker.application.store import JSONBytesTranscoder, PydanticMapper

    desk, number, case_id = story
    case = desk.app.case(number)
    mapper = PydanticMapper(transcoder=JSONBytesTranscoder())
    forged = [
        CaseEntryCorrected(
            originator_id=case.id,
            originator_version=case.version + 1 + i,
            timestamp=datetime.now(UTC),
            occurred_on=TODAY,
            recorded_by="誰か",
            entry=4,
            reason="不正",
            changes=changes,
        )
        for i, changes in enumerate(({"online": "yes"}, {"experts": "E001"}, {"report": 7}))
    ]
    desk.app.recorder.insert_events([mapper.to_stored_event(e) for e in forged])
    desk.refresh()
    shown_now = show_case(desk.views.conn, case_id)
    assert shown_now is not None and shown_now["latest_report"] == "移行計画を確認した"
    visit = next(e for e in shown_now["history"] if e["entry"] == 4)
    assert visit["corrected_by"] is None
    desk.app.add_note(number, "まだ記録できる", on=day(40))  # the case still loads and decides
    desk.refresh()
    fresh = rebuilt(desk)
    try:
        assert dump_all(fresh.conn) == dump_all(desk.views.conn)
    finally:
        fresh.close()
