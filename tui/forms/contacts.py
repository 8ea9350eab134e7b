"""A municipal contact takes up a role, or leaves it (人事異動) with or without a successor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.widgets import Select

from tracker.application.commands import Banso
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry
from tui.widgets.entry import Entry
from tui.words import aside, say


class MunicipalityForm(FormScreen):
    """A form about one municipality."""

    #: What the day it happened on is called in this form (着任日 for a new contact).
    on_label: ClassVar[str] = "input.on"

    def __init__(self, code: str, name: str) -> None:
        super().__init__()
        self.code = code
        self.muni_name = name

    def context(self) -> str:
        return f"{self.code} {self.muni_name}"

    def on_field(self) -> Field:
        return Field("on", say(self.on_label, self.lang), date_entry(self.today), required=True)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return f"{self.muni_name} {say(self.title_key, self.lang)}"


class AssignContactForm(MunicipalityForm):
    title_key = "title.assign"
    on_label = "input.on.assign"

    def fields(self) -> Iterable[Field]:
        yield Field("person", say("input.person", self.lang), Entry(), required=True)
        yield Field("role", say("input.role", self.lang), Entry(), required=True)
        yield Field("email", say("input.email", self.lang), Entry())
        yield Field("phone", say("input.phone", self.lang), Entry())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.assign_contact(
            self.code,
            values["person"],
            role=values["role"],
            email=values["email"] or None,
            phone=values["phone"] or None,
            on=day_of(values["on"]),
        )


class TransferContactForm(MunicipalityForm):
    title_key = "title.transfer"
    on_label = "input.on.transfer"

    def __init__(self, code: str, name: str, contacts: list[dict[str, Any]]) -> None:
        super().__init__(code, name)
        self.contacts = contacts

    def fields(self) -> Iterable[Field]:
        choices = [(aside(c["name"], c["role"], self.lang), c["name"]) for c in self.contacts]
        value = choices[0][1] if len(choices) == 1 else Select.NULL
        yield Field(
            "contact",
            say("input.leaving", self.lang),
            Select(choices, prompt="----", value=value),
            required=True,
        )
        yield Field("successor", say("input.successor", self.lang), Entry())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.transfer_contact(
            self.code,
            values["contact"],
            successor=values["successor"] or None,
            on=day_of(values["on"]),
        )
