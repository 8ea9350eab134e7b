"""A virtual table: any number of rows, only the visible ones rendered.

Textual's DataTable measures every cell of every row on the event loop (a quarter of a
second for the 1,741 municipalities). Here rows arrive as plain strings, column widths come
from a sample, and ``render_line`` draws only what is on screen, so a list of 100,000
timeline entries opens as fast as one of ten. The cursor is a row and follows its key
across reloads, so a live refresh never loses the user's place.

A column of names or numbers is ``whole``: a cut name reads as another place (``さいた…``)
and a cut number as another number (``1,332,2…``), so such a column is as wide as its widest
value and never gives way; where a line has no room left for it, it shows ``…`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import fit, widest

#: Rows measured to size auto-width columns; later rows are cut to fit.
SAMPLE = 400
GAP = 1
#: Cells the growing column keeps before sized-to-data columns start to give way.
GROW_ROOM = 24
#: Narrowest a sized-to-data column gets when giving way.
SHRUNK = 8


@dataclass(frozen=True)
class Column:
    """A column: its heading, and how wide it may be."""

    label: str
    width: int | None = None
    """Fixed width in cells; None sizes it to the data (between min and max)."""
    grow: bool = False
    """This column takes whatever width the others leave."""
    align: Literal["left", "right"] = "left"
    min_width: int = 4
    max_width: int = 36
    """The widest a sized-to-data column gets (not a ``whole`` one)."""
    whole: bool = False
    """Names and numbers: never cut, as wide as the widest value of every row."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its key (kept across reloads), its cells, and what it stands for."""

    key: str
    cells: tuple[str, ...]
    data: Any = None
    style: str = ""
    """"" for a plain row, or "group" (a heading spanning the table), "muted", "alert"."""


_CELLS = attrgetter("cells")
_STYLE = attrgetter("style")


def _cells(rows: list[Row], i: int, *, headings: bool) -> list[str]:
    """Cell ``i`` of every row but the group headings (C-level passes where there are none)."""
    if not headings:
        try:
            return list(map(itemgetter(i), map(_CELLS, rows)))
        except IndexError:  # a row short of cells: measured below, one by one
            pass
    return [row.cells[i] for row in rows if row.style != "group" and len(row.cells) > i]


