"""The line at the top: the sections with their keys, and the day the views show."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from tui.words import say, short

SECTIONS = ("dashboard", "municipalities", "cases", "experts", "figures", "search")


class TopBar(Horizontal):
    """Sections (1-6, clickable) on the left, the as-of day on the right."""

    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        background: $panel;
        #sections { width: 1fr; link-style: none; link-style-hover: bold underline; link-background-hover: $panel-lighten-1; }
        #as-of { width: auto; padding: 0 1; color: $text-muted; }
        #as-of.-past { background: $warning; color: $background; text-style: bold; }
    }
    """

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        yield Static(id="sections")
        yield Static(id="as-of")

    def on_mount(self) -> None:
        self.watch(self.app, "as_of", self._show)

    def on_resize(self) -> None:
        self._show(self.app.as_of)

    @property
    def compact(self) -> bool:
        return self.app.size.width < 100

    def _show(self, as_of: date | None) -> None:
        self.query_one("#sections", Static).update(self._sections())
        label = self.query_one("#as-of", Static)
        lang = self.app.lang
        day = (as_of or self.app.reader.today()).isoformat()
        key = "as_of.today" if as_of is None else "as_of.past"
        label.update((short if self.compact else say)(key, lang, day=day))
        label.set_class(as_of is not None, "-past")

    def _sections(self) -> Content:
        lang = self.app.lang
        parts = [Content.styled(f" {say('app.title', lang)} ", "bold $text-accent")]
        for i, name in enumerate(SECTIONS, start=1):
            word = (short if self.compact else say)(f"section.{name}", lang)
            link = Content.from_markup(
                f"[@click=app.switch_section('{name}')]$label[/]", label=f" {i} {word} "
            )
            parts.append(link.stylize("reverse bold") if name == self.section else link)
        return Content("").join(parts)
