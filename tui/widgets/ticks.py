"""Boxes that say by their glyph whether they are ticked, not by their colour alone.

Textual draws a ticked and an unticked box with the same ``X``, told apart by colour only:
under NO_COLOR, on a monochrome terminal or to a reader who does not see the colours, every
box looks ticked. Here a ticked box keeps its ``X`` and an unticked one is empty.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import SelectionType

TICKED = "X"
UNTICKED = " "


class Tick(Checkbox):
    """A checkbox: ▐X▌ when ticked, ▐ ▌ when not."""

    BUTTON_INNER: ClassVar[str] = UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED  # type: ignore[misc]
        super().watch_value()

    def on_mount(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED  # type: ignore[misc]
        self.refresh()


class TickList(SelectionList[SelectionType]):
    """A selection list whose unticked boxes are empty."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if selection.value in self.selected:
            return line
        # SelectionList draws the box as its first three segments: side, glyph, side.
        segments = list(line)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(UNTICKED, segments[1].style)
        return Strip(segments, line.cell_length)
