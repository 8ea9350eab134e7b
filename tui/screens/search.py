"""Search the text of every record: summaries, reports, notes (Japanese substrings work)."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tui.screens.base import BansoScreen
from tui.widgets.entry import Entry
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say


class SearchScreen(BansoScreen):
    """Type, press Enter; Enter on a result opens its case (or its municipality)."""

    section = "search"
    AUTO_FOCUS = "#query"

    def body(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            yield Label(say("section.search", self.lang), classes="filter-label")
            yield Entry(placeholder=say("search.placeholder", self.lang), id="query")
            yield Static(id="count", classes="count")
        yield RecordTable(
            [
                Column(say("col.date", self.lang), width=10),
                Column(say("col.event", self.lang), whole=True),
                Column(say("col.case", self.lang), whole=True),
                Column(say("col.municipality", self.lang), whole=True),
                Column(say("col.text", self.lang), grow=True),
            ],
            id="results",
        )

    def on_mount(self) -> None:
        self.query_one("#query", Entry).focus()

    def reload(self) -> None:
        text, as_of = self.query_one("#query", Entry).value, self.app.as_of
        if text.strip():
            self.ask("search", lambda r: r.search(text, as_of), self.show)

    def on_key(self, event: events.Key) -> None:
        """↓ or esc from the query go to the results."""
        if self.focused is self.query_one("#query") and event.key in ("down", "escape"):
            self.query_one(RecordTable).focus()
            event.stop()

    @on(Input.Submitted, "#query")
    def submitted(self) -> None:
        self.reload()
        self.query_one(RecordTable).focus()

    def show(self, found: list[dict[str, Any]]) -> None:
        self.query_one("#count", Static).update(say("search.results", self.lang, n=len(found)))
        self.query_one(RecordTable).load(
            [
                Row(
                    str(i),
                    (
                        r["date"],
                        r["kind_label"],
                        r["case"] or "",
                        r["municipality_name"] or "",
                        r["text"],
                    ),
                    data=r,
                )
                for i, r in enumerate(found)
            ]
        )

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        found = event.row.data
        if found["case"]:
            self.app.open_case(found["case"])
        elif found["municipality"]:
            self.app.open_municipality(found["municipality"])
