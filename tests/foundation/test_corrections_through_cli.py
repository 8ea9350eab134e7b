"""End to end through the ``banso`` executable: ``case correct``/``case withdraw`` and
``muni correct``/``muni withdraw`` record new events that every answer then reads, their
refusals are one line, exit 2 and record nothing, and ``--as-recorded`` reads the store as
it had been recorded by a day, beside ``--as-of``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.cli import main
from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import today

if TYPE_CHECKING:
    from conftest import Cli

T = today() - timedelta(days=120)


def on(n: int) -> str:
    return (T + timedelta(days=n)).isoformat()


NUMBER = f"{fiscal_year(T + timedelta(days=1))}-001"


@pytest.fixture
def story(cli: Cli) -> Cli:
    """川口市 with 佐藤花子, two experts; a case opened, dispatched (E001), visited."""
    cli.ok("init")
    cli.ok("expert", "add", "山田太郎")
    cli.ok("expert", "add", "鈴木花子")
    cli.ok("contact", "assign", "川口市", "佐藤花子", "--role", "主査", "--on", on(0))
    opened = cli.ok(
        "case", "open", "川口市", "--topic", "C", "--summary", "公式LINE", "--on", on(1), "--json"
    )
    assert opened.json()["case"] == NUMBER
    cli.ok("case", "apply", NUMBER, "--on", on(2))
    cli.ok("case", "dispatch", NUMBER, "--expert", "E001", "--on", on(3))
    cli.ok("case", "visit", NUMBER, "--report", "導入事例を紹介した", "--on", on(10))
    cli.ok("outreach", "川口市", "--kind", "cafe", "--note", "デジタルカフェ", "--on", on(11))
    return cli


def test_a_report_is_corrected_and_every_answer_reads_it_so(story: Cli) -> None:
    done = story.ok(
        "case", "correct", NUMBER, "4", "--text", "運用規程の案を作った", "--reason", "報告の誤記",
        "--json",
    )  # fmt: skip
    assert done.json() == {"case": NUMBER, "entry": 4, "amendment": 5}
    assert "記録 #3 を訂正しました（訂正 #6）" in story.ok("case", "correct", NUMBER, "#3",
        "--expert", "鈴木花子", "--reason", "担当違い").out  # fmt: skip
    case = story.ok("case", "show", NUMBER, "--json").json()
    assert case["latest_report"] == "運用規程の案を作った"
    assert [e["id"] for e in case["experts"]] == ["E002", "E001"]
    visit = next(e for e in case["history"] if e["entry"] == 4)
    assert (visit["corrected_by"], visit["amendable"]) == (5, True)
    trail = [e for e in case["history"] if e["kind"] == "case-entry-corrected"]
    assert [(e["amends"], e["reason"], e["recorded_by"]) for e in trail] == [
        (4, "報告の誤記", "事務局 田中"),
        (3, "担当違い", "事務局 田中"),
    ]
    assert "導入事例を紹介した" in trail[0]["text"], "the original still readable"
    human = story.ok("case", "show", NUMBER).out
    assert "No." in human and "訂正済" in human
    found = story.ok("search", "運用規程", "--json").json()
    assert [r["case"] for r in found if r["kind"] == "VisitReported"] == [NUMBER]
    assert not [
        r for r in story.ok("search", "導入事例", "--json").json() if r["kind"] == "VisitReported"
    ]
    timeline = story.ok("timeline", "川口市", "--json").json()
    assert {"entry", "corrected_by", "withdrawn_by"} <= set(timeline[0])


def test_a_case_is_withdrawn_whole_and_stays_readable(story: Cli) -> None:
    done = story.ok("case", "withdraw", NUMBER, "--reason", "別の市の案件", "--json").json()
    assert done == {"case": NUMBER, "entry": 1, "amendment": 5}
    assert story.ok("case", "list", "--status", "all", "--json").json() == []
    assert [
        c["case"] for c in story.ok("case", "list", "--status", "withdrawn", "--json").json()
    ] == [NUMBER]
    stats = story.ok(
        "stats", "--fiscal-year", str(fiscal_year(T + timedelta(days=1))), "--json"
    ).json()
    assert stats["consultations"] == 0
    shown = story.ok("case", "show", NUMBER)
    assert "取消済み" in shown.out and "別の市の案件" in shown.out
    refused = story("case", "note", NUMBER, "追記")
    assert (refused.code, refused.err.strip()) == (
        2,
        f"エラー: 案件 {NUMBER} は取り消されています（閲覧のみ）",
    )


def test_a_municipalitys_entries_are_corrected_and_withdrawn(story: Cli) -> None:
    corrected = story.ok(
        "muni", "correct", "川口市", "2", "--role", "係長", "--phone", "048-000-0000",
        "--reason", "役職の誤り", "--json",
    ).json()  # fmt: skip
    assert corrected == {"municipality": "112038", "entry": 2, "amendment": 4}
    withdrawn = story.ok("muni", "withdraw", "112038", "3", "--reason", "別の市", "--json").json()
    assert withdrawn == {"municipality": "112038", "entry": 3, "amendment": 5}
    muni = story.ok("muni", "show", "川口市", "--json").json()
    assert [(c["name"], c["role"], c["phone"]) for c in muni["contacts"]] == [
        ("佐藤花子", "係長", "048-000-0000")
    ]
    outreach = [
        e
        for e in story.ok("timeline", "川口市", "--json").json()
        if e["kind"] == "outreach-recorded"
    ]
    assert [e["withdrawn_by"] for e in outreach] == [5]
    assert story.ok("stats", "--json").json()["outreach"] == 0


REFUSALS = {
    "no reason": (("case", "correct", NUMBER, "4", "--text", "x"), "--reason"),
    "a blank reason": (
        ("case", "withdraw", NUMBER, "4", "--reason", " "),
        "理由 (--reason) が必要",
    ),
    "an unknown entry": (
        ("case", "correct", NUMBER, "9", "--text", "x", "--reason", "r"),
        "#9 はありません",
    ),
    "an entry that is not a number": (
        ("case", "correct", NUMBER, "四", "--text", "x", "--reason", "r"),
        "記録番号",
    ),
    "a field the entry lacks": (
        ("case", "correct", NUMBER, "2", "--text", "x", "--reason", "r"),
        "本文は訂正できません",
    ),
    "a correction that changes nothing": (
        ("case", "correct", NUMBER, "4", "--text", "導入事例を紹介した", "--reason", "r"),
        "訂正する内容がありません",
    ),
    "a date in the future": (
        ("case", "correct", NUMBER, "4", "--date", "2999-01-01", "--reason", "r"),
        "未来の日付",
    ),
    "a date out of order": (
        ("case", "correct", NUMBER, "2", "--date", on(5), "--reason", "r"),
        "#3（派遣決定）が成り立ちません",
    ),
    "a registration": (
        ("muni", "withdraw", "川口市", "1", "--reason", "r"),
        "訂正・取消できません",
    ),
    "an answered application": (
        ("case", "withdraw", NUMBER, "2", "--reason", "r"),
        "派遣申請がないため",
    ),
    "a newline in the entry": (
        ("case", "withdraw", NUMBER, "4\n5", "--reason", "r"),
        "（4\\n5）",  # escaped as every echoed value is (tracker.language.words.shown)
    ),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_refused_amendment_is_one_line_exit_2_and_records_nothing(
    story: Cli, exported: Callable[[str], bytes], name: str
) -> None:
    before = exported(story.store)
    args, says = REFUSALS[name]
    run = story(*args)
    assert run.code == 2, str(run)
    assert len(run.err.strip().splitlines()) == 1, str(run)
    assert says in run.err, str(run)
    assert exported(story.store) == before


def test_the_help_names_the_commands_and_their_options(cli: Cli) -> None:
    assert {"correct", "withdraw"} <= set(cli.ok("case", "--help").out.split())
    assert {"correct", "withdraw"} <= set(cli.ok("muni", "--help").out.split())
    correct = cli.ok("case", "correct", "--help").out
    for option in ("--text", "--expert", "--due", "--date", "--reason"):
        assert option in correct
    assert "--as-recorded" in cli.ok("timeline", "--help").out


def test_as_recorded_reads_the_report_as_it_was_recorded_and_as_of_as_it_is_corrected(
    story: Cli, tmp_path: Path, restamped: Callable[..., Cli]
) -> None:
    """TRUST.md's example: a report corrected later reads corrected as of a day before the
    correction, and as first recorded when asked as recorded before it."""
    story.ok("case", "correct", NUMBER, "4", "--text", "運用規程の案を作った", "--reason", "誤記")
    restored = restamped(story, tmp_path, T, 60)  # the correction recorded on day 60

    def report(*asked: str) -> str | None:
        shown = restored(*("case", "show", NUMBER, "--json", *asked))
        return shown.json()["latest_report"] if shown.code == 0 else None

    assert report("--as-of", on(30)) == "運用規程の案を作った"
    assert report("--as-recorded", on(50)) == "導入事例を紹介した"
    assert report("--as-recorded", on(50), "--as-of", on(30)) == "導入事例を紹介した"
    assert report("--as-recorded", on(60)) == "運用規程の案を作った"
    assert report("--as-recorded", on(5)) is None, "visited later: no report yet"
    not_yet = restored("case", "show", NUMBER, "--as-recorded", on(0))
    assert not_yet.code == 2 and "記録時点 (--as-recorded)" in not_yet.err
    timeline = restored.ok("timeline", "川口市", "--as-recorded", on(50), "--json").json()
    assert "case-entry-corrected" not in [e["kind"] for e in timeline]
    for question in (("stalled",), ("silent",), ("stats",), ("search", "導入"),
                     ("briefing", "川口市"), ("muni", "show", "川口市"), ("expert", "show", "E001"),
                     ("case", "list"), ("muni", "list"), ("expert", "list")):  # fmt: skip
        restored.ok(*question, "--as-recorded", on(50))


def test_a_correction_runs_in_process_through_the_entry_point(
    story: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--store", story.store, "--user", "田中", "--json"]
    main([*args, "case", "correct", NUMBER, "4", "--date", on(12), "--reason", "日付の誤り"])
    assert json.loads(capsys.readouterr().out) == {"case": NUMBER, "entry": 4, "amendment": 5}
    with pytest.raises(SystemExit) as exit:
        main([*args, "case", "correct", NUMBER, "5", "--text", "x", "--reason", "r"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"エラー: {NUMBER} の記録 #5（訂正）は訂正・取消できません"
    ]
