"""The modal form: fields checked as you type, one command on ctrl+s, or nothing at all.

A form never records half a thing: it checks every field first, then calls exactly one
application command (which saves its events in one transaction). If the command refuses,
its message is shown next to the field it concerns and the form stays open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from tracker.application.commands import Banso
from tracker.domain.dates import parse_date
from tracker.domain.errors import BansoError
from tui.asking import Asking, describe_error
from tui.bindings import localize
from tui.forms.fields import Field, date_problem
from tui.forms.pickers import MunicipalityPicker
from tui.reader import Reader
from tui.widgets.footer import BansoFooter
from tui.words import say

#: Error parameters that name the field they concern, by error key.
ERROR_FIELDS = {
    "future_date": "on",
    "date_before_opening": "on",
    "date_before_last_change": "on",
    "unknown_contact": "contact",
    "contact_already_assigned": "person",
    "expert_retired": "experts",
    "unknown_expert": "experts",
    "reason_required": "reason",
    "amendment_conflict": "on",
}


class FormScreen(Asking, ModalScreen[Any]):
    """Subclasses give ``title_key``, ``fields()`` and ``command(values)``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "b.save", priority=True, id="save"),
        Binding("escape", "cancel", "b.cancel", id="cancel"),
    ]

    title_key: ClassVar[str] = ""
    #: Fields that hold dates a thing happened on (not in the future).
    dates: ClassVar[tuple[str, ...]] = ("on",)

    def __init__(self) -> None:
        super().__init__()
        localize(self, self.lang)
        self.saving = False
        self.tried = False
        self.touched: set[str] = set()

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def today(self) -> date:
        return self.app.reader.today()

    # ---- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(say(self.title_key, self.lang), classes="dialog-title")
            context = self.context()
            if context:
                yield Static(context, classes="form-context", markup=False)
            with VerticalScroll(classes="form-fields"):
                yield from self.fields()
            yield Static("", id="form-error", markup=False)
        yield BansoFooter()

    def context(self) -> str:
        """One line saying what the form is about (the case, the municipality)."""
        return ""

    def fields(self) -> Iterable[Field]:
        return ()

    def on_mount(self) -> None:
        first = self.query(Field).first()
        first.widget.focus()

    # ---- checking ------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {f.name_: f.value for f in self.query(Field)}

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        """Why a field's value cannot be recorded, or None. Subclasses add their own."""
        field = self.query_one(f"#field-{name}", Field)
        if field.required and value in (None, "", []):
            return say("form.required", self.lang)
        if name in self.dates and value:
            return date_problem(value, self.lang, today=self.today)
        return None

    def check(self) -> list[Field]:
        """Show each touched field's problem (every field's after a save); the bad ones."""
        values = self.values()
        bad = []
        for field in self.query(Field):
            problem = self.problem(field.name_, values[field.name_], values)
            if problem:
                bad.append(field)
            field.show_error(problem if (self.tried or field.name_ in self.touched) else None)
        return bad

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    @on(MunicipalityPicker.Changed)
    def changed(self, event: Any) -> None:
        for node in event.control.ancestors_with_self:
            if isinstance(node, Field):
                self.touched.add(node.name_)
                break
        self.check()

    # ---- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        self.tried = True
        bad = self.check()
        message = self.query_one("#form-error", Static)
        if bad:
            message.update(say("form.check", self.lang))
            bad[0].widget.focus()
            return
        values = self.values()
        self.saving = True
        message.update(say("form.saving", self.lang))
        self.ask(
            "save",
            lambda r: self.run(r, values),
            lambda result: self.saved(result, values),
            self.refused,
        )

    def run(self, reader: Reader, values: dict[str, Any]) -> Any:
        """In a worker thread: record the one command."""
        return reader.record(self.command(values))

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        raise NotImplementedError

    def saved(self, result: Any, values: dict[str, Any]) -> None:
        self.dismiss(self.done(result, values))

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        """What the form hands back: by default, words saying what was recorded."""
        return say(self.title_key, self.lang)

    def refused(self, error: BaseException) -> None:
        self.saving = False
        message = describe_error(error, self.lang)
        self.query_one("#form-error", Static).update(message)
        name = ERROR_FIELDS.get(error.key) if isinstance(error, BansoError) else None
        if isinstance(error, BansoError) and "field" in error.params:
            name = error.params["field"]
        found = self.query(f"#field-{name}") if name else None
        if found:
            field = found.first(Field)
            field.show_error(message)
            field.widget.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


def day_of(text: str) -> date:
    """The day a checked date field holds, however it was typed (2026/10/1, R8.10.1)."""
    return parse_date(text)
