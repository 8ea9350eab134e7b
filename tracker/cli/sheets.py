"""Excel both ways: a table as CSV, every table as a workbook, a desk's own sheet brought in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from projections.exports import TABLES, Options, build
from projections.exports.csv_file import ENCODINGS, write_csv
from tracker.cli.common import (
    FISCAL_YEAR,
    common,
    desk,
    done,
    emit,
    include_personal_option,
    lang,
    to_stdout,
    write_output,
)
from tracker.desk.sheets.fields import Mapping, mapping_text
from tracker.domain.errors import InvalidInputError
from tracker.language import say

if TYPE_CHECKING:
    from tracker.desk.sheets.importer import Outcome

OUTPUT = click.Path(dir_okay=False, path_type=Path, allow_dash=True)


def _options(with_ids: bool, year: int | None, include_personal: bool) -> Options:
    return Options(
        lang=lang(), with_ids=with_ids, fiscal_year=year, include_personal=include_personal
    )


def _report(output: Path, message: str, data: dict[str, object]) -> None:
    """Say what was written: on stderr when the file itself went to standard output."""
    if to_stdout(output):
        click.echo(message, err=True)
    else:
        done(message, data)


def with_ids_option(f):
    return click.option(
        "--with-ids", is_flag=True, help="内部 ID（UUID）の列も出力 / add the internal ids"
    )(f)


def fiscal_year_option(f):
    return click.option(
        "--fiscal-year",
        "year",
        type=FISCAL_YEAR,
        help="集計の年度 / the figures' fiscal year (2025 = 令和7年度)",
    )(f)


@click.command("export-csv")
@click.argument("table", type=click.Choice(list(TABLES)))
@click.option(
    "-o",
    "--output",
    type=OUTPUT,
    required=True,
    help="ファイル（- で標準出力）/ file, - for stdout",
)
@click.option("--encoding", type=click.Choice(ENCODINGS), default="utf-8-sig", show_default=True)
@with_ids_option
@include_personal_option
@fiscal_year_option
@common
def export_csv(
    table: str,
    output: Path,
    encoding: str,
    with_ids: bool,
    include_personal: bool,
    year: int | None,
) -> None:
    """Excel 用の CSV / a table for Excel (contacts' e-mail and phone: --include-personal)."""
    found = build(desk().views.conn, table, _options(with_ids, year, include_personal))
    replaced = write_output(output, lambda f: write_csv(found, f, encoding, lang()))
    if replaced:
        click.echo(say("cli.csv.replaced", lang(), replaced=replaced), err=True)
    _report(
        output,
        say("cli.csv.written", lang(), count=len(found.rows), file=output),
        {"rows": len(found.rows), "file": str(output)},
    )


@click.command("export-xlsx")
@click.option("-o", "--output", type=OUTPUT, required=True, help="ファイル（.xlsx）/ file")
@with_ids_option
@include_personal_option
@fiscal_year_option
@common
def export_xlsx(output: Path, with_ids: bool, include_personal: bool, year: int | None) -> None:
    """Excel のブック（表ごとにシート）/ every table as one workbook."""
    from projections.exports.workbook import write_workbook  # openpyxl: only when asked

    conn, options = desk().views.conn, _options(with_ids, year, include_personal)
    tables = [build(conn, name, options) for name in TABLES]
    write_output(output, lambda f: write_workbook(tables, f, lang()))
    _report(
        output,
        say("cli.xlsx.written", lang(), sheets=len(tables), file=output),
        {"sheets": {t.name: len(t.rows) for t in tables}, "file": str(output)},
    )


def _template(output: Path | None) -> None:
    if output is None:
        raise InvalidInputError(field="file", reason="empty", value="-o")
    from tracker.desk.sheets.template import write_template_csv, write_template_xlsx

    as_xlsx = output.suffix.lower() in (".xlsx", ".xlsm")
    write = write_template_xlsx if as_xlsx else write_template_csv
    write_output(output, lambda f: write(f, lang()))
    _report(output, say("cli.import_sheet.template", lang(), file=output), {"file": str(output)})


def _problems(outcome: Outcome) -> None:
    for p in outcome.problems:
        key = "cli.import_sheet.problem" if p.column else "cli.import_sheet.row_problem"
        click.echo(say(key, lang(), row=p.row, column=p.column, reason=p.reason), err=True)


@click.command("import-sheet")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="確認のみ（何も記録しない）/ check only, record nothing"
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="列の対応表（TOML）/ which heading holds which column",
)
@click.option("--sheet", help="読むシート名（既定: 最初のシート）/ the sheet to read")
@click.option(
    "--template", is_flag=True, help="記入用の見本を -o に書き出す / write a template to -o"
)
@click.option("--print-mapping", is_flag=True, help="列の対応表を表示 / print the column mapping")
@click.option("-o", "--output", type=OUTPUT, help="見本の書き出し先 / where --template writes")
@common
def import_sheet(
    file: Path | None,
    dry_run: bool,
    mapping_file: Path | None,
    sheet: str | None,
    template: bool,
    print_mapping: bool,
    output: Path | None,
) -> None:
    """表計算の記録を取り込む / bring in a desk's spreadsheet (all rows or none).

    One row is one consultation, with its dispatch application, decision and visit.
    --template writes the sheet to fill in, --print-mapping the column mapping to edit.
    """
    if print_mapping:
        click.echo(mapping_text(lang()))
        return
    if template:
        _template(output)
        return
    if file is None:
        raise InvalidInputError(field="file", reason="empty", value="FILE")
    try:
        readable = file.is_file()
    except OSError:  # a name the system cannot take (too long, say): no such file either
        readable = False
    if not readable:
        raise InvalidInputError(field="file", reason="unknown", value=str(file))
    from tracker.desk.sheets.importer import import_rows  # openpyxl: only when asked
    from tracker.desk.sheets.reading import read_rows

    mapping = Mapping.read(mapping_file) if mapping_file else Mapping.default()
    rows = read_rows(file, mapping, sheet, lang())
    outcome = import_rows(desk(), rows, mapping, dry_run=dry_run, lang=lang())
    data = {
        "rows": outcome.rows,
        "new": [{"row": r, "case": c} for r, c in outcome.recorded],
        "already": [{"row": r, "case": c} for r, c in outcome.already],
        "problems": [vars(p) for p in outcome.problems],
        "recorded": outcome.saved,
        "events": outcome.events if outcome.saved else 0,
        "dry_run": dry_run,
    }
    counts = {
        "rows": outcome.rows,
        "new": len(outcome.recorded),
        "already": len(outcome.already),
        "events": outcome.events,
    }
    if outcome.problems:
        emit(data, lambda _: _problems(outcome))
        click.echo(
            say("cli.import_sheet.refused", lang(), n=len(outcome.problems), **counts), err=True
        )
        sys.exit(2)
    key = "cli.import_sheet.checked" if dry_run else "cli.import_sheet.imported"
    done(say(key, lang(), **counts), data)
