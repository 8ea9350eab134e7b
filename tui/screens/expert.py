"""One expert: profile, and every dispatch and visit they took part in, newest first."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tracker.domain.topics import topic_label
from tui.screens.base import BansoScreen
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import listed, say


class ExpertScreen(BansoScreen):
    """Enter on a history row opens its case; ``x`` retires the expert from the registry
    (handing their open cases over, if told to whom); ``h`` hands them over later."""

    section = "experts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "retire", "b.retire", id="retire"),
        Binding("h", "hand_over", "b.hand_over", id="hand-over"),
    ]
    RECORDING = frozenset({"retire", "hand_over"})

    def __init__(self, expert_id: str) -> None:
        super().__init__()
        self.expert_id = expert_id
        self.expert: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        yield Static(id="expert-header", classes="header")
        yield RecordTable(
            [
                Column(say("col.date", self.lang), width=10),
                Column(say("col.event", self.lang), whole=True),
                Column(say("col.case", self.lang), whole=True),
                Column(say("col.municipality", self.lang), whole=True),
                Column(say("col.text", self.lang), grow=True),
            ],
            id="history",
            empty=say("none", self.lang),
        )

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.loading = True
        table.focus()

    def reload(self) -> None:
        as_of, expert_id = self.app.as_of, self.expert_id
        self.ask(
            "expert", lambda r: (r.expert(expert_id, as_of), r.municipality_names()), self.show
        )

    def show(self, found: tuple[dict[str, Any], dict[str, str]]) -> None:
        expert, names = found
        self.expert = expert
        state = say("retired", self.lang) if expert["retired"] else say("active", self.lang)
        title = Text.assemble(
            (f"{expert['expert']} {expert['name']}", "bold"), "  ", (f" {state} ", "reverse")
        )
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        specialties = listed((topic_label(t, self.lang) for t in expert["specialties"]), self.lang)
        grid.add_row(say("expert.specialties", self.lang), Text(specialties or "-"))
        grid.add_row(say("expert.background", self.lang), Text(expert["background"] or "-"))
        self.query_one("#expert-header", Static).update(Group(title, grid))
        count = len(expert["history"])
        table = self.query_one(RecordTable)
        table.loading = False
        table.load(
            [
                Row(
                    str(count - i),
                    (
                        e["date"],
                        e["kind_label"],
                        e["case"] or "",
                        names.get(e["municipality"], e["municipality"] or ""),
                        e["text"],
                    ),
                    data=e,
                )
                for i, e in enumerate(expert["history"])
            ]
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retire" and (self.expert is None or self.expert["retired"]):
            return False
        if action == "hand_over" and (self.expert is None or not self.expert["open_cases"]):
            return False
        return super().check_action(action, parameters)

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        if event.row.data["case"]:
            self.app.open_case(event.row.data["case"])

    def action_retire(self) -> None:
        from tui.forms.rotation import HandOverForm

        if self.expert is not None:
            self.app.push_screen(HandOverForm(self.expert, retire=True), self._recorded)

    def action_hand_over(self) -> None:
        from tui.forms.rotation import HandOverForm

        if self.expert is not None:
            self.app.push_screen(HandOverForm(self.expert), self._recorded)

    def _recorded(self, what: str | None) -> None:
        if what:
            self.app.recorded(what)
