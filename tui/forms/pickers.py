"""Pickers: a municipality by name, kana or code; experts with their specialties."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from tracker.domain.folding import fold
from tracker.domain.topics import topic_label
from tui.asking import Asking
from tui.widgets.entry import Entry
from tui.widgets.ticks import TickList
from tui.words import aside, listed, say

#: Candidates listed under the municipality field at most.
CANDIDATES = 40


class MunicipalityPicker(Asking, Vertical):
    """Type to narrow, ↓ and Enter to choose; ``code`` is the choice or None."""

    DEFAULT_CSS = """
    MunicipalityPicker {
        height: auto;
        #candidates { height: auto; max-height: 6; display: none; }
        #candidates.-shown { display: block; }
        #chosen { color: $text-success; height: auto; }
    }
    """

    class Changed(Message):
        def __init__(self, picker: MunicipalityPicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> MunicipalityPicker:
            return self.picker

    def __init__(self, code: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.code: str | None = None
        self._initial = code
        self._index: list[dict[str, Any]] = []
        self._label = ""

    def compose(self) -> ComposeResult:
        yield Entry(placeholder=say("picker.placeholder", self.app.lang), id="muni-query")
        yield OptionList(id="candidates")
        yield Static(id="chosen", markup=False)

    def on_mount(self) -> None:
        self.ask("index", lambda r: r.municipality_index(), self._indexed)

    def _indexed(self, index: list[dict[str, Any]]) -> None:
        self._index = index
        chosen = next((m for m in index if m["code"] == self._initial), None)
        if chosen is not None:
            self.choose(chosen["code"])

    def focus(self, scroll_visible: bool = True) -> MunicipalityPicker:
        self.query_one("#muni-query", Entry).focus(scroll_visible)
        return self

    @on(Input.Changed, "#muni-query")
    def narrow(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._label and self.code is not None:
            return
        needle = fold(event.value)
        options = self.query_one("#candidates", OptionList)
        options.clear_options()
        found = [m for m in self._index if needle and needle in m["match"]][:CANDIDATES]
        lang = self.app.lang
        options.add_options(
            Option(
                f"{m['code']} {aside(m['name'], m['name_kana'], lang)} {m['prefecture']}",
                id=m["code"],
            )
            for m in found
        )
        options.set_class(bool(found), "-shown")
        if found:
            options.highlighted = 0
        if self.code is not None:
            self.code = None
            self._show_choice()

    @on(Input.Submitted, "#muni-query")
    def take_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#candidates", OptionList)
        if options.option_count and options.highlighted is not None:
            self.choose(str(options.get_option_at_index(options.highlighted).id))

    @on(OptionList.OptionSelected, "#candidates")
    def take(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(str(event.option.id))
        self.query_one("#muni-query", Entry).focus()

    def on_key(self, event: events.Key) -> None:
        options = self.query_one("#candidates", OptionList)
        query = self.query_one("#muni-query")
        if event.key == "down" and self.screen.focused is query and options.option_count:
            options.focus()
            event.stop()

    def choose(self, code: str) -> None:
        """Make ``code`` the choice (it must be a known municipality)."""
        found = next(m for m in self._index if m["code"] == code)
        self.code = code
        self._label = found["name"]
        query = self.query_one("#muni-query", Entry)
        with query.prevent(Input.Changed):
            query.value = found["name"]
        options = self.query_one("#candidates", OptionList)
        options.clear_options()
        options.remove_class("-shown")
        self._show_choice(f"{found['code']} {found['prefecture']}{found['name']}")

    def _show_choice(self, text: str = "") -> None:
        chosen = self.query_one("#chosen", Static)
        chosen.update(say("picker.chosen", self.app.lang, name=text) if text else "")
        self.post_message(self.Changed(self))


class ExpertPicker(Asking, TickList[str]):
    """Active experts with their specialties, those in the case's topic starred; for a
    case (``case_id``), in the order ``banso suggest`` ranks them, with who supported the
    municipality before said; else those in the topic first."""

    DEFAULT_CSS = """
    ExpertPicker { height: auto; max-height: 10; }
    """

    def __init__(
        self,
        topic: str | None = None,
        chosen: tuple[str, ...] = (),
        *,
        case_id: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.topic = topic
        self.chosen = set(chosen)
        self.case_id = case_id

    def on_mount(self) -> None:
        case_id = self.case_id
        if case_id is None:
            self.ask("experts", lambda r: r.experts(None), self._listed)
        else:
            self.ask("experts", lambda r: (r.experts(None), r.suggest(case_id, None)), self._ranked)

    def _ranked(self, found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        experts, ranked = found
        order = {r["expert"]: (i, r) for i, r in enumerate(ranked)}
        why = {
            e: r["reasons"][int(r["on_case"])]
            for e, (_, r) in order.items()
            if r["municipality_visits"] or r["municipality_cases"]
        }
        experts = sorted(experts, key=lambda e: order.get(e["expert"], (len(order), None))[0])
        self._listed(experts, why, ranked=True)

    def _listed(
        self,
        experts: list[dict[str, Any]],
        why: dict[str, str] | None = None,
        *,
        ranked: bool = False,
    ) -> None:
        lang = self.app.lang
        active = [e for e in experts if not e["retired"] or e["expert"] in self.chosen]
        if not ranked:
            active.sort(key=lambda e: (self.topic not in e["specialties"], e["expert"]))
        self.clear_options()
        for e in active:
            star = "★" if self.topic in e["specialties"] else " "
            topics = listed((topic_label(t, lang) for t in e["specialties"]), lang) or "-"
            label = f"{star} {e['expert']} {e['name']}  {topics}  ({say('col.open_cases', lang)} {e['open_cases']})"
            if why and e["expert"] in why:
                label += f"  ↺ {why[e['expert']]}"
            self.add_option(Selection(label, e["expert"], e["expert"] in self.chosen))
        if self.option_count:
            self.highlighted = 0
