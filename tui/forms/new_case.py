"""A new consultation, from anywhere (ctrl+n): municipality, topic, question, channel, contact."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual import on
from textual.widgets import Select

from events.case import CHANNELS
from tracker.application.commands import Banso
from tracker.domain.topics import DEFAULT_TOPICS, topic_label
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry
from tui.forms.pickers import MunicipalityPicker
from tui.widgets.entry import Memo
from tui.words import aside, say


class NewCaseForm(FormScreen):
    title_key = "title.new_case"

    def __init__(self, municipality: str | None = None) -> None:
        super().__init__()
        self.municipality = municipality

    def fields(self) -> Iterable[Field]:
        yield Field(
            "municipality",
            say("input.municipality", self.lang),
            MunicipalityPicker(self.municipality),
            required=True,
        )
        yield Field(
            "topic",
            say("input.topic", self.lang),
            Select(
                [(topic_label(t, self.lang), t) for t in DEFAULT_TOPICS],
                prompt="----",
                id="topic-select",
            ),
            required=True,
        )
        yield Field("summary", say("input.summary", self.lang), Memo(), required=True)
        yield Field(
            "channel",
            say("input.channel", self.lang),
            Select(
                [(say(f"channel.{c}", self.lang), c) for c in CHANNELS],
                value="chat",
                allow_blank=False,
            ),
        )
        yield Field(
            "contact",
            say("input.contact", self.lang),
            Select([], prompt=say("form.none", self.lang), id="contact-select"),
        )
        on = say("input.on.new_case", self.lang)
        yield Field("on", on, date_entry(self.today), required=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.ask("topics", lambda r: r.topics(), self._topics)

    def _topics(self, topics: list[tuple[str, str]]) -> None:
        """The desk's own topics too, once known (the default ones are there from the start)."""
        select = self.query_one("#topic-select", Select)
        if len(topics) > len(DEFAULT_TOPICS) and select.value is Select.NULL:
            select.set_options(topics)

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "municipality" and value is None:
            return say("form.pick_municipality", self.lang)
        return super().problem(name, value, values)

    @on(MunicipalityPicker.Changed)
    def load_contacts(self, event: MunicipalityPicker.Changed) -> None:
        code = event.picker.code
        select = self.query_one("#contact-select", Select)
        if code is None:
            select.set_options([])
            return
        self.ask("contacts", lambda r: r.contacts(code), self._contacts)

    def _contacts(self, contacts: list[dict[str, Any]]) -> None:
        select = self.query_one("#contact-select", Select)
        select.set_options([(aside(c["name"], c["role"], self.lang), c["name"]) for c in contacts])
        if len(contacts) == 1:
            select.value = contacts[0]["name"]

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.open_case(
            values["municipality"],
            topic=values["topic"],
            summary=values["summary"],
            channel=values["channel"],
            contact=values["contact"],
            on=day_of(values["on"]),
        )

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        number, _ = result
        return number
