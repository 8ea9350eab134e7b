"""A long Markdown document (the handover briefing), rendered off the event loop.

Textual's Markdown widget builds a widget per block on the event loop; a briefing with a
few hundred closed cases froze it for over a second. Here Rich renders the Markdown to lines
in a worker thread, at the widget's width, and ``render_line`` only hands them out.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment
from textual import events, work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker


def render_markdown(text: str, width: int) -> list[list[Segment]]:
    """``text`` as Markdown laid out in ``width`` cells, one list of segments a line."""
    console = Console(
        file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor"
    )
    options = console.options.update(width=width)
    return console.render_lines(Markdown(text, hyperlinks=False), options, pad=True)


class Document(ScrollView, can_focus=True):
    """Scrollable pre-rendered Markdown."""

    DEFAULT_CSS = """
    Document {
        height: 1fr;
        background: $surface;
        padding: 0 1;
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self._lines: list[Strip] = []
        self._width = 0

    def show(self, text: str) -> None:
        """Display ``text``; it is laid out in the background."""
        self.text = text
        self._width = 0
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._lay_out()

    def _lay_out(self) -> None:
        width = self.size.width
        if width > 0 and self.text:
            self._width = width
            self._render(self.text, width)

    @work(thread=True, exclusive=True, group="lay-out")
    def _render(self, text: str, width: int) -> None:
        lines = [Strip(line, width) for line in render_markdown(text, width)]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._shown, lines, width)

    def _shown(self, lines: list[Strip], width: int) -> None:
        self._lines = lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.size.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return (
            self._lines[index].apply_style(self.rich_style).crop_extend(0, width, self.rich_style)
        )
