"""import-sheet: a desk's own spreadsheet comes in through the same commands and rules, all
rows or none; a dry run lists every bad row, column and reason; a second import adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sheets_support import ago, banso

from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.fiscal import fiscal_year

HEADINGS = [
    "整理番号", "受付日", "市町村", "分野", "相談内容", "受付経路", "市町村の担当者",
    "派遣申請日", "派遣決定日", "専門人材", "支援日", "支援報告", "オンライン", "次のステップ", "備考",
]  # fmt: skip


def desk_sheet(path: Path, *, fixed: bool) -> Path:
    """The desk's consultation ledger as a person keeps it: a title above the table, date
    cells and dates typed as text, codes and names, a column banso does not read; unless
    ``fixed``, five rows with a mistake each."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談管理表"
    sheet.append(["DXよろず相談 管理表（事務局）"])
    sheet.append([])
    sheet.append(HEADINGS)
    rows = [
        ["R-001", ago(60), "川口市", "B", "特定移行支援システムの申請について", "チャット", "佐藤花子",
         ago(58), ago(55), "E001", ago(40), "移行計画を確認\n見積の比較方法を説明", "いいえ",
         "見積を依頼\n比較表を作る", "重要"],
        ["R-002", ago(50).strftime("%Y/%m/%d"), 112089, "C" if fixed else "公式LINE",
         "公式LINEを導入したい", "電話", None, None, None, None, None, None, None, None, None],
        ["R-003", ago(45), "横瀬町", "D 内部事務", "生成AIの庁内利用ルール", "メール", None,
         ago(44), ago(41), "鈴木花子", ago(30), "利用ルール案を確認", "はい", None, None],
        ["R-004", ago(20) if fixed else ago(-10), "皆野町", "A", "DX推進計画の策定",
         "デジタルカフェ", None, None, None, None, None, None, None, None, None],
        ["R-005", ago(15), "川口市" if fixed else "川口村", "C", "窓口のオンライン申請", None, None,
         None, None, None, None, None, None, None, None],
        [None, ago(12), "東秩父村", "Z", "パソコンの更新時期の相談", "チャット", None,
         ago(11), ago(9) if fixed else ago(13), "E002" if fixed else "E009", None,
         None, None, None, None],
        ["R-007", ago(8), "吉見町", "I", "スマホ教室の進め方", "チャット", None, None, None,
         None, ago(5) if fixed else None, "教室の進め方を助言",
         "オンライン", None, None],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def events(store: Path) -> int:
    desk = bootstrap(Settings(store=str(store), user="t"))
    try:
        return len(
            desk.app.recorder.select_notifications(start=0, limit=100_000, inclusive_of_start=False)
        )
    finally:
        desk.close()


def test_a_dry_run_lists_each_bad_row_its_column_and_why_and_records_nothing(
    fresh_store: Path, tmp_path: Path
) -> None:
    sheet = desk_sheet(tmp_path / "相談管理表.xlsx", fixed=False)
    before = events(fresh_store)
    run = banso(fresh_store, "import-sheet", str(sheet), "--dry-run")
    assert run.code == 2
    topic, *others = run.err.splitlines()
    assert topic.startswith("5行目 分野: 選べない値です: 公式LINE（選べる値: A 推進体制・計画、")
    assert others == [
        f"7行目 受付日: {ago(-10).isoformat()} は未来の日付です",
        "8行目 市町村: 市町村 川口村 は登録されていません",
        "9行目 専門人材: 専門人材 E009 は登録されていません",
        "10行目 支援報告: 支援日 がないと記録できません",
        "10行目 オンライン: 支援日 がないと記録できません",
        "6 件の誤りがあるため、何も記録していません（7 行を確認）",
    ]
    assert events(fresh_store) == before


def test_a_rule_a_command_keeps_is_named_by_its_column_too(
    fresh_store: Path, tmp_path: Path
) -> None:
    sheet = desk_sheet(tmp_path / "s.xlsx", fixed=True)
    book = load_workbook(sheet)
    book.active.cell(row=9, column=9).value = ago(13)  # decided before it was applied for
    book.save(sheet)
    run = banso(fresh_store, "import-sheet", str(sheet), "--dry-run")
    assert run.code == 2
    assert run.err.splitlines()[0].startswith(f"9行目 派遣決定日: {ago(13).isoformat()} は")


def test_a_sheet_with_one_bad_row_records_none_of_the_good_ones(
    fresh_store: Path, tmp_path: Path
) -> None:
    before = events(fresh_store)
    run = banso(fresh_store, "import-sheet", str(desk_sheet(tmp_path / "s.xlsx", fixed=False)))
    assert run.code == 2 and "何も記録していません" in run.err
    assert events(fresh_store) == before


def test_the_fixed_sheet_comes_in_through_the_commands_and_a_second_import_adds_nothing(
    fresh_store: Path, tmp_path: Path
) -> None:
    sheet = desk_sheet(tmp_path / "相談管理表.xlsx", fixed=True)
    dry = banso(fresh_store, "import-sheet", str(sheet), "--dry-run")
    assert dry.code == 0 and "新規 7 件" in dry.text and "何も記録していません" in dry.text
    run = banso(fresh_store, "import-sheet", str(sheet), "--json")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["recorded"] and len(result["new"]) == 7 and result["already"] == []
    recorded = events(fresh_store)
    cases = json.loads(banso(fresh_store, "case", "list", "--status", "all", "--json").out)
    assert sorted(c["summary"] for c in cases)[0] == "DX推進計画の策定"
    first = next(c for c in result["new"] if c["row"] == 4)["case"]
    assert first.startswith(f"{fiscal_year(ago(60))}-")
    shown = json.loads(banso(fresh_store, "case", "show", first, "--json").out)
    assert shown["contact"] == "佐藤花子" and [e["id"] for e in shown["experts"]] == ["E001"]
    kinds = [h["kind"] for h in shown["history"]]
    assert kinds == [  # the visit's two next steps are the municipality's commitments
        "case-opened",
        "dispatch-applied",
        "dispatch-decided",
        "visit-reported",
        "commitment-made",
        "commitment-made",
    ]
    assert {h["recorded_by"] for h in shown["history"]} == {"事務局A"}

    again = banso(fresh_store, "import-sheet", str(sheet), "--json")
    assert again.code == 0
    second = json.loads(again.out)
    assert second["new"] == [] and len(second["already"]) == 7
    assert {r["case"] for r in second["already"]} == {r["case"] for r in result["new"]}
    assert events(fresh_store) == recorded


def test_a_visit_keeps_the_lines_of_its_report_and_its_next_steps(
    fresh_store: Path, tmp_path: Path
) -> None:
    sheet = desk_sheet(tmp_path / "s.xlsx", fixed=True)
    assert banso(fresh_store, "import-sheet", str(sheet)).code == 0
    run = banso(fresh_store, "export-csv", "visits", "-o", "-")
    assert '"移行計画を確認\n見積の比較方法を説明"' in run.text
    assert "見積を依頼 / 比較表を作る" in run.text
    assert "はい" in run.text  # R-003 was online


def test_a_shift_jis_csv_with_the_desks_own_headings_comes_in_through_a_mapping(
    fresh_store: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "対応表.toml"
    printed = banso(fresh_store, "import-sheet", "--print-mapping")
    assert printed.code == 0 and "[columns]" in printed.text
    mapping.write_text(
        printed.text.replace('opened_on = "受付日"', 'opened_on = "相談日"').replace(
            'municipality = "市町村"', 'municipality = ["団体名", "自治体"]'
        ),
        encoding="utf-8",
    )
    sheet = tmp_path / "台帳.csv"
    sheet.write_bytes(
        (
            "相談日,団体名,分野,相談内容\r\n"
            f"{ago(5).strftime('%Y/%m/%d')},川口市,B,標準化の見積について\r\n"
            f"{ago(3).isoformat()},横瀬町,標準化・ガバメントクラウド,移行計画の相談\r\n"
        ).encode("cp932")
    )
    without = banso(fresh_store, "import-sheet", str(sheet), "--dry-run")
    assert without.code == 2 and len(without.err.splitlines()) == 1 and "受付日" in without.err
    run = banso(fresh_store, "import-sheet", str(sheet), "--mapping", str(mapping))
    assert run.code == 0, run.err
    assert "2 件の相談を取り込みました" in run.text


def test_the_template_names_every_column_and_a_filled_in_template_imports(
    fresh_store: Path, tmp_path: Path
) -> None:
    template = tmp_path / "取込テンプレート.xlsx"
    assert banso(fresh_store, "import-sheet", "--template", "-o", str(template)).code == 0
    book = load_workbook(template)
    sheet, guide = book.worksheets
    assert [c.value for c in sheet[1]][:5] == ["整理番号", "受付日", "市町村", "分野", "相談内容"]
    assert guide.max_row == len(HEADINGS)  # a heading row and one line per column
    sheet.append(["T-1", ago(2), "川口市", "A", "研修の進め方"])
    book.save(template)
    run = banso(fresh_store, "import-sheet", str(template))
    assert run.code == 0 and "1 件の相談を取り込みました" in run.text


def test_a_sheet_without_the_required_columns_is_refused_in_one_line(
    fresh_store: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "x.csv"
    sheet.write_text("受付日,市町村\r\n2025-04-01,川口市\r\n", encoding="utf-8-sig")
    run = banso(fresh_store, "import-sheet", str(sheet))
    assert run.code == 2 and run.err.splitlines() == [
        "エラー: ファイル の値が正しくありません: 必須の列がありません: 分野、相談内容"
    ]


def test_a_sheet_name_too_long_for_the_system_is_no_such_file_in_one_line(
    fresh_store: Path, tmp_path: Path
) -> None:
    before = events(fresh_store)
    run = banso(fresh_store, "import-sheet", str(tmp_path / ("あ" * 200 + ".csv")))
    assert run.code == 2 and len(run.err.splitlines()) == 1 and "Traceback" not in run.err
    assert events(fresh_store) == before
