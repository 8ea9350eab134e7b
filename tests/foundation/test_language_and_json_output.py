"""End to end: messages in Japanese by default and English on request; ``--json`` is UTF-8
JSON with the Japanese left as it is."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

ENGLISH = {
    "an unknown case": (("case", "apply", "2025-999"), "Error: Unknown case: 2025-999"),
    "a wrong check digit": (
        ("case", "open", "112039", "--topic", "B", "--summary", "x"),
        "Error: Municipality code 112039 is invalid (check digit does not match)",
    ),
    "a malformed date": (
        ("case", "apply", "2025-001", "--on", "2025-13-01"),
        "Error: Invalid date (--on): write a date as 2026-10-01, 2026/10/01, R8.10.1"
        " or 令和8年10月1日 (2025-13-01)",
    ),
    "a closed case": (
        ("case", "apply", "2025-003"),
        "Error: Case 2025-003 is closed (only a note, feedback or reopening can be recorded)",
    ),
    "a missing option": (
        ("case", "open", "川口市", "--topic", "B"),
        "Error: Missing option '--summary'.",
    ),
    "non-UTF-8 bytes": (
        ("case", "note", "2025-001", b"\xff"),
        "Error: Invalid argument: not UTF-8",
    ),
}


@pytest.mark.parametrize(("args", "message"), ENGLISH.values(), ids=ENGLISH.keys())
def test_lang_en_gives_english_errors(
    refusal_store: Cli, args: tuple[str | bytes, ...], message: str
) -> None:
    run = refusal_store("--lang", "en", *args)
    assert run.code == 2, str(run)
    assert run.err.strip().startswith(message), str(run)
    assert len(run.err.strip().splitlines()) == 1


def test_banso_lang_in_the_environment_gives_english_too(refusal_store: Cli) -> None:
    run = refusal_store("case", "apply", "2025-999", env={"BANSO_LANG": "en"})
    assert run.err.strip() == "Error: Unknown case: 2025-999"


def test_lang_after_the_command_name_counts_as_well(refusal_store: Cli) -> None:
    run = refusal_store("case", "apply", "2025-999", "--lang", "en")
    assert run.err.strip() == "Error: Unknown case: 2025-999"


def test_japanese_is_the_default(refusal_store: Cli) -> None:
    run = refusal_store("case", "apply", "2025-999")
    assert run.err.strip() == "エラー: 案件 2025-999 は見つかりません"


def test_english_output_for_people(refusal_store: Cli) -> None:
    run = refusal_store.ok("--lang", "en", "case", "note", "2025-001", "memo", "--on", "2025-06-03")
    assert run.out.strip() == "Case 2025-001: note added"


@pytest.mark.parametrize(
    "args",
    [
        ("case", "show", "2025-001"),
        ("muni", "show", "川口市"),
        ("timeline", "川口市"),
        ("expert", "list"),
        ("case", "list", "--status", "all"),
    ],
    ids=lambda a: " ".join(a),
)
def test_json_output_is_utf8_with_japanese_unescaped(
    refusal_store: Cli, args: tuple[str, ...]
) -> None:
    run = refusal_store.ok(*args, "--json")
    text = run.raw_out.decode("utf-8")  # strict: fails on anything but UTF-8
    json.loads(text)
    assert "\\u" not in text
    assert any(word in text for word in ("川口市", "山田太郎", "移行計画の相談"))


def test_json_names_the_identifiers_a_recording_made(refusal_store: Cli) -> None:
    opened = refusal_store.ok(
        "--json",
        "case",
        "open",
        "松伏町",
        "--topic",
        "A",
        "--summary",
        "機運醸成",
        "--on",
        "2025-07-01",
    ).json()
    assert opened["case"] == "2025-004"
    assert len(opened["id"]) == 36
    shown = refusal_store.ok("case", "show", opened["id"], "--json").json()
    assert (shown["case"], shown["municipality"], shown["topic"]) == ("2025-004", "114651", "A")


def test_recorded_by_comes_from_banso_user_or_the_user_option(refusal_store: Cli) -> None:
    refusal_store.ok("case", "note", "2025-001", "一つ目", "--on", "2025-06-03")
    refusal_store.ok(
        "--user", "応援の鈴木", "case", "note", "2025-001", "二つ目", "--on", "2025-06-04"
    )
    history = refusal_store.ok("case", "show", "2025-001", "--json").json()["history"]
    assert [(h["text"], h["recorded_by"]) for h in history[1:]] == [
        ("一つ目", "事務局 田中"),
        ("二つ目", "応援の鈴木"),
    ]
    assert history[0]["recorded_by"] == "準備"
