"""A long list with a filter above it (municipalities, cases).

The national store has 80,000 cases. Rows are built and filtered in worker threads, and
what the screen keeps between keystrokes is two lists of strings: the folded text the filter
looks in, and each row packed into one string. Strings are invisible to Python's cycle
collector, so keeping them costs the event loop nothing; a full collection over 80,000 row
objects held the GIL for a quarter of a second. At most ``LIMIT`` rows (the first in the
list's order) are unpacked for the table; the filter always looks through all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from tracker.domain.folding import fold
from tui.reader import Reader
from tui.screens.base import BansoScreen
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say

#: Rows shown at most; the count says how many matched.
LIMIT = 5_000
#: Separates the fields of a packed row (a control character: recorded text cannot hold one).
US = "\x1f"


def pack(key: str, cells: Sequence[str], data: Sequence[str] = (), style: str = "") -> str:
    """A row as one string: key, style, how many data fields, the data, the cells."""
    return US.join((key, style, str(len(data)), *data, *cells))


def unpack(packed: str) -> Row:
    key, style, count, *rest = packed.split(US)
    n = int(count)
    return Row(key, tuple(rest[n:]), data=tuple(rest[:n]), style=style)


class Packed:
    """Every row of a list: what the filter looks in, and the packed row, side by side."""

    def __init__(self) -> None:
        self.matches: list[str] = []
        self.rows: list[str] = []

    def add(self, match: str, row: str) -> None:
        self.matches.append(match)
        self.rows.append(row)

    def __len__(self) -> int:
        return len(self.rows)

    def shown(self, needle: str) -> tuple[list[Row], int]:
        """The first ``LIMIT`` rows whose text holds ``needle``, and how many do."""
        if not needle:
            return [unpack(r) for r in self.rows[:LIMIT]], len(self.rows)
        hits = [i for i, text in enumerate(self.matches) if needle in text]
        return [unpack(self.rows[i]) for i in hits[:LIMIT]], len(hits)


class ListScreen(BansoScreen):
    """Subclasses give ``columns`` and ``entries`` (run in a thread)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "b.filter", id="filter"),
    ]

    label_key: ClassVar[str] = "b.filter"
    placeholder_key: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.packed = Packed()
        self.filtering = False
        self.open_single = False

    def body(self) -> ComposeResult:
        yield FilterBar(say(self.label_key, self.lang), say(self.placeholder_key, self.lang))
        yield RecordTable(self.columns(Packed()), id="list", empty=say("none", self.lang))

    def columns(self, packed: Packed) -> list[Column]:
        raise NotImplementedError

    def entries(self, reader: Reader) -> Packed:
        """In a worker thread: every row, packed, with the text the filter looks in."""
        raise NotImplementedError

    @property
    def table(self) -> RecordTable:
        return self.query_one("#list", RecordTable)

    def on_mount(self) -> None:
        self.table.loading = True

    def reload(self) -> None:
        self.ask("entries", self.entries, self.show)

    def show(self, packed: Packed) -> None:
        self.packed = packed
        self.table.loading = False
        self.table.set_columns(self.columns(packed))
        self.filter_rows(measure=True)

    @on(Input.Changed, "#filter")
    def typed(self) -> None:
        self.filter_rows(measure=False)

    def filter_rows(self, *, measure: bool) -> None:
        needle, packed = fold(self.query_one(FilterBar).value), self.packed
        self.filtering = True
        self.ask("filter", lambda _: packed.shown(needle), lambda found: self.shown(found, measure))

    def shown(self, found: tuple[list[Row], int], measure: bool) -> None:
        rows, matched = found
        self.filtering = False
        self.table.load(rows, measure=measure)
        key = "count" if matched <= LIMIT else "count.limited"
        self.query_one(FilterBar).show_count(
            say(
                key,
                self.lang,
                shown=f"{len(rows):,}",
                matched=f"{matched:,}",
                total=f"{len(self.packed):,}",
            )
        )
        if self.open_single:
            self.open_single = False
            self._open_if_single()

    def action_filter(self) -> None:
        self.query_one(FilterBar).field.focus()

    def on_key(self, event: events.Key) -> None:
        self.query_one(FilterBar).route(event, self.table)

    @on(Input.Submitted, "#filter")
    def to_list(self) -> None:
        """Enter in the filter: to the list, or straight into the only match."""
        self.table.focus()
        if self.filtering:
            self.open_single = True
        else:
            self._open_if_single()

    def _open_if_single(self) -> None:
        if self.table.row_count == 1:
            self.table.action_select()
