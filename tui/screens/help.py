"""F1 / ?: the keys of the screen underneath and of the whole app, and how things work.

The dialog is itself the scrolling container, its title and its hint (how to scroll and
close) on its border: at 80x24 the text is longer than the screen, and the hint and the
title stay in view while it scrolls."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.bindings import localize, whole
from tui.words import say


class HelpScreen(ModalScreen[None]):
    """A modal listing every binding the screen underneath offers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "dismiss", "b.back", id="close-help"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under
        self.keys: list[tuple[str, str]] = []
        """(key, what it does) of the screen underneath, as listed."""
        self.everywhere: list[tuple[str, str]] = []
        """(key, what it does) of the whole app, as listed."""
        localize(self, self.app.lang)

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(id="help", classes="dialog") as dialog:
            dialog.border_title = say("title.help", lang)
            dialog.border_subtitle = say("help.close", lang)
            yield Static(self._keys(lang), id="help-keys")
            yield Static(say("help.text", lang), classes="help-text")

    def _keys(self, lang: str) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(f"[u]{say('help.screen', lang)}[/u]", "")
        seen: set[str] = set()
        app_rows = []
        for _key, active in self.under.active_bindings.items():
            node, binding, enabled, _ = active
            if not binding.description or binding.id is None or binding.action in seen:
                continue
            if binding.action.startswith("switch_section"):
                continue
            seen.add(binding.action)
            row = (self.app.get_key_display(binding), whole(binding))
            if node is self.app:
                app_rows.append(row)
            elif enabled:
                self.keys.append(row)
                table.add_row(Text(row[0]), Text(row[1]))
        table.add_row("", "")
        table.add_row(f"[u]{say('help.global', lang)}[/u]", "")
        table.add_row(say("help.section_keys", lang), say("help.sections", lang))
        self.everywhere = app_rows
        for key, what in app_rows:
            table.add_row(Text(key), Text(what))
        return table
