"""An expert joins the registry (with specialties); leaving it is ``rotation.HandOverForm``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tracker.application.commands import Banso
from tracker.domain.topics import DEFAULT_TOPICS, topic_label
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry
from tui.widgets.entry import Entry
from tui.widgets.ticks import TickList
from tui.words import say


class AddExpertForm(FormScreen):
    title_key = "title.add_expert"

    def fields(self) -> Iterable[Field]:
        yield Field("name", say("input.name", self.lang), Entry(), required=True)
        topics = TickList[str](
            *[(topic_label(t, self.lang), t) for t in DEFAULT_TOPICS], id="specialties"
        )
        yield Field("specialties", say("input.specialties", self.lang), topics)
        yield Field("background", say("input.background", self.lang), Entry())
        on = say("input.on.add_expert", self.lang)
        yield Field("on", on, date_entry(self.today), required=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.ask("topics", lambda r: r.topics(), self._topics)

    def _topics(self, topics: list[tuple[str, str]]) -> None:
        """The desk's own topics after the default ones, once known."""
        self.query_one("#specialties", TickList).add_options(topics[len(DEFAULT_TOPICS) :])

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.register_expert(
            values["name"],
            specialties=values["specialties"],
            background=values["background"] or None,
            on=day_of(values["on"]),
        )

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return f"{result} {values['name']}"
