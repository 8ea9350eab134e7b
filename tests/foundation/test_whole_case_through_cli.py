"""End to end: the real ``banso`` command carries one case from first question to handover."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

HISTORY = [
    ("2025-06-02", "case-opened"),
    ("2025-06-03", "dispatch-applied"),
    ("2025-06-09", "dispatch-decided"),
    ("2025-06-16", "visit-reported"),
    ("2025-06-16", "commitment-made"),
    ("2025-06-16", "commitment-made"),
    ("2025-06-16", "follow-up-scheduled"),
    ("2025-07-14", "follow-up-done"),
    ("2025-07-14", "commitment-done"),
    ("2025-07-20", "note-added"),
    ("2025-08-01", "commitment-cancelled"),
    ("2025-08-01", "case-closed"),
    ("2025-09-01", "case-reopened"),
    ("2025-09-10", "visit-reported"),
    ("2025-09-10", "commitment-made"),
]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, cli_for: type[Cli]) -> tuple[Cli, dict, Path]:
    """One case, recorded command by command; returns banso, the case's number and id, home."""
    home = tmp_path_factory.mktemp("story")
    cli = cli_for(home / "store" / "banso.sqlite", home)
    first, second = cli.ok("init", "--json").json(), cli.ok("init", "--json").json()
    assert first == {"registered": 63, "municipalities": 63}
    assert second == {"registered": 0, "municipalities": 63}
    assert cli.ok(
        "expert", "add", "山田太郎", "--specialty", "B", "--on", "2025-04-01", "--json"
    ).json() == {"expert": "E001"}
    assert cli.ok("expert", "add", "中村 修", "--on", "2025-04-01", "--json").json() == {
        "expert": "E002"
    }
    cli.ok("contact", "assign", "川口市", "佐藤花子", "--role", "主査", "--on", "2025-04-01")
    opened = cli.ok(
        "case", "open", "112038", "--topic", "B", "--summary", "特定移行支援システムの申請について",
        "--contact", "佐藤花子", "--channel", "mail", "--on", "2025-06-02", "--json",
    ).json()  # fmt: skip
    assert opened["case"] == "2025-001"
    number = opened["case"]
    cli.ok("case", "apply", number, "--on", "2025-06-03")
    cli.ok(
        "case", "dispatch", number, "--expert", "E001", "--expert", "中村 修", "--on", "2025-06-09"
    )
    cli.ok(
        "case", "visit", number, "--report", "移行計画を確認した", "--next-step", "見積を依頼",
        "--next-step", "議会へ説明", "--on", "2025-06-16",
    )  # fmt: skip
    cli.ok("case", "follow-up", number, "--due", "2025-07-15", "--on", "2025-06-16")
    cli.ok("case", "follow-up-done", number, "--note", "見積が届いた", "--on", "2025-07-14")
    cli.ok("case", "commitment-done", number, "1", "--on", "2025-07-14")
    cli.ok("--user", "鈴木（応援）", "case", "note", number, "課長にも共有", "--on", "2025-07-20")
    cli.ok(
        "case", "close", number, "--resolution", "resolved", "--cancel-open", "--on", "2025-08-01"
    )
    cli.ok("case", "reopen", number, "--note", "再度の相談", "--on", "2025-09-01")
    cli.ok(
        "case", "visit", number, "--report", "契約書を確認", "--online", "--next-step", "議会日程を確認",
        "--on", "2025-09-10",
    )  # fmt: skip
    cli.ok(
        "contact", "transfer", "川口市", "佐藤花子", "--successor", "鈴木一郎", "--on", "2026-04-01"
    )
    return cli, opened, home


def test_case_show_tells_the_whole_story(story: tuple[Cli, dict, Path]) -> None:
    cli, opened, _ = story
    shown = cli.ok("case", "show", opened["case"], "--json").json()
    assert shown["case"] == "2025-001"
    assert shown["id"] == opened["id"]
    assert shown["municipality"] == "112038"
    assert shown["topic"] == "B"
    assert shown["status"] == "open"
    assert shown["opened_on"] == "2025-06-02"
    assert [e["id"] for e in shown["experts"]] == ["E001", "E002"]
    assert [e["name"] for e in shown["experts"]] == ["山田太郎", "中村 修"]
    assert shown["contact"] == "鈴木一郎"
    assert shown["next_follow_up"] is None
    assert shown["next_steps"] == ["議会日程を確認"]
    assert shown["latest_report"] == "契約書を確認"
    assert [(h["date"], h["kind"]) for h in shown["history"]] == HISTORY


def test_history_names_who_recorded_each_entry(story: tuple[Cli, dict, Path]) -> None:
    cli, opened, _ = story
    history = cli.ok("case", "show", opened["case"], "--json").json()["history"]
    by = {h["kind"]: h["recorded_by"] for h in history}
    assert by["note-added"] == "鈴木（応援）"  # --user wins over BANSO_USER
    assert {h["recorded_by"] for h in history} == {"事務局 田中", "鈴木（応援）"}
    assert all(h["recorded_at"] for h in history)


def test_case_as_of_a_past_day_shows_it_as_it_stood(story: tuple[Cli, dict, Path]) -> None:
    cli, opened, _ = story
    after_visit = cli.ok("case", "show", opened["case"], "--as-of", "2025-06-20", "--json").json()
    assert after_visit["next_steps"] == ["見積を依頼", "議会へ説明"]
    assert after_visit["next_follow_up"] == "2025-07-15"
    assert after_visit["contact"] == "佐藤花子"
    closed = cli.ok("case", "show", opened["case"], "--as-of", "2025-08-15", "--json").json()
    assert closed["status"] == "closed"
    assert closed["resolution"] == "resolved"
    assert len(closed["history"]) == 12


def test_the_successor_takes_over_the_contact_role(story: tuple[Cli, dict, Path]) -> None:
    cli, _, _ = story
    muni = cli.ok("muni", "show", "川口市", "--json").json()
    assert [(c["name"], c["role"], c["predecessor"]) for c in muni["contacts"]] == [
        ("鈴木一郎", "主査", "佐藤花子")
    ]
    timeline = cli.ok("timeline", "112038", "--json").json()
    transfer = [t for t in timeline if t["kind"] == "contact-transferred"]
    assert len(transfer) == 1
    assert transfer[0]["date"] == "2026-04-01"
    assert transfer[0]["recorded_by"] == "事務局 田中"


def test_running_init_again_records_nothing(story: tuple[Cli, dict, Path]) -> None:
    cli, _, home = story
    before = cli.export(home / "init-before.jsonl")
    assert cli.ok("init", "--prefecture", "埼玉県", "--json").json()["registered"] == 0
    assert cli.export(home / "init-after.jsonl") == before


def test_the_store_verifies_clean_after_the_story(story: tuple[Cli, dict, Path]) -> None:
    cli, _, _ = story
    verified = cli.ok("verify", "--json").json()
    assert (verified["ok"], verified["problems"]) == (True, [])


def test_the_store_option_wins_over_banso_store(story: tuple[Cli, dict, Path]) -> None:
    cli, _, home = story
    elsewhere = {"BANSO_STORE": str(home / "elsewhere" / "banso.sqlite")}
    run = cli("--store", cli.store, "case", "show", "2025-001", "--json", env=elsewhere)
    assert run.code == 0, str(run)
    assert run.json()["case"] == "2025-001"
    assert cli("case", "show", "2025-001", env=elsewhere).code == 2
