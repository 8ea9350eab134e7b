"""Fuzzing ``banso import-sheet`` with CSV files: any headings, any cells (dates in any form,
unknown municipalities and topics, hostile text), any encoding, with and without
``--dry-run``: all rows or none are recorded, a dry run records nothing, the exit is 0 or 2
with no traceback, and the store still verifies, rebuilds and answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import CI, FAST
from tests.fuzz.harness import Desk, Tally
from tests.fuzz.strategies import DATES, TEXT, day_before

HEADINGS = ["整理番号", "受付日", "市町村", "分野", "相談内容", "受付経路", "市町村の担当者",
            "派遣申請日", "派遣決定日", "専門人材", "支援日", "支援報告", "オンライン", "次のステップ"]  # fmt: skip
#: What a desk puts in each column, beside anything at all.
CELLS: dict[str, st.SearchStrategy[str]] = {
    "整理番号": st.one_of(st.integers(1, 50).map(lambda n: f"R{n}"), st.just("")),
    "受付日": DATES,
    "市町村": st.sampled_from(["川口市", "112038", "秩父市", "所沢市", "不明市", "999999"]),
    "分野": st.sampled_from(["B", "K", "窓口DX", "標準化・ガバメントクラウド", "Q", ""]),
    "相談内容": st.sampled_from(["移行の相談", "ＬＩＮＥの相談"]),
    "受付経路": st.sampled_from(["", "メール", "電話", "chat", "伝書鳩"]),
    "市町村の担当者": st.sampled_from(["", "高橋健", "伊藤誠", "知らない人"]),
    "派遣申請日": st.one_of(st.just(""), DATES),
    "派遣決定日": st.one_of(st.just(""), DATES),
    "専門人材": st.sampled_from(["", "E001", "E002", "山田太郎", "E001、E002", "E999"]),
    "支援日": st.one_of(st.just(""), DATES),
    "支援報告": st.sampled_from(["", "確認した", "一行目\n二行目"]),
    "オンライン": st.sampled_from(["", "はい", "いいえ", "TRUE", "0", "?"]),
    "次のステップ": st.sampled_from(["", "見積\n比較", "-"]),
}

#: Cells a clean row takes (every one accepted, given dates in order).
GOOD = {
    "市町村": ["川口市", "112038", "秩父市"],
    "分野": ["B", "K", "窓口DX"],
    "受付経路": ["", "メール", "電話"],
    "市町村の担当者": [""],
    "専門人材": ["E001", "山田太郎"],
    "支援報告": ["確認した", "一行目\n二行目"],
    "オンライン": ["", "はい", "いいえ"],
    "次のステップ": ["", "見積\n比較"],
}


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    """A CSV a desk might bring: the template's headings (some dropped, doubled, reordered,
    or unknown), a few rows, in some encoding (sometimes cut short or not text at all)."""
    wild = draw(st.sampled_from(["clean", "one bad cell", "anything"]))
    headings = draw(st.permutations(HEADINGS))
    if wild == "anything":
        headings = headings[: draw(st.integers(len(headings) - 3, len(headings)))]
        headings = [*headings, *draw(st.lists(st.sampled_from(["備考", "受付日", ""]), max_size=2))]
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        meant = {h: draw(CELLS.get(h, TEXT)) for h in headings}
        if wild == "clean":  # known names, past dates in order: what a desk means to bring
            meant |= {h: draw(st.sampled_from(good)) for h, good in GOOD.items() if h in meant}
            day, steps = draw(st.integers(30, 700)), draw(st.integers(1, 4))
            for n, h in enumerate(["受付日", "派遣申請日", "派遣決定日", "支援日"]):
                if h in meant:
                    meant[h] = day_before(day - 3 * n) if n < steps else ""
            for h in ("専門人材", "支援報告", "オンライン", "次のステップ"):  # need those dates
                if h in meant and steps < (3 if h == "専門人材" else 4):
                    meant[h] = ""
        elif wild == "one bad cell":
            meant[draw(st.sampled_from(headings))] = draw(TEXT)
        else:
            meant = {h: draw(st.one_of(CELLS.get(h, TEXT), TEXT)) for h in headings}
        rows.append([meant[h] for h in headings])
    out = io.StringIO()
    csv.writer(out).writerows([headings, *rows])
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
    if wild == "anything":
        encoding = draw(st.sampled_from(["utf-8", "cp932", "utf-16", "latin-1"]))
    # a byte that is not text stays that byte in UTF-8, else becomes "?"
    data = text.encode(encoding, "surrogateescape" if encoding == "utf-8" else "replace")
    if wild == "anything" and draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    if wild == "anything" and draw(st.integers(0, 5)) == 0:
        data = draw(st.binary(max_size=200))
    return data


def check_sheet(desk: Desk, tally: Tally, data: bytes, dry_run: bool) -> None:
    """Bring in ``data`` as a CSV sheet; assert it came in whole or not at all."""
    before, events = desk.fingerprint(), desk.events()
    path = desk.folder / "sheet.csv"
    path.write_bytes(data)
    run = desk("--json", "import-sheet", *(["--dry-run"] if dry_run else []), str(path))
    tally.add("cases")
    tally.add(f"exit_{run.code}")
    tally.add("tracebacks", run.crashed)
    assert not run.crashed, str(run)
    assert run.code in (0, 2), str(run)
    if run.code == 2 or dry_run:
        written = desk.fingerprint() != before
        tally.add("partial_writes", written)
        assert not written, f"refused or a dry run, yet the store changed: {run}"
    else:
        said = run.json()
        added = len(desk.events() - events)
        whole = added == said["events"] and len(said["new"]) + len(said["already"]) == said["rows"]
        tally.add("partial_writes", not whole)
        assert whole, f"{added} events recorded: {run}"
    broken = desk.still_works(rebuild=True)
    tally.add("bricked_stores", bool(broken))
    assert broken == [], f"after {run}:\n" + "\n".join(broken)


@settings(FAST)
@given(data=sheets(), dry_run=st.booleans())
def test_a_sheet_comes_in_whole_or_not_at_all(
    desks: Iterator[Desk], tally: Tally, data: bytes, dry_run: bool
) -> None:
    check_sheet(next(desks), tally, data, dry_run)


@pytest.mark.slow
@settings(CI)
@given(data=sheets(), dry_run=st.booleans())
def test_a_sheet_comes_in_whole_or_not_at_all_thousands(
    desks: Iterator[Desk], tally: Tally, data: bytes, dry_run: bool
) -> None:
    check_sheet(next(desks), tally, data, dry_run)
