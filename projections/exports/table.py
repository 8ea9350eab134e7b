"""What a table for Excel is: columns that know their headings and cells, rows, options."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import today
from tracker.language import say

CellKind = Literal["text", "date", "int", "number"]


@dataclass(frozen=True)
class Column:
    """One column: its key, what its cells hold, whether it is an internal id or a
    person's contact details (``personal``: e-mail, phone), and the words of its heading
    where a key means different things in two tables (``name``)."""

    key: str
    kind: CellKind = "text"
    is_id: bool = False
    words: str | None = None
    personal: bool = False

    def heading(self, lang: str) -> str:
        """The column's heading: Japanese words, or in English the key itself."""
        return say(f"sheet.col.{self.words or self.key}", lang)


@dataclass(frozen=True)
class Table:
    """A table's name (the CLI's), its columns and its rows (values in column order)."""

    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]

    def title(self, lang: str) -> str:
        """The table's name for people (a workbook's sheet name, at most 31 characters)."""
        return say(f"sheet.name.{self.name}", lang)

    def without_ids(self) -> Table:
        """The table less its internal-id columns (UUIDs mean nothing to a desk)."""
        return self._keeping(lambda c: not c.is_id)

    def without_personal(self) -> Table:
        """The table less people's contact details (APPI: a file copied around should
        not carry them unless asked, ``--include-personal``)."""
        return self._keeping(lambda c: not c.personal)

    def _keeping(self, wanted: Callable[[Column], bool]) -> Table:
        keep = [i for i, c in enumerate(self.columns) if wanted(c)]
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            rows=[tuple(r[i] for i in keep) for r in self.rows],
        )


@dataclass(frozen=True)
class Options:
    """What a reader asks of the tables: the language, the ids, people's contact details,
    the fiscal year of figures."""

    lang: str = "ja"
    with_ids: bool = False
    include_personal: bool = False
    fiscal_year: int | None = None

    @property
    def year(self) -> int:
        """The fiscal year the figures are of (default: this one)."""
        return self.fiscal_year if self.fiscal_year is not None else fiscal_year(today())


Builder = Callable[[sqlite3.Connection, Options], Table]


def yes_no(value: bool, lang: str) -> str:
    """A yes/no cell: はい / いいえ (Excel's TRUE/FALSE reads as English to a desk)."""
    return say("sheet.value.yes" if value else "sheet.value.no", lang)


def day(value: str | None) -> date | None:
    """A stored ISO date as a date (the CSV writes it back as ISO, the workbook as a date)."""
    return date.fromisoformat(value) if value else None
