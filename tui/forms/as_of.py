"""ctrl+d: the day every view shows (blank for today, when recording is possible again)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry
from tui.words import say


class AsOfForm(FormScreen):
    """Dismisses with the day, None for today, or False when cancelled."""

    title_key = "title.as_of"
    dates: ClassVar[tuple[str, ...]] = ("day",)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "today", "b.today", id="today"),
    ]

    def __init__(self, current: date | None) -> None:
        super().__init__()
        self.current = current

    def fields(self) -> Iterable[Field]:
        yield Field("day", say("input.as_of", self.lang), date_entry(self.current))

    def action_save(self) -> None:
        self.tried = True
        if self.check():
            return
        text = self.values()["day"]
        day = day_of(text) if text else None
        self.dismiss(None if day == self.today else day)

    def action_today(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return None
