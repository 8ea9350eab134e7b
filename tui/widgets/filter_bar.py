"""The line above a list: a label, the filter field and a count.

Kana or kanji typed while the list has focus go into the field (an input method sends
them as ordinary characters), so a list filters as soon as one types; ↓ or esc goes back.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Static

from tui.text import is_japanese
from tui.widgets.entry import Entry
from tui.widgets.record_table import RecordTable


class FilterBar(Horizontal):
    """``value`` is what the user typed; ``route`` lets the list hand keys over."""

    def __init__(self, label: str, placeholder: str) -> None:
        super().__init__(classes="filter-bar")
        self.label = label
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="filter-label", id="filter-label")
        yield Entry(placeholder=self.placeholder, id="filter")
        yield Static(classes="count", id="count")

    @property
    def field(self) -> Entry:
        return self.query_one("#filter", Entry)

    @property
    def value(self) -> str:
        return self.field.value

    def show_count(self, text: str) -> None:
        self.query_one("#count", Static).update(text)

    def show_label(self, text: str) -> None:
        self.query_one("#filter-label", Label).update(text)

    def route(self, event: events.Key, table: RecordTable) -> None:
        """Kana typed on ``table`` go to the field; ↓ or esc from the field go back."""
        focused = self.screen.focused
        if focused is table and event.character and is_japanese(event.character):
            self.field.insert_text_at_cursor(event.character)
            self.field.focus()
            event.stop()
        elif focused is self.field and event.key in ("down", "escape"):
            if event.key == "escape" and self.field.value:
                self.field.value = ""
            else:
                table.focus()
            event.stop()
