"""Every municipality, filtered as you type by name (kanji), reading (kana) or code."""

from __future__ import annotations

from textual import on

from tui.reader import Reader
from tui.screens.list_screen import ListScreen, Packed, pack
from tui.text import number
from tui.widgets.record_table import Column, RecordTable
from tui.words import aside, listed, say


class MunicipalitiesScreen(ListScreen):
    """Type kana or kanji anywhere to filter; ``/`` for a code; Enter opens."""

    section = "municipalities"
    label_key = "munis.filter"
    placeholder_key = "munis.placeholder"

    def __init__(self) -> None:
        super().__init__()
        self.several = False

    def columns(self, packed: Packed) -> list[Column]:
        prefecture = [Column(say("col.prefecture", self.lang), whole=True)] if self.several else []
        return [
            Column(say("col.code", self.lang), width=6),
            *prefecture,
            Column(say("col.name", self.lang), whole=True),
            Column(say("col.kind", self.lang), width=4),
            Column(say("col.population", self.lang), align="right", whole=True),
            Column(say("col.it_staff", self.lang), align="right", whole=True),
            Column(say("col.open_cases", self.lang), align="right", whole=True),
            Column(say("col.last_engagement", self.lang), width=10),
            Column(say("col.contact", self.lang), grow=True),
        ]

    def entries(self, reader: Reader) -> Packed:
        found = reader.municipalities(self.app.as_of)
        self.several = len({m["prefecture"] for m in found}) > 1
        packed = Packed()
        for m in found:
            lang = self.lang
            contacts = listed((aside(c["name"], c["role"], lang) for c in m["contacts"]), lang)
            cells = (
                m["code"],
                *((m["prefecture"],) if self.several else ()),
                m["name"],
                m["kind"],
                number(m["population"]),
                number(m["it_staff"]),
                str(m["open_cases"]),
                m["last_engagement"] or "-",
                contacts or "-",
            )
            packed.add(m["match"], pack(m["code"], cells))
        return packed

    @on(RecordTable.Selected)
    def open(self, event: RecordTable.Selected) -> None:
        self.app.open_municipality(event.row.key)

    @property
    def context_municipality(self) -> str | None:
        row = self.table.current_row
        return row.key if row is not None else None
