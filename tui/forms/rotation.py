"""Experts rotate: hand a case from one of its experts to another, or all of an expert's
open cases at once (the experts' ``h`` and the retirement form), the taking expert chosen
from a list ranked as ``banso suggest`` ranks it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.widgets import Select

from tracker.application.commands import Banso
from tui.forms.base import FormScreen, day_of
from tui.forms.case_steps import CaseForm
from tui.forms.fields import Field, date_entry
from tui.reader import Reader
from tui.widgets.entry import Entry
from tui.words import say


def ranked_options(ranked: list[dict[str, Any]], lang: str, leaving: str | None) -> list:
    """Select options for the taking expert, best first, each with its first reasons."""
    return [
        (
            f"{r['expert']} {r['name']}  {say('punct.list', lang).join(r['reasons'][:2])}",
            r["expert"],
        )
        for r in ranked
        if r["expert"] != leaving
    ]


class ReassignForm(CaseForm):
    """One case: who hands it over (one of its experts), who takes it (ranked for it)."""

    title_key = "title.reassign"
    on_label = "input.on.reassign"

    def fields(self) -> Iterable[Field]:
        experts = [(f"{e['id']} {e['name']}", e["id"]) for e in self.case["experts"]]
        leaving = Select(experts, prompt="----", id="leaving", allow_blank=len(experts) != 1)
        yield Field("from", say("input.reassign_from", self.lang), leaving, required=True)
        taking = Select([], prompt="----", id="taking")
        hint = say("input.ranked", self.lang)
        yield Field("to", say("input.reassign_to", self.lang), taking, required=True, hint=hint)
        yield Field("note", say("input.note", self.lang), Entry())
        yield self.on_field()

    def on_mount(self) -> None:
        super().on_mount()
        case_id = self.case["id"]
        self.ask("ranked", lambda r: r.suggest(case_id, None), self._ranked)

    def _ranked(self, ranked: list[dict[str, Any]]) -> None:
        leaving = self.values().get("from")
        self.query_one("#taking", Select).set_options(ranked_options(ranked, self.lang, leaving))

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.reassign_expert(
            self.number,
            values["from"],
            values["to"],
            note=values["note"] or None,
            on=day_of(values["on"]),
        )


class HandOverForm(FormScreen):
    """Every open case of one expert to another, in one transaction (``expert reassign``);
    with ``retire``, the expert leaves the registry in the same one (``--reassign-to``)."""

    title_key = "title.hand_over"

    def __init__(self, expert: dict[str, Any], *, retire: bool = False) -> None:
        super().__init__()
        self.expert = expert
        self.retire = retire
        self.title_key = "title.retire" if retire else "title.hand_over"

    def context(self) -> str:
        return f"{self.expert['expert']} {self.expert['name']}"

    def fields(self) -> Iterable[Field]:
        taking = Select([], prompt="----", id="taking")
        label = say("input.reassign_to", self.lang)
        hint = say("input.retire_hint" if self.retire else "input.hand_over_hint", self.lang)
        yield Field("to", label, taking, required=not self.retire, hint=hint)
        yield Field("note", say("input.note", self.lang), Entry())
        on = say("input.on.retire" if self.retire else "input.on.reassign", self.lang)
        yield Field("on", on, date_entry(self.today), required=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.ask("experts", lambda r: r.experts(None), self._experts)

    def _experts(self, experts: list[dict[str, Any]]) -> None:
        mine = self.expert["expert"]
        active = [e for e in experts if not e["retired"] and e["expert"] != mine]
        active.sort(key=lambda e: (e["open_cases"], e["expert"]))
        options = [
            (
                f"{e['expert']} {e['name']}  ({say('col.open_cases', self.lang)} {e['open_cases']})",
                e["expert"],
            )
            for e in active
        ]
        self.query_one("#taking", Select).set_options(options)

    def run(self, reader: Reader, values: dict[str, Any]) -> Any:
        """In a worker thread: the expert's open cases on the day, then one transaction."""
        mine, to, day = self.expert["expert"], values["to"], day_of(values["on"])
        if to is None:
            return reader.record(lambda app: app.retire_expert(mine, on=day) or [])
        cases = [c["id"] for c in reader.open_cases_of(mine, day)]
        note = values["note"] or None
        return reader.record(
            lambda app: app.hand_over(mine, to, cases, retire=self.retire, note=note, on=day)
        )

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        raise NotImplementedError  # ``run`` asks the read models first

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        if self.retire and not values["to"]:
            return f"{self.context()} {say('title.retire', self.lang)}"
        return say("handed", self.lang, who=self.context(), to=values["to"], n=len(result))
