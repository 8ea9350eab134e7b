"""At first start, the name to record as: asked once when nobody named it, and kept in the
settings file (``banso config set user`` writes the same file, through the same code)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui.forms.base import FormScreen
from tui.forms.fields import Field
from tui.reader import Reader
from tui.widgets.entry import Entry
from tui.words import say


class RecorderForm(FormScreen):
    """Dismisses with the name saved, or None (cancelled: the login name records, this time)."""

    title_key = "title.recorder"
    dates = ()

    def __init__(self, login: str) -> None:
        super().__init__()
        self.login = login

    def context(self) -> str:
        return say("recorder.why", self.lang, login=self.login)

    def fields(self) -> Iterable[Field]:
        yield Field("name", say("input.recorder", self.lang), Entry(), required=True)

    def run(self, reader: Reader, values: dict[str, Any]) -> Any:
        """In a worker thread: record as the name from now on, and keep it."""
        return reader.remember_recorder(values["name"])

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return result
