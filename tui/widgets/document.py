"""A long Markdown document (the handover briefing), rendered off the event loop.

Textual's Markdown widget builds a widget per block on the event loop; a briefing with a
few hundred closed cases froze it for over a second. Here Rich renders the Markdown to lines
in a worker thread, at the widget's width, and ``render_line`` only hands them out.

Rich's own Markdown colours are meant for a dark terminal (cyan and magenta, code on black,
the monokai code theme) and end up in the lines it renders. The colours come instead from
the widget's component classes below, that is from the app's theme, and the lines are
rendered again when the theme changes.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual import events, work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

#: Rich's Markdown styles and the component class of ``Document`` each takes its colours from.
STYLED = {
    "markdown.h1": "document--title",
    "markdown.h1.border": "document--rule",
    "markdown.h2": "document--heading",
    "markdown.h3": "document--subheading",
    "markdown.h4": "document--subheading",
    "markdown.h5": "document--subheading",
    "markdown.h6": "document--subheading",
    "markdown.h7": "document--subheading",
    "markdown.code": "document--code",
    "markdown.code_block": "document--code",
    "markdown.kbd": "document--code",
    "markdown.block_quote": "document--quote",
    "markdown.hr": "document--rule",
    "markdown.list": "document--marker",
    "markdown.item.bullet": "document--marker",
    "markdown.item.number": "document--marker",
    "markdown.link": "document--link",
    "markdown.link_url": "document--link",
    "markdown.table.border": "document--rule",
    "markdown.table.header": "document--table-header",
}


def render_markdown(
    text: str, width: int, theme: Theme | None = None, code_theme: str = "ansi_dark"
) -> list[list[Segment]]:
    """``text`` as Markdown laid out in ``width`` cells, one list of segments a line;
    ``theme`` overrides Rich's Markdown styles, ``code_theme`` colours code blocks."""
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        theme=theme,
    )
    options = console.options.update(width=width)
    markdown = Markdown(text, hyperlinks=False, code_theme=code_theme)
    return console.render_lines(markdown, options, pad=True)


class Document(ScrollView, can_focus=True):
    """Scrollable pre-rendered Markdown."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(STYLED.values())

    DEFAULT_CSS = """
    Document {
        height: 1fr;
        background: $surface;
        color: $foreground;
        padding: 0 1;
        overflow-x: hidden;
        & > .document--title { color: $text-primary; text-style: bold; }
        & > .document--heading { color: $text-primary; text-style: bold underline; }
        & > .document--subheading { color: $text-primary; text-style: bold; }
        & > .document--table-header { color: $text-primary; text-style: bold; }
        & > .document--rule { color: $primary 50%; }
        & > .document--marker { color: $text-primary; }
        & > .document--link { color: $text-accent; text-style: underline; }
        & > .document--quote { color: $text-muted; text-style: italic; }
        & > .document--code { color: $text-accent; background: $panel; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self._lines: list[Strip] = []
        self._width = 0

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _: object) -> None:
        # the component styles are refreshed with the rest of the CSS: read them after
        self.call_after_refresh(self.show, self.text)

    def markdown_theme(self) -> Theme:
        """Rich's Markdown styles in the colours of the app's theme, as the CSS says."""
        styles = {}
        for name, component in STYLED.items():
            whole = self.get_component_rich_style(component)  # colours blended as shown
            own = self.get_component_rich_style(component, partial=True)
            styles[name] = own.without_color + Style(
                color=whole.color, bgcolor=whole.bgcolor if own.bgcolor else None
            )
        return Theme(styles, inherit=True)

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
            code_theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
            self._render(self.text, width, self.markdown_theme(), code_theme)

    @work(thread=True, exclusive=True, group="lay-out")
    def _render(self, text: str, width: int, theme: Theme, code_theme: str) -> None:
        rendered = render_markdown(text, width, theme, code_theme)
        lines = [Strip(line, width) for line in rendered]
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
