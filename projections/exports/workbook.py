"""Tables as one Excel workbook (openpyxl): a sheet per table, its heading row frozen and
filterable, columns as wide as their contents, dates as real date cells, numbers as numbers,
line breaks inside a report kept (the cell wraps).

openpyxl because it both writes and reads .xlsx: ``banso import-sheet`` reads a desk's own
workbook with the same library. Its write-only mode streams each row to the file, so a
national export does not hold a million cells in memory.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from projections.exports.table import Column, Table

DATE_FORMAT = "yyyy-mm-dd"
#: Columns are sized from this many rows at most (enough to see what a column holds).
SAMPLED = 2_000
#: Widest a column gets, in Excel's character widths; longer text wraps.
MAX_WIDTH = 60
HEADING_FILL = PatternFill("solid", fgColor="EEF2F6")


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet font: a full-width character counts two."""
    widest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        widest = max(widest, width)
    return widest


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "0000-00-00"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def widths(table: Table, lang: str) -> list[int]:
    """Each column's width: its heading or its widest sampled cell, within MAX_WIDTH."""
    found = [display_width(c.heading(lang)) for c in table.columns]
    for row in table.rows[:SAMPLED]:
        for i, value in enumerate(row):
            found[i] = max(found[i], display_width(_shown(value)))
    return [min(w + 2, MAX_WIDTH) for w in found]


def _sheet(book: Workbook, table: Table, lang: str) -> None:
    sheet = book.create_sheet(title=table.title(lang)[:31])
    sized = widths(table, lang)
    for i, width in enumerate(sized, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    sheet.append([_heading(sheet, c, lang) for c in table.columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append(
            [_cell(sheet, c, v, w, wrap) for c, v, w in zip(table.columns, row, sized, strict=True)]
        )


def _heading(sheet: Any, column: Column, lang: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=column.heading(lang))
    cell.font = Font(bold=True)
    cell.fill = HEADING_FILL
    return cell


def _cell(sheet: Any, column: Column, value: Any, width: int, wrap: Alignment) -> Any:
    if value is None:
        return None
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and ("\n" in value or display_width(value) > width):
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = wrap
        return cell
    return value


def write_workbook(tables: Iterable[Table], stream: BinaryIO | str, lang: str) -> int:
    """Write the tables, a sheet each, to ``stream`` (a binary file or a path); returns how
    many sheets."""
    book = Workbook(write_only=True)
    count = 0
    for table in tables:
        _sheet(book, table, lang)
        count += 1
    book.save(stream)
    return count
