"""Correcting (訂正) or withdrawing (取消) an entry of a history: one form each.

The entry is the one highlighted in a case's history or a municipality's timeline. The
correction form starts from the entry as it reads now and records only what was changed
in it; nothing is ever edited in place: either form records one new event, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from events import case as case_events
from tracker.application.commands import Banso
from tracker.domain.amending import CORRECTABLE, TEXT_FIELD
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry, date_problem, whole_number
from tui.forms.pickers import ExpertPicker
from tui.widgets.entry import Entry, Memo
from tui.words import say

#: The kinds of entry by name, and the fields a correction may change of each.
AMENDABLE: dict[str, tuple[str, ...]] = {
    kind.__name__: fields for kind, fields in CORRECTABLE.items()
}
TEXT: dict[str, str] = {kind.__name__: field for kind, field in TEXT_FIELD.items()}


@dataclass(frozen=True)
class Target:
    """The entry a form amends: whose it is, its number and kind, and what it says now."""

    case: str | None  # the case's number, or None for a municipality's own entry
    code: str  # the municipality's code
    subject: str  # what the form's context line names (the case, or the municipality)
    entry: int
    kind: str
    on: str
    data: dict[str, Any]
    text: str  # how the history shows it
    topic: str | None = None  # the case's topic (the expert picker stars its specialists)

    @property
    def fields(self) -> tuple[str, ...]:
        return AMENDABLE.get(self.kind, ())


class AmendForm(FormScreen):
    """A form about one entry; subclasses record its correction or its withdrawal."""

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def context(self) -> str:
        t = self.target
        kind = say(f"kind.{t.kind}", self.lang)
        return f"{t.subject}  #{t.entry} {t.on} {kind}  {t.text}"

    def reason_field(self) -> Field:
        return Field("reason", say("input.reason", self.lang), Entry(), required=True)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return f"{self.target.subject} #{self.target.entry} {say(self.title_key, self.lang)}"


class CorrectForm(AmendForm):
    """Correct the entry: its text, the fields its kind has, its date."""

    title_key = "title.correct"
    dates: ClassVar[tuple[str, ...]] = ("on",)

    def fields(self) -> Iterable[Field]:
        t, lang = self.target, self.lang
        d = t.data
        if t.kind in TEXT:
            yield Field("text", say("input.text", lang), Memo(d.get(TEXT[t.kind]) or ""))
        if "next_steps" in t.fields:
            steps = "\n".join(d.get("next_steps") or ())
            yield Field("next_steps", say("input.next_steps", lang), Memo(steps))
        if "experts" in t.fields:
            chosen = tuple(d.get("experts") or ())
            yield Field("experts", say("input.experts", lang), ExpertPicker(t.topic, chosen))
        if "due" in t.fields:
            due = (
                date.fromisoformat(d["due"]) if d.get("due") else None
            )  # a commitment may have none
            yield Field("due", say("input.due", lang), date_entry(due))
        for name in ("role", "email", "phone", "it_staff", "population"):
            if name in t.fields:
                value = d.get(name)
                yield Field(
                    name, say(f"input.{name}", lang), Entry("" if value is None else str(value))
                )
        yield Field(
            "on", say("input.on", lang), date_entry(date.fromisoformat(t.on)), required=True
        )
        yield self.reason_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "due" and value:
            return date_problem(value, self.lang, today=self.today, future=True)
        if name in ("it_staff", "population") and value and whole_number(value) is None:
            return say("form.number", self.lang)
        if name == "experts" and not value:
            return say("form.pick_expert", self.lang)
        return super().problem(name, value, values)

    def changes(self, values: dict[str, Any]) -> dict[str, Any]:
        """The corrections typed: each field whose value differs from the entry's."""
        t, d = self.target, self.target.data
        found: dict[str, Any] = {}
        if "text" in values and values["text"] != (d.get(TEXT[t.kind]) or ""):
            found["text"] = values["text"]
        if "next_steps" in values:
            steps = [line.strip() for line in values["next_steps"].splitlines() if line.strip()]
            if steps != list(d.get("next_steps") or ()):
                found["next_steps"] = steps
        if "experts" in values and sorted(values["experts"]) != sorted(d.get("experts") or ()):
            found["experts"] = values["experts"]
        if values.get("due") and day_of(values["due"]).isoformat() != d.get("due"):
            found["due"] = day_of(values["due"])  # typed in any form the desk writes dates
        for name in ("role", "email", "phone"):
            if name in values and values[name] != (d.get(name) or ""):
                found[name] = values[name]
        for name in ("it_staff", "population"):
            if name in values and whole_number(values[name]) != d.get(name):
                found[name] = whole_number(values[name])
        if day_of(values["on"]).isoformat() != t.on:
            found["entry_on"] = day_of(values["on"])
        return found

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        t, changes, reason = self.target, self.changes(values), values["reason"]
        if t.case is not None:
            return lambda app: app.correct_case_entry(t.case, t.entry, reason=reason, **changes)
        return lambda app: app.correct_municipality_entry(t.code, t.entry, reason=reason, **changes)


class WithdrawForm(AmendForm):
    """Withdraw the entry (a case's opening: the whole case), saying why."""

    title_key = "title.withdraw"

    def fields(self) -> Iterable[Field]:
        whole_case = self.target.kind == case_events.CaseOpened.__name__
        hint = say("form.withdraws_case", self.lang) if whole_case else None
        yield Field("reason", say("input.reason", self.lang), Entry(), required=True, hint=hint)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        t, reason = self.target, values["reason"]
        if t.case is not None:
            return lambda app: app.withdraw_case_entry(t.case, t.entry, reason=reason)
        return lambda app: app.withdraw_municipality_entry(t.code, t.entry, reason=reason)
