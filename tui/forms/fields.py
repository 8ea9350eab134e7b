"""A form's fields: a label, the input, and the error shown under it as you type."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Select, SelectionList, Static, TextArea

from tracker.domain.dates import parse_date
from tracker.domain.errors import InvalidInputError
from tracker.language import error_message
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


#: Characters a date field takes: the longest way to write a date (２０２６年１０月１０日).
DATE_LENGTH = 16


def date_entry(value: date | None, *, id: str | None = None) -> Entry:
    """A date field: shown as ISO, typed in any way ``tracker.domain.dates`` reads."""
    text = value.isoformat() if value else ""
    return Entry(text, placeholder="YYYY-MM-DD", max_length=DATE_LENGTH, id=id)


def date_problem(text: str, lang: str, *, today: date, future: bool = False) -> str | None:
    """Why ``text`` is not a date that can be recorded, or None."""
    try:
        day = parse_date(text)
    except InvalidInputError as e:
        if e.params["reason"] == "era":  # a date its era never had: say which era spans what
            return error_message(e, lang)
        return say("form.date_format", lang)
    if not future and day > today:
        return say("form.future", lang)
    return None


def whole_number(text: str) -> int | None:
    """A non-negative whole number typed with or without separators; None if not one."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    return int(cleaned) if cleaned.isdigit() else None
