"""``search`` finds Japanese substrings of any length in summaries, reports and notes."""

from __future__ import annotations

import pytest
from projections_support import YOKOZE, d

from projections.queries.search import search
from tracker.desk.bootstrap import Desk


@pytest.fixture
def texts(registered: Desk) -> Desk:
    app = registered.app
    number, _ = app.open_case(
        YOKOZE, topic="B", summary="特定移行支援システムの申請について", on=d("2025-05-01")
    )
    app.report_visit(
        number, report="移行計画を確認した", next_steps=["見積を依頼"], on=d("2025-05-10")
    )
    app.add_note(number, "課長に電話で共有（100%完了）", on=d("2025-05-20"))
    app.record_outreach(YOKOZE, "cafe", note="デジタルカフェで生成AIを紹介", on=d("2025-06-01"))
    registered.refresh()
    return registered


def _row(date: str, kind: str, label: str, text: str, case: str | None = "2025-001") -> dict:
    return {
        "date": date,
        "kind": kind,
        "kind_label": label,
        "case": case,
        "municipality": YOKOZE,
        "municipality_name": "横瀬町",
        "text": text,
    }


SUMMARY = _row("2025-05-01", "CaseOpened", "相談受付", "特定移行支援システムの申請について")
REPORT = _row("2025-05-10", "VisitReported", "支援報告", "移行計画を確認した")
STEP = _row("2025-05-10", "CommitmentMade", "約束", "見積を依頼")  # the visit's next step
NOTE = _row("2025-05-20", "NoteAdded", "メモ", "課長に電話で共有（100%完了）")
OUTREACH = _row(
    "2025-06-01", "OutreachRecorded", "アウトリーチ", "デジタルカフェで生成AIを紹介", None
)


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("課", [NOTE]),  # one character
        ("確", [REPORT]),
        ("移行", [REPORT, SUMMARY]),  # two characters, newest first
        ("見積", [STEP]),  # a next step of a visit: a commitment of its own
        ("システム", [SUMMARY]),  # three and more
        ("電話で共有", [NOTE]),
        ("生成AI", [OUTREACH]),
        ("生成ai", [OUTREACH]),  # ASCII letters match either case
        ("について", [SUMMARY]),
        ("100%", [NOTE]),  # a wildcard of SQL is an ordinary character here
        ("0%完", [NOTE]),
        ("%", [NOTE]),
        ("移行支援計画", []),
        ("査", []),
        ("  ", []),
    ],
)
def test_search_finds_substrings_of_one_two_and_more_characters(texts, needle, found):
    assert search(texts.views.conn, needle, d("2025-06-30")) == found


def test_search_as_of_a_day_leaves_out_what_was_written_later(texts):
    conn = texts.views.conn
    assert search(conn, "移行", d("2025-05-09")) == [SUMMARY]
    assert search(conn, "課長", d("2025-05-19")) == []
    assert search(conn, "課長", d("2025-05-20")) == [NOTE]


def test_search_stops_at_its_limit_keeping_the_newest(texts):
    conn = texts.views.conn
    assert search(conn, "を", d("2025-06-30"), limit=2) == [OUTREACH, STEP]
    assert search(conn, "を確認", d("2025-06-30"), limit=1) == [REPORT]


# ---- width, kana and case are folded, in the index and in the query ------------------------

PHONES = "スマホ教室をＡＩ　チャットで案内"


@pytest.fixture
def phones(texts: Desk) -> Desk:
    texts.app.add_note("2025-001", PHONES, on=d("2025-06-10"))
    texts.refresh()
    return texts


PHONE_NOTE = _row("2025-06-10", "NoteAdded", "メモ", PHONES)


@pytest.mark.parametrize(
    ("needle", "also"),
    [
        ("ＡＩ", "AI"),  # full-width letters, two characters (the scan)
        ("ai", "AI"),
        ("ｽﾏﾎ", "スマホ"),  # half-width katakana (the trigram index)
        ("すまほ", "スマホ"),  # hiragana for katakana
        ("ｽﾏﾎ教室", "スマホ教室"),
        ("ＡＩチャット", "AI チャット"),  # blanks, full-width or not, do not count
        ("ａｉ　ちゃっと", "ai チャット"),
    ],
)
def test_search_folds_width_kana_and_case_in_the_query_and_the_index(phones, needle, also):
    found = search(phones.views.conn, needle, d("2025-06-30"))
    assert PHONE_NOTE in found
    assert found == search(phones.views.conn, also, d("2025-06-30"))


def test_a_folded_search_still_finds_only_what_holds_the_substring(phones):
    conn = phones.views.conn
    assert search(conn, "ｽﾏﾎ", d("2025-06-30")) == [PHONE_NOTE]  # shown as written
    assert search(conn, "すまふぉ", d("2025-06-30")) == []
    assert search(conn, "ＡＩを", d("2025-06-30")) == [OUTREACH]  # 生成AIを紹介
    assert search(conn, "ａｉで", d("2025-06-30")) == []
