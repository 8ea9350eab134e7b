"""Reading a desk's sheet: an .xlsx workbook (its first sheet, or one named) or a CSV
(UTF-8, with or without BOM, or Shift_JIS), into rows of fields by row number.

The heading row is the first of the top rows that holds at least two known headings, so a
title above the table ("令和7年度 相談管理表") is passed over. Blank rows are skipped. Row
numbers are the ones the spreadsheet shows, so a message can say "row 7".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.desk.sheets.fields import FIELDS, Mapping
from tracker.domain.errors import InvalidInputError

#: How far down a heading row is looked for.
HEADING_ROWS = 20
Cell = str | int | float | bool | date | None


@dataclass(frozen=True)
class Row:
    """One row of the sheet: its number as the spreadsheet shows it, its fields' values."""

    number: int
    values: dict[str, Cell]

    def __getitem__(self, name: str) -> Cell:
        return self.values.get(name)


def _cell(value: Any) -> Cell:
    if isinstance(value, datetime):  # Excel keeps a date as a date-time at midnight
        return value.date()
    if isinstance(value, str):
        return value.strip() or None
    return value


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[Any]]:
    from openpyxl import load_workbook  # only here: it takes a while to import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInputError(field="file", reason="sheet_file", value=path.name) from e
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInputError(field="sheet", reason="unknown", value=sheet)
        found = book[sheet] if sheet is not None else book.worksheets[0]
        return [list(r) for r in found.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInputError(field="file", reason="sheet_encoding", value=path.name)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _heading_row(
    table: list[list[Any]], mapping: Mapping, path: Path
) -> tuple[int, dict[int, str]]:
    """The heading row's index and the field of each known column, by column index."""
    for at, cells in enumerate(table[:HEADING_ROWS]):
        columns = {i: mapping.field_of(c) for i, c in enumerate(cells) if isinstance(c, str)}
        known = {i: name for i, name in columns.items() if name}
        if len(known) >= 2:
            return at, known
    raise InvalidInputError(field="file", reason="no_headings", value=path.name)


def read_rows(
    path: Path, mapping: Mapping, sheet: str | None = None, lang: str = "ja"
) -> list[Row]:
    """The rows of the sheet below its heading row, as fields; a missing required column
    or a file that is no sheet is refused."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt"):
        table = _csv_rows(path)
    else:
        raise InvalidInputError(field="file", reason="sheet_file", value=path.name)
    at, known = _heading_row(table, mapping, path)
    missing = [f for f in FIELDS if f.required and f.name not in known.values()]
    if missing:
        names = "、".join(mapping.shown(f.name, lang) for f in missing)
        raise InvalidInputError(field="file", reason="missing_columns", value=names)
    rows = []
    for number, cells in enumerate(table[at + 1 :], start=at + 2):
        values = {name: _cell(cells[i]) for i, name in known.items() if i < len(cells)}
        if any(v is not None for v in values.values()):
            rows.append(Row(number, values))
    return rows
