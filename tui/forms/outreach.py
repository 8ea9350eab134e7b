"""Outreach (掘り起こし): a digital café, a hearing, a visit the secretariat made."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.widgets import Select

from events.municipality import OUTREACH_KINDS
from tracker.application.commands import Banso
from tui.forms.base import day_of
from tui.forms.contacts import MunicipalityForm
from tui.forms.fields import Field
from tui.widgets.entry import Memo
from tui.words import say


class OutreachForm(MunicipalityForm):
    title_key = "title.outreach"
    on_label = "input.on.outreach"

    def fields(self) -> Iterable[Field]:
        kinds = [(say(f"outreach.{k}", self.lang), k) for k in OUTREACH_KINDS]
        yield Field(
            "kind", say("input.kind", self.lang), Select(kinds, prompt="----"), required=True
        )
        yield Field("note", say("input.note", self.lang), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.record_outreach(
            self.code, values["kind"], note=values["note"], on=day_of(values["on"])
        )
