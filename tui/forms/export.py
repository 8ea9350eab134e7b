"""Write the handover briefing (引継ぎ資料) to a file, as Markdown or printable HTML."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on
from textual.widgets import Select

from tui.forms.base import FormScreen
from tui.forms.fields import Field
from tui.reader import Reader
from tui.widgets.entry import Entry
from tui.words import say

SUFFIXES = {"markdown": ".md", "html": ".html"}


class ExportForm(FormScreen):
    """Dismisses with the path written."""

    title_key = "title.export"
    dates = ()

    def __init__(self, code: str, name: str) -> None:
        super().__init__()
        self.code = code
        self.muni_name = name
        self.as_of = self.app.as_of

    def context(self) -> str:
        return f"{self.code} {self.muni_name}"

    def fields(self) -> Iterable[Field]:
        day = (self.app.as_of or self.today).isoformat()
        stem = say("export.file", self.lang, name=self.muni_name, code=self.code, day=day)
        path = Path.cwd() / f"{stem}.md"
        yield Field(
            "path", say("input.path", self.lang), Entry(str(path), id="path"), required=True
        )
        formats = [(say(f"format.{f}", self.lang), f) for f in SUFFIXES]
        yield Field(
            "format",
            say("input.format", self.lang),
            Select(formats, value="markdown", allow_blank=False),
        )

    @on(Select.Changed)
    def suffix(self, event: Select.Changed) -> None:
        entry = self.query_one("#path", Entry)
        path = Path(entry.value)
        if path.suffix in SUFFIXES.values() and isinstance(event.value, str):
            entry.value = str(path.with_suffix(SUFFIXES[event.value]))

    def run(self, reader: Reader, values: dict[str, Any]) -> Any:
        html = values["format"] == "html"
        return reader.export_briefing(self.code, Path(values["path"]), html, self.as_of)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return str(result)
