"""The template a desk fills in: the columns under their headings (the required ones marked),
and in a workbook a second sheet saying what each column takes."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from events.case import CHANNELS
from projections.exports.workbook import display_width
from tracker.desk.sheets.fields import FIELDS
from tracker.language import say

REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EEF2F6")
#: Rows of the template offered the lists (channel, online) as drop-downs.
ROWS = 1000


def write_template_csv(stream: BinaryIO, lang: str) -> None:
    """The headings alone, as Excel opens a CSV (UTF-8 with BOM, CRLF)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    try:
        csv.writer(text, lineterminator="\r\n").writerow(f.heading(lang) for f in FIELDS)
        text.flush()
    finally:
        text.detach()


def write_template_xlsx(stream: BinaryIO, lang: str) -> None:
    """A workbook: the sheet to fill in (headings, drop-downs), then how to fill it in."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = say("sheet.template.rows", lang)
    for i, f in enumerate(FIELDS, start=1):
        cell = sheet.cell(row=1, column=i, value=f.heading(lang))
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if f.required else OPTIONAL_FILL
        sheet.column_dimensions[get_column_letter(i)].width = max(
            12, display_width(f.heading(lang)) + 4
        )
    sheet.freeze_panes = "A2"
    column = {f.name: get_column_letter(i) for i, f in enumerate(FIELDS, start=1)}
    choices = {
        "channel": [say(f"channel.{c}", lang) for c in CHANNELS],
        "online": [say("sheet.value.yes", lang), say("sheet.value.no", lang)],
    }
    for name, values in choices.items():
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        rule.add(f"{column[name]}2:{column[name]}{ROWS + 1}")
        sheet.add_data_validation(rule)
    guide = book.create_sheet(say("sheet.template.guide", lang))
    guide.append(
        [
            say("sheet.template.column", lang),
            say("sheet.template.need", lang),
            say("sheet.template.what", lang),
        ]
    )
    for f in FIELDS:
        need = say("sheet.mapping.required" if f.required else "sheet.mapping.optional", lang)
        guide.append([f.heading(lang), need, f.help(lang)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 18), ("B", 8), ("C", 90)):
        guide.column_dimensions[letter].width = width
    book.save(stream)
