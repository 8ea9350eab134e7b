"""ctrl+o: the settings, as ``banso config show`` lists them, to read (set them with
``banso config set``): the settings file's keys, and the desk's rules in force on the day
shown, each with the day it took effect."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.asking import Asking
from tui.bindings import localize
from tui.words import say


class SettingsScreen(Asking, ModalScreen[None]):
    """A modal of two tables, filled once the reader answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+o", "dismiss", "b.back", id="close-settings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        localize(self, self.app.lang)

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(id="settings", classes="dialog") as dialog:
            dialog.border_title = say("title.settings", lang)
            dialog.border_subtitle = say("settings.close", lang)
            yield Static(say("loading", lang), id="settings-tables")

    def on_mount(self) -> None:
        as_of, lang = self.app.as_of, self.app.lang
        self.ask("settings", lambda r: r.settings(as_of, lang), self.show)

    def show(self, found: dict[str, Any]) -> None:
        lang = self.app.lang
        rules = _table()
        for r in found["rules"]:
            value = (
                say(f"day_kind.{r['value']}", lang)
                if r["key"].endswith(".day_kind")
                else str(r["value"])
            )
            since = (
                say("settings.since", lang, day=r["since"])
                if r["since"]
                else say("settings.default", lang)
            )
            rules.add_row(
                Text(r["key"]), Text(f"{value}  {since}"), _line(say(f"setting.{r['key']}", lang))
            )
        settings = _table()
        for s in found["settings"]:
            value = say("settings.not_set", lang) if s["value"] is None else str(s["value"])
            settings.add_row(Text(s["key"]), Text(value), _line(s["doc"]))
        # the file's path on a line of its own: in a column, a long one squeezed the others
        file = Text.assemble((say("settings.file", lang), "bold underline"), "  ", found["file"])
        heading = Text(say("settings.rules", lang), style="bold underline")
        how = Text(say("settings.how", lang))
        parts = (heading, rules, Text(""), file, settings, Text(""), how)
        self.query_one("#settings-tables", Static).update(Group(*parts))


def _table() -> Table:
    """Settings one a line: key, value (and since when), description (``_line``)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(style="dim")  # the column that narrows
    return table


def _line(description: str) -> Text:
    """A setting's description on one line, cut to fit (wrapped, the descriptions pushed
    the way to change them off the dialog)."""
    return Text(description, no_wrap=True, overflow="ellipsis")
