"""Every case (open, closed or all), newest first, filtered as you type."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from projections.queries.cases import STATUS_FILTERS
from tracker.domain.topics import topic_label
from tui.reader import Reader
from tui.screens.list_screen import ListScreen, Packed, pack
from tui.widgets.filter_bar import FilterBar
from tui.widgets.record_table import Column, RecordTable
from tui.words import say


class CasesScreen(ListScreen):
    """``s`` cycles open / closed / all; type or ``/`` to filter; Enter opens the case."""

    section = "cases"
    placeholder_key = "cases.placeholder"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "status", "b.status", id="status"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = "open"

    def columns(self, packed: Packed) -> list[Column]:
        return [
            Column(say("col.case", self.lang), whole=True),
            Column(say("col.municipality", self.lang), whole=True),
            Column(say("col.topic", self.lang), max_width=20),
            Column(say("col.status", self.lang), whole=True),
            Column(say("col.opened", self.lang), width=10),
            Column(say("col.next_follow_up", self.lang), width=10),
            Column(say("col.summary", self.lang), grow=True),
        ]

    def reload(self) -> None:
        word = say(f"status.{self.status}", self.lang)
        self.query_one(FilterBar).show_label(say("cases.status", self.lang, status=word))
        super().reload()

    def entries(self, reader: Reader) -> Packed:
        lang = self.lang
        packed = Packed()
        for c in reader.cases(self.app.as_of, status=self.status):
            cells = (
                c["case"],
                c["municipality_name"],
                topic_label(c["topic"], lang),
                say(f"status.{c['status']}", lang),
                c["opened_on"],
                c["next_follow_up"] or "-",
                c["summary"],
            )
            style = "" if c["status"] == "open" else "muted"
            packed.add(c["match"], pack(c["id"], cells, (c["case"], c["municipality"]), style))
        return packed

    def action_status(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1) % len(STATUS_FILTERS)]
        self.reload()

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        self.app.open_case(event.row.data[0])

    @property
    def context_municipality(self) -> str | None:
        row = self.table.current_row
        return row.data[1] if row is not None else None
