"""The registry of experts: specialties, open cases, visits this fiscal year."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from tui.screens.base import BansoScreen
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say


class ExpertsScreen(BansoScreen):
    """Enter opens an expert's history; ``a`` registers a new expert."""

    section = "experts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "b.add_expert", id="add-expert"),
    ]
    RECORDING = frozenset({"add"})

    def body(self) -> ComposeResult:
        yield RecordTable(
            [
                Column(say("col.expert", self.lang), width=4),
                Column(say("col.person", self.lang), whole=True),
                Column(say("col.specialties", self.lang), max_width=30),
                Column(say("col.open_cases", self.lang), align="right", whole=True),
                Column(say("col.visits_year", self.lang), align="right", whole=True),
                Column(say("col.status", self.lang), whole=True),
                Column(say("col.background", self.lang), grow=True),
            ],
            id="experts",
            empty=say("none", self.lang),
        )

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()

    def reload(self) -> None:
        as_of = self.app.as_of
        self.ask("experts", lambda r: r.experts(as_of), self.show)

    def show(self, experts: list[dict[str, Any]]) -> None:
        self.query_one(RecordTable).load(
            [
                Row(
                    e["expert"],
                    (
                        e["expert"],
                        e["name"],
                        " ".join(e["specialties"]),
                        str(e["open_cases"]),
                        str(e["visits_this_year"]),
                        say("retired", self.lang) if e["retired"] else say("active", self.lang),
                        e["background"] or "",
                    ),
                    data=e,
                    style="muted" if e["retired"] else "",
                )
                for e in experts
            ]
        )

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        self.app.open_expert(event.row.key)

    def action_add(self) -> None:
        from tui.forms.experts import AddExpertForm

        self.app.push_screen(AddExpertForm(), self._recorded)

    def _recorded(self, what: str | None) -> None:
        if what:
            self.app.recorded(what)