class RecordTable(ScrollView, can_focus=True):
    """Rows of text with a row cursor; Enter or a double click selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--cursor-blurred",
        "record-table--group",
        "record-table--muted",
        "record-table--alert",
        "record-table--empty",
    }

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .record-table--header { text-style: bold; color: $text-accent; background: $panel; }
        & > .record-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
        & > .record-table--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .record-table--group { text-style: bold; color: $text-primary; }
        & > .record-table--muted { color: $text-muted; }
        & > .record-table--alert { color: $text-error; }
        & > .record-table--empty { color: $text-muted; text-style: italic; }
    }
    """

    class Selected(Message):
        """A row was chosen (Enter or double click)."""

        def __init__(self, table: RecordTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RecordTable:
            return self.table

    class Highlighted(Message):
        """The cursor moved to a row."""

        def __init__(self, table: RecordTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self,
        columns: list[Column],
        *,
        empty: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.empty = empty
        self.rows: list[Row] = []
        self.cursor = 0
        self._index: dict[str, int] = {}
        self._natural: list[int] = [self._label_width(c) for c in columns]
        self._widths: list[int] = []

    # ---- data ----------------------------------------------------------------------------

    def load(
        self, rows: list[Row], *, columns: list[Column] | None = None, measure: bool = True
    ) -> None:
        """Show ``rows``; the cursor stays on the row with the same key if there is one.

        ``measure=False`` keeps the column widths (a filtered view of the same rows)."""
        current = self.current_row
        offset = self.cursor - int(self.scroll_y)
        if columns is not None:
            self.columns = columns
        self.rows = rows
        self._index = {row.key: i for i, row in enumerate(rows)}
        if measure or columns is not None:
            self._natural = self._measure(rows)
            self._widths = []
        if current is not None and current.key in self._index:
            self.cursor = self._index[current.key]
        else:
            self.cursor = min(self.cursor, max(0, len(rows) - 1))
        if self.rows and self.rows[self.cursor].style == "group" and len(self.rows) > 1:
            self.cursor = self._step(self.cursor, 1)
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.scroll_to(y=max(0, self.cursor - offset), animate=False, immediate=True)
        self._keep_visible()
        self.refresh()
        if self.current_row is not None:
            self.post_message(self.Highlighted(self, self.current_row))

    def set_columns(self, columns: list[Column]) -> None:
        """New columns for the rows shown (they are measured again)."""
        self.columns = columns
        self._natural = (
            self._measure(self.rows) if len(self.rows) else [self._label_width(c) for c in columns]
        )
        self._widths = []
        self.refresh()

    @property
    def current_row(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    # ---- layout --------------------------------------------------------------------------

    def _label_width(self, column: Column) -> int:
        return column.width or max(column.min_width, cell_len(column.label))

    def _measure(self, rows: list[Row]) -> list[int]:
        natural = [self._label_width(c) for c in self.columns]
        sample = rows[:SAMPLE]
        headings = "group" in map(_STYLE, rows)
        for i, column in enumerate(self.columns):
            if column.width is None:
                # a whole column is measured over every row, so that a value past the sample
                # is not cut (C-level passes: about 20 ms a column for 100,000 rows)
                cells = _cells(rows if column.whole else sample, i, headings=headings)
                natural[i] = max(natural[i], widest(cells))
        return [
            c.width or (max(w, c.min_width) if c.whole else min(max(w, c.min_width), c.max_width))
            for c, w in zip(self.columns, natural, strict=True)
        ]

    def _layout(self, width: int) -> list[int]:
        if self._widths and sum(self._widths) + GAP * len(self._widths) == width:
            return self._widths
        widths = list(self._natural)
        grow = [i for i, c in enumerate(self.columns) if c.grow]
        room = 0
        if grow:
            grower = self.columns[grow[0]]
            room = grower.width or max(grower.min_width, GROW_ROOM)
        # On a narrow screen, sized-to-data columns give way (widest first) so that the
        # growing column (the text people read) keeps some room.
        while sum(widths) + GAP * (len(widths) + 1) + room > width:
            shrinkable = [
                i
                for i, c in enumerate(self.columns)
                if c.width is None
                and not c.grow
                and not c.whole
                and widths[i] > max(c.min_width, SHRUNK)
            ]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
        used = sum(widths) + GAP * (len(widths) + 1)
        if grow:
            i = grow[0]
            widths[i] = max(self.columns[i].min_width, width - (used - widths[i]))
        self._widths = widths
        return widths

    # ---- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            cells = [c.label for c in self.columns]
            return self._strip(cells, width, self._style("record-table--header", base))
        index = int(self.scroll_y) + y - 1
        if not self.rows:
            if y == 1 and self.empty:
                text = fit(" " + self.empty, width)
                return Strip([Segment(text, self._style("record-table--empty", base))], width)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if row.style:
            style = self._style(f"record-table--{row.style}", base)
        if index == self.cursor:
            name = "record-table--cursor" if self.has_focus else "record-table--cursor-blurred"
            style = self._style(name, style)
        if row.style == "group":
            return Strip([Segment(fit(" " + " ".join(row.cells), width), style)], width)
        return self._strip(list(row.cells), width, style)

    def _strip(self, cells: list[str], width: int, style: Style) -> Strip:
        widths = self._layout(width)
        parts = []
        room = width - 1  # after the leading blank
        for cell, w, column in zip(cells, widths, self.columns, strict=False):
            if room <= 0:
                break
            if column.whole and w > room:  # no room for it whole: say so, cut nothing
                parts.append(fit("…", room, align=column.align))
                break
            parts.append(fit(cell, w, align=column.align, whole=column.whole))
            room -= w + GAP
        text = fit(" " + (" " * GAP).join(parts), width)
        return Strip([Segment(text, style)], width)

    def _style(self, component: str, base: Style) -> Style:
        return base + self.get_component_rich_style(component, partial=True)

    def on_resize(self, event: events.Resize) -> None:
        self._widths = []
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._keep_visible()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ---- moving --------------------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _step(self, index: int, direction: int) -> int:
        """The next row from ``index`` in ``direction`` that is not a group heading."""
        probe = index
        while 0 <= probe < len(self.rows) and self.rows[probe].style == "group":
            probe += direction
        if 0 <= probe < len(self.rows):
            return probe
        return index

    def _move(self, index: int, direction: int = 1) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        index = self._step(index, direction)
        if index == self.cursor:
            self._keep_visible()
            return
        self.cursor = index
        self._keep_visible()
        self.refresh()
        row = self.current_row
        if row is not None:
            self.post_message(self.Highlighted(self, row))

    def _keep_visible(self) -> None:
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._body_height:
            self.scroll_to(y=self.cursor - self._body_height + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta, 1 if delta > 0 else -1)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * self._body_height, direction)

    def action_edge(self, end: int) -> None:
        self._move(len(self.rows) - 1 if end else 0, -1 if end else 1)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None and row.style != "group":
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < len(self.rows):
            self._move(index)
            if event.chain >= 2:
                self.action_select()
