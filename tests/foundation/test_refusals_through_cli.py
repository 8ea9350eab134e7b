"""End to end: bad input gets one clear line on stderr, exit status 2, and records nothing.

The store (see ``fill_refusal_store``) is built once; each refusal runs the real ``banso``
against a copy of it, and the copy's export must equal the export made before, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

from tracker.cli import main
from tracker.domain.municipality import municipality_id
from tracker.domain.sequence import number_id

if TYPE_CHECKING:
    from conftest import Cli, Pristine

KAWAGUCHI_ID = str(municipality_id("112038"))
NUMBER_CLAIM_ID = str(number_id("case:2025", 1))
ORPHAN_NOTE = {
    "id": 1,
    "originator_id": "6f1c1b1e-0000-4000-8000-000000000001",
    "originator_version": 1,
    "topic": "events.case:NoteAdded",
    "state": {
        "timestamp": "2025-06-01T00:00:00Z",
        "occurred_on": "2025-06-01",
        "recorded_by": "誰か",
        "text": "案件のないメモ",
    },
}
FOREIGN_TOPIC = {**ORPHAN_NOTE, "topic": "this:s", "state": {}}


class Refusal(NamedTuple):
    args: tuple[str | bytes, ...]
    says: str
    """A fragment of the (Japanese) message that shows it is the right refusal."""
    file: bytes | None = None
    """Content for ``{file}`` in ``args`` (an import file)."""


def r(*args: str | bytes, says: str, file: bytes | None = None) -> Refusal:
    return Refusal(args, says, file)


def lines(*records: dict) -> bytes:
    return b"".join(json.dumps(x, ensure_ascii=False).encode() + b"\n" for x in records)


REFUSALS = {
    # codes and check digits
    "check digit of a new municipality": r("muni", "add", "112039", "新町", says="検査数字"),
    "check digit of a case's municipality": r(
        "case", "open", "112039", "--topic", "B", "--summary", "相談", says="検査数字"
    ),
    "a code of five digits": r("muni", "show", "11203", says="6桁の数字ではありません"),
    "a code in full-width digits": r("muni", "add", "１１２０３８", "川口市", says="6桁"),
    # dates
    "a month that does not exist": r("case", "apply", "2025-001", "--on", "2025-13-01", says="2026/10/01"),
    "a date with two separators": r("case", "apply", "2025-001", "--on", "2025/06-10", says="令和8年10月1日"),
    "a due date in words": r("case", "follow-up", "2025-001", "--due", "来週", says="R8.10.1"),
    "a malformed as-of date": r("case", "show", "2025-001", "--as-of", "2025-02-30", says="2026/10/01"),
    "an era date the era never had": r("case", "apply", "2025-001", "--on", "H31.5.1", says="平成にない日付"),
    "a fiscal year in words": r("stats", "--fiscal-year", "来年度", says="令和8年度"),
    "a date in the future": r("case", "note", "2025-001", "メモ", "--on", "2999-01-01", says="未来の日付"),
    # unknown things
    "an unknown municipality name": r(
        "case", "open", "存在しない村", "--topic", "A", "--summary", "相談", says="存在しない村 は登録されていません"
    ),
    "a valid code not registered": r(
        "case", "open", "011002", "--topic", "A", "--summary", "相談", says="011002 は登録されていません"
    ),
    "an unknown case number": r("case", "apply", "2025-999", says="2025-999 は見つかりません"),
    "a case of a year with none": r("case", "show", "2024-001", says="見つかりません"),
    "a municipality's id as a case": r("case", "apply", KAWAGUCHI_ID, says="見つかりません"),
    "a case number's claim id as a case": r("case", "note", NUMBER_CLAIM_ID, "メモ", says="見つかりません"),
    "an unknown expert dispatched": r("case", "dispatch", "2025-002", "--expert", "E999", says="E999 は登録されていません"),
    "an unknown expert retired": r("expert", "retire", "存在しない人", says="登録されていません"),
    "an unknown contact on a new case": r(
        "case", "open", "川口市", "--topic", "B", "--summary", "相談", "--contact", "不明", says="担当者に 不明 はいません"
    ),
    "transfer of an unknown contact": r("contact", "transfer", "川口市", "山本", says="担当者に 山本 はいません"),
    # what the case's state forbids
    "dispatch without an application": r("case", "dispatch", "2025-001", "--expert", "E001", says="派遣申請がない"),
    "follow-up done with none pending": r("case", "follow-up-done", "2025-001", says="予定中のフォローアップがありません"),
    "an application on a closed case": r("case", "apply", "2025-003", says="終了しています"),
    "a dispatch on a closed case": r("case", "dispatch", "2025-003", "--expert", "E001", says="終了しています"),
    "a visit on a closed case": r("case", "visit", "2025-003", "--report", "報告", says="終了しています"),
    "a follow-up on a closed case": r("case", "follow-up", "2025-003", "--due", "2025-07-01", says="終了しています"),
    "follow-up done on a closed case": r("case", "follow-up-done", "2025-003", says="終了しています"),
    "closing a closed case": r("case", "close", "2025-003", "--resolution", "resolved", says="終了しています"),
    "reopening an open case": r("case", "reopen", "2025-001", says="終了していません"),
    "a visit dated before the case opened": r(
        "case", "visit", "2025-001", "--report", "報告", "--on", "2025-06-01", says="受付日 2025-06-02 より前"
    ),
    "a note dated before the case opened": r("case", "note", "2025-001", "メモ", "--on", "2025-05-31", says="受付日"),
    "a change dated before the last one": r("case", "apply", "2025-002", "--on", "2025-06-02", says="直前の記録日"),
    "a follow-up due before it was planned": r(
        "case", "follow-up", "2025-001", "--due", "2025-06-01", "--on", "2025-06-10", says="記録日より前"
    ),
    "a retired expert dispatched": r("case", "dispatch", "2025-002", "--expert", "E002", says="登録を終了"),
    "a retired expert retired again": r("expert", "retire", "E002", says="登録を終了"),
    "a successor who is already a contact": r(
        "contact", "transfer", "川口市", "佐藤花子", "--successor", "高橋健", says="すでに担当者"
    ),
    "a contact assigned twice": r("contact", "assign", "川口市", "高橋健", "--role", "係長", says="すでに担当者"),
    "a municipality registered twice": r("muni", "add", "112038", "川口市", says="すでに登録"),
    # values out of their range
    "a rating of six": r("case", "feedback", "2025-001", "--rating", "6", says="範囲外"),
    "a rating in words": r("case", "feedback", "2025-001", "--rating", "良い", says="--rating には整数を入力してください"),
    "a due-soon window out of range": r("due", "--within", "-1", says="--within には 0〜366 の整数を入力してください"),
    "a commitment numbered 0": r("case", "commitment-done", "2025-001", "0", says="N には 1 以上の整数を入力してください"),
    "a digest format not offered": r("digest", "--format", "pdf", says="--format は次のどれかで指定してください: text、markdown、html"),
    "an owner nobody is": r("commitments", "--for", "謎", says="担当 (--for) の値が正しくありません"),
    "an unknown channel": r(
        "case", "open", "川口市", "--topic", "B", "--summary", "相談", "--channel", "fax",
        says="選べない値です: fax（選べる値: chat チャット、mail メール、phone 電話、form 申込書",
    ),
    "an unknown resolution": r(
        "case", "close", "2025-001", "--resolution", "done", says="選べる値: resolved 解決、referred 他機関へ紹介"
    ),
    "an unknown outreach kind": r("outreach", "川口市", "--kind", "party", says="選べる値: cafe デジタルカフェ"),
    "a topic nobody registered": r(
        "case", "open", "川口市", "--topic", "Q", "--summary", "相談", says="選べない値です: Q（選べる値: A 推進体制・計画"
    ),
    "a specialty nobody registered": r("expert", "add", "新人", "--specialty", "量子", says="選べない値です: 量子"),
    "a topic registered twice": r("topic", "add", "b", "標準化", says="分野 B と同じコード"),
    "a topic code of two words": r("topic", "add", "A I", "AI活用", says="空白を含められません"),
    "a negative population": r("muni", "update", "川口市", "--population", "-5", says="負の値"),
    "a profile update with nothing": r("muni", "update", "川口市", says="変更する項目"),
    "an unknown prefecture": r("init", "--prefecture", "アトランティス", says="見つかりません"),
    "a known prefecture, then an unknown one": r(
        "init", "--prefecture", "13", "--prefecture", "アトランティス", says="見つかりません"
    ),
    "an unknown option": r("case", "apply", "2025-001", "--when", "2025-06-10", says="不明なオプション"),
    # missing options and arguments
    "a case without a summary": r("case", "open", "川口市", "--topic", "B", says="必須のオプション --summary"),
    "a dispatch without an expert": r("case", "dispatch", "2025-002", says="必須のオプション --expert"),
    "a contact without a role": r("contact", "assign", "川口市", "新人", says="必須のオプション --role"),
    "a visit without a report": r("case", "visit", "2025-001", says="必須のオプション --report"),
    "a follow-up without a due date": r("case", "follow-up", "2025-001", says="必須のオプション --due"),
    "a note without its text": r("case", "note", "2025-001", says="必須の引数"),
    # text
    "an empty note": r("case", "note", "2025-001", "", says="空です"),
    "a summary of blanks": r("case", "open", "川口市", "--topic", "B", "--summary", "  \u3000 ", says="空です"),
    "an empty expert name": r("expert", "add", " ", says="空です"),
    "an empty next step": r("case", "visit", "2025-001", "--report", "報告", "--next-step", "", says="空です"),
    "a summary longer than 20,000 characters": r(
        "case", "open", "川口市", "--topic", "B", "--summary", "あ" * 40_000, says="20000 文字を超えて"
    ),
    "a bell in a note": r("case", "note", "2025-001", "ベル\x07", says="制御文字 U+0007"),
    "a terminal escape in a report": r("case", "visit", "2025-001", "--report", "\x1b[31m赤\x1b[0m", says="U+001B"),
    "a control character in the user's name": r("--user", "田中\x08", "case", "note", "2025-001", "メモ", says="U+0008"),
    # bytes that are not UTF-8
    "non-UTF-8 bytes in a note": r("case", "note", "2025-001", b"\xff\xfe\x82\xa0", says="UTF-8 ではありません"),
    "non-UTF-8 bytes in a municipality": r(
        "case", "open", b"\x90\xec\x8c\xfb\x8es", "--topic", "B", "--summary", "相談", says="UTF-8 ではありません"
    ),
    "non-UTF-8 bytes in an import file": r(
        "import", "{file}", says="UTF-8 ではありません", file=lines(ORPHAN_NOTE)[:40] + b"\x82\xa0\xff\n"
    ),
    "an import file that is not JSON": r("import", "{file}", says="JSON として読めません", file=b"id,topic\n1,x\n"),
    "an import file with a line of JSON that is no event": r("import", "{file}", says="JSON", file=b'{"id": 1}\n'),
    "an import file whose event begins no aggregate": r(
        "import", "{file}", says="イベントとして読めません", file=lines(ORPHAN_NOTE)
    ),
    "an import file naming another module's class": r(
        "import", "{file}", says="イベントとして読めません", file=lines(FOREIGN_TOPIC)
    ),
    "an import file with a version gap": r(
        "import", "{file}", says="version 2 != 1", file=lines({**ORPHAN_NOTE, "originator_version": 2})
    ),
    "an import file whose event's id is not text": r(
        "import", "{file}", says="JSON", file=lines({**ORPHAN_NOTE, "originator_id": True})
    ),
    "an import file whose event's version is a string": r(
        "import", "{file}", says="JSON", file=lines({**ORPHAN_NOTE, "originator_version": "1"})
    ),
    "an import file that does not exist": r("import", "/nonexistent/backup.jsonl", says="値が正しくありません"),
}  # fmt: skip


def expand(refusal: Refusal, folder: Path) -> list[str | bytes]:
    """The arguments, with ``{file}`` written into ``folder``."""
    if refusal.file is None:
        return list(refusal.args)
    path = folder / "input.jsonl"
    path.write_bytes(refusal.file)
    return [str(path) if a == "{file}" else a for a in refusal.args]


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
def test_bad_input_gets_one_line_exit_2_and_records_nothing(
    refusal: Refusal,
    refusal_store: Cli,
    pristine: Pristine,
    exported: Callable[[str], bytes],
    tmp_path: Path,
) -> None:
    run = refusal_store(*expand(refusal, tmp_path))
    assert run.code == 2, str(run)
    assert run.out == "", str(run)
    assert "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1, str(run)
    assert run.err.startswith("エラー: "), str(run)
    assert refusal.says in run.err, str(run)
    assert exported(refusal_store.store) == pristine.backup


def test_a_one_megabyte_summary_is_refused_whole(
    refusal_store: Cli,
    pristine: Pristine,
    exported: Callable[[str], bytes],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One argument of 1 MB is more than the OS passes to a new process, so this one runs
    # the console script's entry point in this process.
    summary = "長い相談内容。" * (1_000_000 // 7)
    args = ["--store", refusal_store.store, "--user", "田中", "case", "open", "川口市"]
    with pytest.raises(SystemExit) as exit:
        main([*args, "--topic", "B", "--summary", summary])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "エラー: 相談内容 (--summary) の値が正しくありません: 20000 文字を超えています"
    ]
    assert exported(refusal_store.store) == pristine.backup


def test_an_import_file_cannot_make_banso_import_other_modules(
    refusal_store: Cli, tmp_path: Path
) -> None:
    # "this" prints the Zen of Python when imported: resolving its topic would show it.
    (tmp_path / "zen.jsonl").write_bytes(lines(FOREIGN_TOPIC))
    run = refusal_store("import", str(tmp_path / "zen.jsonl"))
    assert run.code == 2
    assert "Beautiful is better than ugly" not in run.out + run.err


def test_a_refused_import_leaves_the_store_working(refusal_store: Cli, tmp_path: Path) -> None:
    (tmp_path / "orphan.jsonl").write_bytes(lines(ORPHAN_NOTE))
    assert refusal_store("import", str(tmp_path / "orphan.jsonl")).code == 2
    refusal_store.ok("case", "note", "2025-003", "終了後のメモ", "--on", "2025-06-11")
    verified = refusal_store.ok("verify", "--json").json()
    assert (verified["ok"], verified["problems"]) == (True, [])
    listed = refusal_store.ok("case", "list", "--status", "all", "--json").json()
    assert sorted(c["case"] for c in listed) == ["2025-001", "2025-002", "2025-003"]
