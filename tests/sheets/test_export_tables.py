"""export-csv and export-xlsx: the desk's language, the human key first, no UUIDs unless
asked, Excel's CSV (BOM, CRLF, or cp932), standard output, and a workbook of real cells."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheets_support import HIGASHICHICHIBU, KAWAGUCHI, ago, banso

from projections.exports import TABLES
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.fiscal import fiscal_year
from tracker.domain.owners import Owner


def table(store: Path, name: str, *args: str, lang: str = "ja") -> list[list[str]]:
    run = banso(store, "export-csv", name, "-o", "-", *args, lang=lang)
    assert run.code == 0, run.err
    return list(csv.reader(io.StringIO(run.out.decode("utf-8-sig"), newline="")))


def test_cases_in_japanese_lead_with_the_case_number_and_say_status_topic_and_channel_in_words(
    desk_store: Path,
) -> None:
    rows = table(desk_store, "cases")
    heading, *cases = rows
    assert heading[:8] == [
        "案件番号",
        "団体コード",
        "市町村",
        "分野",
        "状態",
        "受付日",
        "受付経路",
        "相談内容",
    ]
    assert "ID" not in heading and not any(
        len(cell) == 36 and cell.count("-") == 4 for r in cases for cell in r
    )
    by_municipality = {r[2]: dict(zip(heading, r, strict=True)) for r in cases}
    closed = by_municipality["東秩父村"]
    assert (closed["状態"], closed["受付経路"], closed["終了理由"], closed["分野"]) == (
        "終了",
        "メール",
        "他機関へ紹介",
        "Z その他",
    )
    assert by_municipality["川口市"]["専門人材"] == "E001 山田太郎"
    assert by_municipality["川口市"]["受付日"] == ago(90).isoformat()
    assert by_municipality["横瀬町"]["受付経路"] == "電話"


def test_the_uuid_column_comes_last_and_only_with_ids(desk_store: Path) -> None:
    heading, *rows = table(desk_store, "cases", "--with-ids")
    assert heading[0] == "案件番号" and heading[-1] == "ID"
    assert all(len(r[-1]) == 36 for r in rows)


def test_english_keeps_the_column_names_scripts_read_and_english_values(desk_store: Path) -> None:
    heading, *rows = table(desk_store, "visits", lang="en")
    assert heading == [
        "date",
        "case",
        "municipality",
        "municipality_name",
        "online",
        "experts",
        "report",
        "next_steps",
        "recorded_by",
    ]
    assert rows[0][4] == "no"


def test_a_visit_says_yes_or_no_in_japanese_and_keeps_the_lines_of_its_report(
    desk_store: Path,
) -> None:
    heading, visit = table(desk_store, "visits")
    row = dict(zip(heading, visit, strict=True))
    assert row["オンライン"] == "いいえ"
    assert row["支援報告"] == "移行計画を確認\n見積の比較方法を説明"


def test_a_visits_next_steps_are_those_made_at_it_not_one_made_on_its_own_after_it(
    tmp_path: Path,
) -> None:
    store = tmp_path / "banso.sqlite"
    desk = bootstrap(Settings(store=str(store), user="事務局A"))
    app = desk.app
    app.register_prefecture("11", on=ago(400))
    app.register_expert("山田太郎", specialties=["B"], on=ago(400))
    case, _ = app.open_case(KAWAGUCHI, topic="B", summary="申請の相談", on=ago(40))
    app.apply_for_dispatch(case, on=ago(39))
    app.decide_dispatch(case, ["E001"], on=ago(38))
    app.report_visit(case, report="一回目", next_steps=["見積を依頼", "庁内で共有"], on=ago(30))
    app.report_visit(case, report="二回目", on=ago(20))
    app.commit(case, "事務局が教材を送付", owner=Owner("secretariat", "佐藤"), on=ago(20))
    desk.close()
    heading, *visits = table(store, "visits")
    steps = {row[heading.index("支援報告")]: row[heading.index("次のステップ")] for row in visits}
    assert steps == {"一回目": "見積を依頼 / 庁内で共有", "二回目": ""}


def test_follow_ups_say_what_became_of_each_plan(desk_store: Path) -> None:
    heading, *rows = table(desk_store, "follow-ups")
    states = [
        (r[heading.index("期日")], r[heading.index("状況")], r[heading.index("実施日")])
        for r in rows
    ]
    assert states == [
        (ago(50).isoformat(), "実施済み", ago(45).isoformat()),
        (ago(10).isoformat(), "期限超過", ""),
    ]


def test_feedback_and_outreach_are_tables_of_their_own(desk_store: Path) -> None:
    heading, feedback = table(desk_store, "feedback")
    assert dict(zip(heading, feedback, strict=True))["評価"] == "4"
    heading, outreach = table(desk_store, "outreach")
    assert dict(zip(heading, outreach, strict=True))["種別"] == "デジタルカフェ"
    assert outreach[heading.index("団体コード")] == HIGASHICHICHIBU


def test_the_years_figures_add_up_by_month_topic_channel_size_and_expert(desk_store: Path) -> None:
    year = fiscal_year(ago(90))
    if fiscal_year(ago(20)) != year:
        pytest.skip("the history spans two fiscal years today")
    args = ("--fiscal-year", str(year))
    months = table(desk_store, "figures-month", *args)
    assert months[0][:2] == ["月", "相談受付"] and months[-1][0] == "合計"
    assert months[-1][1] == "3" and sum(int(r[1]) for r in months[1:-1]) == 3
    topics = {r[0]: r[1] for r in table(desk_store, "figures-topic", *args)[1:]}
    assert topics == {
        "B 標準化・ガバメントクラウド": "1",
        "C フロントヤード": "1",
        "Z その他": "1",
        "合計": "3",
    }
    channels = {r[0]: r[1] for r in table(desk_store, "figures-channel", *args)[1:]}
    assert (channels["チャット"], channels["電話"], channels["メール"], channels["訪問"]) == (
        "1",
        "1",
        "1",
        "0",
    )
    heading, *sizes = table(desk_store, "figures-size", *args)
    bands = {r[0]: dict(zip(heading, r, strict=True)) for r in sizes}
    assert bands["1万人未満"]["関与した団体数"] == "2"  # 横瀬町 and 東秩父村
    assert bands["30万人以上"]["相談受付"] == "1"  # 川口市
    assert bands["合計"]["団体数"] == "63"
    heading, *experts = table(desk_store, "figures-expert", *args)
    assert experts[0][:4] == ["E001", "山田太郎", "1", "1"] and experts[1][2:] == [
        "0",
        "0",
        "0",
        "0",
    ]
    totals = dict(table(desk_store, "figures", *args)[1:])
    assert totals["相談受付"] == "3" and totals["年度"] == str(year)


def test_csv_is_crlf_with_a_bom_and_cp932_on_request(desk_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "案件.csv"
    assert banso(desk_store, "export-csv", "cases", "-o", str(out)).code == 0
    data = out.read_bytes()
    assert (
        data.startswith("\ufeff案件番号".encode())
        and b"\r\n" in data
        and b"\n" not in data.replace(b"\r\n", b"")
    )
    sjis = tmp_path / "sjis.csv"
    assert (
        banso(desk_store, "export-csv", "figures-size", "-o", str(sjis), "--encoding", "cp932").code
        == 0
    )
    text = sjis.read_bytes().decode("cp932")
    assert text.startswith("人口規模,") and "1万～5万人未満" in text  # the wave dash cp932 has


def test_dash_o_writes_to_standard_output_and_no_file_named_dash(
    desk_store: Path, tmp_path: Path
) -> None:
    run = banso(desk_store, "export-csv", "contacts", "-o", "-")
    assert run.code == 0 and run.text.startswith("団体コード,市町村,氏名")
    assert "-" in run.err and not (Path.cwd() / "-").exists()


def test_a_fiscal_year_that_is_no_year_is_refused_in_one_line(desk_store: Path) -> None:
    run = banso(desk_store, "export-csv", "figures", "-o", "-", "--fiscal-year", "twenty")
    assert run.code == 2 and run.out == b"" and len(run.err.strip().splitlines()) == 1
    assert "年度" in run.err


def test_the_workbook_has_a_sheet_per_table_frozen_headings_widths_and_date_cells(
    desk_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "banso.xlsx"
    run = banso(desk_store, "export-xlsx", "-o", str(out))
    assert run.code == 0, run.err
    book = load_workbook(out)
    assert len(book.sheetnames) == len(TABLES)
    assert book.sheetnames[:4] == ["案件", "支援報告", "約束", "フォローアップ"]
    cases = book["案件"]
    assert cases.freeze_panes == "A2"
    assert [c.value for c in cases[1]][:3] == ["案件番号", "団体コード", "市町村"]
    opened = next(c for c in cases[1] if c.value == "受付日").column
    cell = cases.cell(row=2, column=opened)
    assert isinstance(cell.value, date) and cell.is_date and cell.number_format == "yyyy-mm-dd"
    summary = next(c for c in cases[1] if c.value == "相談内容").column_letter
    assert cases.column_dimensions[summary].width > cases.column_dimensions["B"].width
    population = next(c for c in book["市町村"][1] if c.value == "人口").column
    assert isinstance(book["市町村"].cell(row=2, column=population).value, int)
    report = book["支援報告"].cell(row=2, column=7)
    assert report.value == "移行計画を確認\n見積の比較方法を説明" and report.alignment.wrap_text
