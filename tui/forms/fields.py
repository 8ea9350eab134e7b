"""A form's fields: a label, the input, and the error shown under it as you type."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Select, SelectionList, Static, TextArea

from tracker.domain.errors import InvalidInputError
from tracker.domain.inputs import parse_date
from tui.widgets.entry import Entry
from tui.words import say


class Field(Vertical):
    """One labelled input; ``name`` is the key of its value in the form."""

    def __init__(
        self,
        name: str,
        label: str,
        widget: Widget,
        *,
        required: bool = False,
        hint: str | None = None,
    ) -> None:
        super().__init__(id=f"field-{name}", classes="field")
        self.name_ = name
        self.label = label
        self.widget = widget
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Label(f"{self.label}{' *' if self.required else ''}", classes="field-label")
        yield self.widget
        if self.hint:
            yield Static(self.hint, classes="field-hint")
        yield Static("", classes="field-error", markup=False)

    def show_error(self, message: str | None) -> None:
        self.query_one(".field-error", Static).update(message or "")
        self.set_class(bool(message), "-invalid")

    @property
    def value(self) -> Any:
        return value_of(self.widget)


def value_of(widget: Widget) -> Any:
    """What a field's widget holds: text stripped, a choice or None, a list of choices."""
    from tui.forms.pickers import MunicipalityPicker

    if isinstance(widget, MunicipalityPicker):
        return widget.code
    if isinstance(widget, Entry):
        return widget.value.strip()
    if isinstance(widget, TextArea):
        return widget.text.strip()
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, Checkbox):
        return widget.value
    raise TypeError(widget)


def date_entry(value: date | None, *, id: str | None = None) -> Entry:
    return Entry(value.isoformat() if value else "", placeholder="YYYY-MM-DD", max_length=10, id=id)


def date_problem(text: str, lang: str, *, today: date, future: bool = False) -> str | None:
    """Why ``text`` is not a date that can be recorded, or None."""
    try:
        day = parse_date(text)
    except InvalidInputError:
        return say("form.date_format", lang)
    if not future and day > today:
        return say("form.future", lang)
    return None


def whole_number(text: str) -> int | None:
    """A non-negative whole number typed with or without separators; None if not one."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    return int(cleaned) if cleaned.isdigit() else None
