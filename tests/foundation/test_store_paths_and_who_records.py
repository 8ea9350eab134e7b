"""End to end: a store path that is mistyped, of an unknown kind, a folder or another file
is refused in one line (exit 2) and nothing is created; recording makes a new store and
says where; who records is named once (``banso config set user``), and the login name is
used only when nobody is named, and then said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

READS = [
    ("stalled",),
    ("timeline", "川口市"),
    ("stats",),
    ("search", "移行"),
    ("topic", "list"),
    ("rebuild",),
]


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_a_question_about_a_store_that_is_not_there_says_so_and_creates_nothing(
    cli: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo" / "banso.sqlite"
    run = cli("--store", str(missing), *command)
    assert run.code == 2, str(run)
    assert run.err.count("\n") == 1 and f"ストア {missing} はありません" in run.err
    assert not missing.parent.exists(), "no folder, no store, no read models"


def test_recording_into_a_new_store_makes_it_and_says_where_on_stderr(
    cli: Cli, tmp_path: Path
) -> None:
    store = tmp_path / "new" / "desk.sqlite"
    run = cli("--store", str(store), "init")
    assert run.code == 0, str(run)
    assert run.err.splitlines() == [f"ストアを作成しました: {store}"]
    assert store.is_file()
    again = cli("--store", str(store), "init")
    assert again.code == 0 and again.err == "", "an existing store is not announced"
    assert cli("--store", str(store), "stalled").code == 0


@pytest.mark.parametrize(
    ("store", "says"),
    [
        ("mysql://x/y", "mysql: は使えません"),
        ("sqlite:///tmp/x.db", "sqlite: は使えません"),
        ("{tmp}", "フォルダーです"),
        ("{tmp}/notes.txt", "SQLite のデータベースではありません"),
        ("{tmp}/other.sqlite", "banso のストアではない SQLite データベースです（表: notes）"),
        ("{tmp}/notes.txt/banso.sqlite", "notes.txt はフォルダーではありません"),
    ],
)
@pytest.mark.parametrize("command", [("stalled",), ("init",)], ids=" ".join)
def test_a_store_banso_cannot_use_is_refused_in_one_line_and_left_alone(
    cli: Cli, tmp_path: Path, store: str, says: str, command: tuple[str, ...]
) -> None:
    import sqlite3

    (tmp_path / "notes.txt").write_text("会議メモ\n", encoding="utf-8")
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    run = cli("--store", store.format(tmp=tmp_path), *command)
    assert run.code == 2, str(run)
    assert run.err.count("\n") == 1 and says in run.err, run.err
    assert "内部エラー" not in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not Path("mysql:").exists()


# ---- who records -----------------------------------------------------------------------------


def _recorded_by(cli: Cli) -> set[str]:
    return {e["recorded_by"] for e in cli.ok("--json", "timeline", "川口市").json()}


def test_without_any_name_the_login_name_records_and_a_note_says_so(cli: Cli) -> None:
    cli.env.pop("BANSO_USER")
    run = cli.ok("init")
    assert "OS のアカウント名" in run.err and "banso config set user" in run.err
    opened = cli.ok(
        "case", "open", "川口市", "--topic", "B", "--summary", "相談", "--on", "2025-06-02"
    )
    assert "OS のアカウント名" in opened.err
    asked = cli.ok("stalled")
    assert asked.err == "", "a question records nothing: no note"


def test_a_name_set_once_records_every_event_and_silences_the_note(
    cli: Cli, tmp_path: Path
) -> None:
    cli.env.pop("BANSO_USER")
    saved = cli.ok("config", "set", "user", "佐藤 花子")
    assert "佐藤 花子" in saved.out
    run = cli.ok("init")
    assert "OS のアカウント名" not in run.err
    cli.ok("case", "open", "川口市", "--topic", "B", "--summary", "相談", "--on", "2025-06-02")
    assert _recorded_by(cli) == {"佐藤 花子"}
    shown = cli.ok("--json", "config", "show").json()
    assert {"key": "user", "value": "佐藤 花子"}.items() <= shown["settings"][0].items()
    assert cli.ok("--user", "田中", "case", "note", "2025-001", "メモ", "--on", "2025-06-03")
    assert _recorded_by(cli) == {"佐藤 花子", "田中"}  # --user still wins


def test_the_settings_file_lives_where_banso_config_names_it_and_keeps_its_comments(
    cli: Cli, own_settings_file: Path
) -> None:
    own_settings_file.write_text('# 事務局の設定\nlang = "ja"\n', encoding="utf-8")
    cli.ok("config", "set", "user", "佐藤")
    text = own_settings_file.read_text(encoding="utf-8")
    assert text.startswith("# 事務局の設定\n") and 'user = "佐藤"' in text
    assert json.loads(cli.ok("--json", "config", "show").raw_out)["file"] == str(own_settings_file)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("usr", "佐藤", "選べない値です: usr（選べる値: user、lang、cipher_key_file、smtp.host"),
        ("lang", "fr", "選べない値です: fr（選べる値: ja、en）"),
        ("user", "佐藤\x1b[2J", "制御文字 U+001B"),
    ],
)
def test_a_setting_that_would_not_do_is_refused_and_the_file_left_as_it_was(
    cli: Cli, own_settings_file: Path, key: str, value: str, says: str
) -> None:
    cli.ok("config", "set", "user", "佐藤")
    before = own_settings_file.read_bytes()
    run = cli("config", "set", key, value)
    assert run.code == 2 and says in run.err and run.err.count("\n") == 1, str(run)
    assert own_settings_file.read_bytes() == before


def test_the_language_set_once_is_spoken_unless_asked_otherwise(cli: Cli) -> None:
    cli.ok("config", "set", "lang", "en")
    assert "Created the store" in cli("init").err
    assert cli("case", "show", "2025-999").err.startswith("Error: Unknown case")
    assert cli("--lang", "ja", "case", "show", "2025-999").err.startswith("エラー: 案件")


def test_every_setting_has_a_type_and_words_in_both_languages_that_config_show_prints() -> None:
    from tracker.desk.config import DeskConfig, keys, show
    from tracker.language import WORDS

    settable = [key for key, _ in keys()]
    assert settable == [
        "user",
        "lang",
        "cipher_key_file",
        "smtp.host",
        "smtp.port",
        "smtp.user",
        "smtp.password_file",
        "smtp.from",
        "smtp.starttls",
        "addresses.*",
    ]
    for key in settable:  # each described in both languages, one line each, not the same
        words = WORDS.entries[f"setting.{key}"]
        assert set(words) == {"ja", "en"} and words["ja"] != words["en"], key
        assert all(text and "\n" not in text for text in words.values()), key
    assert [(s["key"], s["type"]) for s in show(DeskConfig())] == [
        ("user", "str"),
        ("lang", "ja|en"),
        ("cipher_key_file", "str"),
        ("smtp.host", "str"),
        ("smtp.port", "int"),
        ("smtp.user", "str"),
        ("smtp.password_file", "str"),
        ("smtp.from", "str"),
        ("smtp.starttls", "bool"),
    ]
    addressed = DeskConfig(addresses={"E001": "yamada@example.jp"})
    assert show(addressed, "en")[-1] == {
        "key": "addresses.E001",
        "value": "yamada@example.jp",
        "type": "str",
        "doc": WORDS.entries["setting.addresses.*"]["en"],
    }
    assert show(DeskConfig(), "ja")[0]["doc"].startswith("記録者: この人が記録する")
