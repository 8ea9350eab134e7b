"""Search the text of every record: summaries, reports, notes (Japanese substrings work).

It searches as one types: a pause of ``PAUSE`` after the last key starts the search, in a
worker thread (a newer search replaces an older one), and the line above the results says
how many were found, or that nothing was. An answer to text no longer in the field is
dropped, so a slow answer never replaces a newer one."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from projections.queries.search import LIMIT
from tui.screens.base import BansoScreen
from tui.widgets.entry import Entry
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say

#: Seconds after the last key before the search starts (a word typed quickly is one search).
PAUSE = 0.25


class SearchScreen(BansoScreen):
    """Type: the results follow; ↓ or Enter to the results, Enter opens its case (or its
    municipality)."""

    section = "search"
    AUTO_FOCUS = "#query"

    def __init__(self) -> None:
        super().__init__()
        self.pending: Timer | None = None
        """The search waiting for the typing to pause."""

    def body(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            yield Label(say("section.search", self.lang), classes="filter-label")
            yield Entry(placeholder=say("search.placeholder", self.lang), id="query")
            yield Static(id="count", classes="count", markup=False)
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

    @property
    def text(self) -> str:
        return self.query_one("#query", Entry).value

    def reload(self) -> None:
        text, as_of = self.text, self.app.as_of
        if text.strip():
            self.ask(
                "search", lambda r: r.search(text, as_of), lambda found: self.show(found, text)
            )
        else:
            self.show([], text)

    @on(Input.Changed, "#query")
    def typed(self) -> None:
        """Search once the typing pauses."""
        if self.pending is not None:
            self.pending.stop()
        self.pending = self.set_timer(PAUSE, self.paused)

    def paused(self) -> None:
        """The typing paused (or Enter came first): search for what is in the field."""
        self.pending = None
        self.reload()

    def on_key(self, event: events.Key) -> None:
        """↓ or esc from the query go to the results."""
        if self.focused is self.query_one("#query") and event.key in ("down", "escape"):
            self.query_one(RecordTable).focus()
            event.stop()

    @on(Input.Submitted, "#query")
    def submitted(self) -> None:
        """Enter: search now if the pause has not come yet, and go to the results."""
        if self.pending is not None:
            self.pending.stop()
            self.paused()
        self.query_one(RecordTable).focus()

    def show(self, found: list[dict[str, Any]], text: str) -> None:
        if text != self.text:  # typed on since: a newer search is coming
            return
        self.query_one("#count", Static).update(self._count(found, text))
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

    def _count(self, found: list[dict[str, Any]], text: str) -> str:
        """How many were found, in words (nothing for an empty field)."""
        n = len(found)
        if not text.strip():
            return ""
        if not n:
            return say("search.nothing", self.lang, text=text.strip())
        if n == 1:
            return say("search.one", self.lang)
        return say("search.limited" if n >= LIMIT else "search.results", self.lang, n=n)

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        found = event.row.data
        if found["case"]:
            self.app.open_case(found["case"])
        elif found["municipality"]:
            self.app.open_municipality(found["municipality"])
