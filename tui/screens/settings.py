"""ctrl+o: the settings, as ``banso config show`` lists them, to read (set them with
``banso config set``): the settings file's keys, and the desk's rules in force on the day
shown, each with the day it took effect."""

from __future__ import annotations

from typing import Any, ClassVar

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
        as_of = self.app.as_of
        self.ask("settings", lambda r: r.settings(as_of), self.show)

    def show(self, found: dict[str, Any]) -> None:
        lang = self.app.lang
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(style="dim")
        table.add_row(f"[u]{say('settings.rules', lang)}[/u]", "", "")
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
            table.add_row(
                Text(r["key"]), Text(f"{value}  {since}"), Text(say(f"setting.{r['key']}", lang))
            )
        table.add_row("", "", "")
        table.add_row(f"[u]{say('settings.file', lang)}[/u]", Text(found["file"]), "")
        for s in found["settings"]:
            value = say("settings.not_set", lang) if s["value"] is None else str(s["value"])
            table.add_row(Text(s["key"]), Text(value), Text(s["doc"].splitlines()[0]))
        table.add_row("", "", "")
        table.add_row("", Text(say("settings.how", lang)), "")
        self.query_one("#settings-tables", Static).update(table)
