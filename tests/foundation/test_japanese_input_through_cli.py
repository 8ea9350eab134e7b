"""End to end: the command line takes what a Japanese desk types — choices and topics by
name, municipalities by kana or the start of their name, fiscal years in 令和 — and says
the fiscal year in its era (令和元年度, 平成30年度)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli


@pytest.fixture
def desk_cli(cli: Cli) -> Cli:
    cli.ok("init")
    return cli


def test_channel_resolution_and_kind_are_taken_by_their_japanese_names(desk_cli: Cli) -> None:
    cli = desk_cli
    cli.ok(
        "case",
        "open",
        "川口市",
        "--topic",
        "標準化・ガバメントクラウド",
        "--summary",
        "相談",
        "--channel",
        "電話",
        "--on",
        "2025/6/2",
    )
    cli.ok("case", "close", "2025-001", "--resolution", "解決", "--on", "R7.6.3")
    cli.ok("outreach", "川口市", "--kind", "ヒアリング", "--on", "令和7年6月4日")
    shown = cli.ok("--json", "case", "show", "2025-001").json()
    assert (shown["topic"], shown["opened_on"], shown["status"]) == ("B", "2025-06-02", "closed")
    assert (shown["channel"], shown["resolution"]) == ("phone", "resolved")
    history = cli.ok("--json", "timeline", "川口市").json()
    assert [e["date"] for e in history if e["kind"] == "outreach-recorded"] == ["2025-06-04"]


@pytest.mark.parametrize(
    "ref",
    ["112038", "川口市", "埼玉県川口市", "かわぐちし", "カワグチシ", "ｶﾜｸﾞﾁｼ", "川口", "かわぐち"],
)
def test_a_municipality_is_found_by_code_name_kana_or_the_start_of_its_name(
    desk_cli: Cli, ref: str
) -> None:
    assert desk_cli.ok("--json", "muni", "show", ref).json()["code"] == "112038"


def test_an_ambiguous_start_of_a_name_is_refused_listing_the_candidates(desk_cli: Cli) -> None:
    run = desk_cli("timeline", "小")
    assert run.code == 2 and run.err.count("\n") == 1
    assert "「小」に当てはまるものが複数あります" in run.err
    assert (
        "112089 埼玉県所沢市" not in run.err
        and "埼玉県小川町" in run.err
        and "埼玉県小鹿野町" in run.err
    )


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("2019", "2019年度（令和元年度）"),
        ("2018", "2018年度（平成30年度）"),
        ("令和7", "2025年度（令和7年度）"),
        ("R8", "2026年度（令和8年度）"),
        ("令和元年度", "2019年度（令和元年度）"),
    ],
)
def test_a_fiscal_year_is_asked_in_either_calendar_and_named_in_its_era(
    desk_cli: Cli, typed: str, title: str
) -> None:
    assert title in desk_cli.ok("stats", "--fiscal-year", typed).out


def test_a_topic_of_the_desk_is_registered_once_and_then_taken_by_code_or_name(
    desk_cli: Cli,
) -> None:
    cli = desk_cli
    assert cli.ok("--json", "topic", "add", "j", "生成AI活用", "--en", "Generative AI").json() == {
        "topic": "J"
    }
    cli.ok(
        "case",
        "open",
        "川口",
        "--topic",
        "生成ＡＩ活用",
        "--summary",
        "議事録の要約",
        "--on",
        "2025-06-02",
    )
    cli.ok(
        "case", "open", "川口", "--topic", "J", "--summary", "庁内チャット", "--on", "2025-06-03"
    )
    assert {c["topic"] for c in cli.ok("--json", "case", "list").json()} == {"J"}
    topics = cli.ok("--json", "topic", "list").json()
    assert [t["code"] for t in topics] == [*"ABCDEFGHI", "Z", "J"]
    assert topics[-1]["name_en"] == "Generative AI"
    refused = cli(
        "case", "open", "川口", "--topic", "生成AI", "--summary", "x", "--on", "2025-06-03"
    )
    assert refused.code == 2 and "J 生成AI活用" in refused.err
    year = ["--fiscal-year", "2025"]
    assert "J 生成AI活用" in cli.ok("stats", *year).out
    assert "J Generative AI" in cli.ok("--lang", "en", "stats", *year).out
    assert "J 生成AI活用" in cli.ok("export-csv", "figures-topic", *year, "-o", "-").out


def test_search_through_the_cli_folds_width_and_kana(desk_cli: Cli) -> None:
    cli = desk_cli
    cli.ok(
        "case",
        "open",
        "川口",
        "--topic",
        "I",
        "--summary",
        "スマホ教室でAIを紹介",
        "--on",
        "2025-06-02",
    )
    for needle in ("ＡＩ", "ｽﾏﾎ", "すまほ", "スマホ"):
        found = cli.ok("--json", "search", needle).json()
        assert [r["text"] for r in found] == ["スマホ教室でAIを紹介"], needle
