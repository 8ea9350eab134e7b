"""Excel both ways: a table as CSV, every table as a workbook, a desk's own sheet brought in."""

from __future__ import annotations

from pathlib import Path

import click

from projections.exports import TABLES, Options, build
from projections.exports.csv_file import ENCODINGS, write_csv
from projections.exports.workbook import write_workbook
from tracker.cli.common import (
    FISCAL_YEAR,
    common,
    desk,
    done,
    lang,
    to_stdout,
    write_output,
)
from tracker.language import say

OUTPUT = click.Path(dir_okay=False, path_type=Path, allow_dash=True)


def _options(with_ids: bool, year: int | None) -> Options:
    return Options(lang=lang(), with_ids=with_ids, fiscal_year=year)


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
@fiscal_year_option
@common
def export_csv(table: str, output: Path, encoding: str, with_ids: bool, year: int | None) -> None:
    """Excel 用の CSV / a table for Excel."""
    found = build(desk().views.conn, table, _options(with_ids, year))
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
@fiscal_year_option
@common
def export_xlsx(output: Path, with_ids: bool, year: int | None) -> None:
    """Excel のブック（表ごとにシート）/ every table as one workbook."""
    conn, options = desk().views.conn, _options(with_ids, year)
    tables = [build(conn, name, options) for name in TABLES]
    write_output(output, lambda f: write_workbook(tables, f, lang()))
    _report(
        output,
        say("cli.xlsx.written", lang(), sheets=len(tables), file=output),
        {"sheets": {t.name: len(t.rows) for t in tables}, "file": str(output)},
    )
