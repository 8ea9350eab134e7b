"""The recording commands of a case, one form each: what the case screen's keys open."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar

from textual.widgets import Select

from events.case import RESOLUTIONS
from projections.describe import numbered
from tracker.application.commands import Banso
from tracker.domain.commitments import Promise
from tracker.domain.errors import BansoError
from tracker.domain.owners import MUNICIPALITY, Owner, parse_owner
from tracker.language import error_message
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry, date_problem
from tui.forms.pickers import ExpertPicker
from tui.widgets.entry import Entry, Memo
from tui.widgets.ticks import Tick
from tui.words import say


class CaseForm(FormScreen):
    """A form about one case; its ``number`` is what the command is given."""

    #: What the day the step happened on is called in this form (申請日 for an application).
    on_label: ClassVar[str] = "input.on"

    def __init__(self, case: dict[str, Any]) -> None:
        super().__init__()
        self.case = case
        self.number: str = case["case"]

    def context(self) -> str:
        c = self.case
        return f"{c['case']}  {c['municipality_name']}  {c['summary']}"

    def on_field(self) -> Field:
        return Field("on", say(self.on_label, self.lang), date_entry(self.today), required=True)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return f"{self.number} {say(self.title_key, self.lang)}"


class ApplyForm(CaseForm):
    title_key = "title.apply"
    on_label = "input.on.apply"

    def fields(self) -> Iterable[Field]:
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.apply_for_dispatch(self.number, on=day_of(values["on"]))


class DispatchForm(CaseForm):
    title_key = "title.dispatch"
    on_label = "input.on.dispatch"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "experts",
            say("input.experts", self.lang),
            ExpertPicker(self.case["topic"], case_id=self.case["id"]),
            required=True,
            hint=say("picker.ranked", self.lang),
        )
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "experts" and not value:
            return say("form.pick_expert", self.lang)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.decide_dispatch(
            self.number, values["experts"], on=day_of(values["on"])
        )


class VisitForm(CaseForm):
    """A visit and its next steps, one a line: ``内容｜担当｜期限`` as ``banso visit`` takes
    ``--next-step`` with its own ``--next-step-owner`` and ``--next-step-due``; a line that
    names no owner or due date gets the form's (the municipality, no date by default)."""

    title_key = "title.visit"
    on_label = "input.on.visit"

    def fields(self) -> Iterable[Field]:
        yield Field("report", say("input.report", self.lang), Memo(), required=True)
        chosen = tuple(e["id"] for e in self.case["experts"])
        yield Field(
            "experts",
            say("input.visit_experts", self.lang),
            ExpertPicker(self.case["topic"], chosen),
        )
        yield Field("online", say("input.online", self.lang), Tick(say("input.online", self.lang)))
        yield Field(
            "next_steps",
            say("input.next_steps", self.lang),
            Memo(),
            hint=say("input.next_steps_hint", self.lang),
        )
        yield from owner_fields(self.case, self.lang, "steps_", label="input.steps_owner")
        yield Field("steps_due", say("input.steps_due", self.lang), date_entry(None))
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "steps_due" and value:
            return due_problem(value, values, self.lang, self.today)
        if name == "next_steps" and value:
            for n, line in enumerate(step_lines(value), 1):
                problem = self._line_problem(line, values)
                if problem:
                    return say("form.step_line", self.lang, n=n, problem=problem)
        return super().problem(name, value, values)

    def _line_problem(self, parts: list[str], values: dict[str, Any]) -> str | None:
        if len(parts) > len(STEP_PARTS) or not parts[0]:
            return say("form.step_shape", self.lang)
        if len(parts) > 1 and parts[1]:
            try:
                parse_owner(parts[1], "next_step_owner")
            except BansoError as error:
                return error_message(error, self.lang)
        if len(parts) > 2 and parts[2]:
            return due_problem(parts[2], values, self.lang, self.today)
        return None

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        owner = owner_of(values, "steps_")
        due = day_of(values["steps_due"]) if values["steps_due"] else None
        steps = [self._promise(parts, owner, due) for parts in step_lines(values["next_steps"])]
        return lambda app: app.report_visit(
            self.number,
            report=values["report"],
            experts=values["experts"],
            online=values["online"],
            next_steps=steps,
            on=day_of(values["on"]),
        )

    def _promise(self, parts: list[str], owner: Owner, due: date | None) -> Promise:
        """A line's next step: its own owner and due date where it names them (an expert of
        the case by name as by id), else the form's."""
        text, who, when = (*parts, "", "")[: len(STEP_PARTS)]
        if who:
            owner = parse_owner(who, "next_step_owner")
            named = {e["name"]: e["id"] for e in self.case["experts"]}
            if owner.kind == "expert" and owner.name in named:
                owner = Owner("expert", named[owner.name])
        return Promise(text, owner, day_of(when) if when else due)


#: What a next step's line says, in order, between ``｜`` (or ``|``): only the first is needed.
STEP_PARTS = ("text", "owner", "due")
_BAR = re.compile("[|｜]")


def step_lines(text: str) -> list[list[str]]:
    """The next steps typed, one a line: each line's parts, stripped (blank lines left out)."""
    return [[p.strip() for p in _BAR.split(line)] for line in text.splitlines() if line.strip()]


def owner_fields(
    case: dict[str, Any], lang: str, prefix: str = "", label: str = "input.owner"
) -> Iterable[Field]:
    """Who owes it: the municipality, the secretariat (one of its members, if named) or one
    of the case's experts."""
    choices = [(say(f"owner.{kind}", lang), kind) for kind in ("municipality", "secretariat")]
    choices += [(f"{e['id']} {e['name']}", e["id"]) for e in case["experts"]]
    owner = Select(choices, value="municipality", allow_blank=False)
    yield Field(f"{prefix}owner", say(label, lang), owner, required=True)
    member = Entry(placeholder=say("input.member_hint", lang))
    yield Field(f"{prefix}member", say("input.member", lang), member)


def owner_of(values: dict[str, Any], prefix: str = "") -> Owner:
    """The owner ``owner_fields`` were given."""
    kind = values[f"{prefix}owner"]
    if kind == "municipality":
        return MUNICIPALITY
    if kind == "secretariat":
        return Owner("secretariat", values[f"{prefix}member"] or None)
    return Owner("expert", kind)


def due_problem(value: str, values: dict[str, Any], lang: str, today: Any) -> str | None:
    """Why a due date cannot be given: not a date, or before the day it is set on."""
    problem = date_problem(value, lang, today=today, future=True)
    if problem:
        return problem
    on = values.get("on") or ""
    if not date_problem(on, lang, today=today) and day_of(value) < day_of(on):
        return say("form.due_before_on", lang)
    return None


class CommitForm(CaseForm):
    """A commitment made on the case (``case commit``): what, who owes it, by when."""

    title_key = "title.commit"
    on_label = "input.on.commit"

    def fields(self) -> Iterable[Field]:
        yield Field("text", say("input.promise", self.lang), Entry(), required=True)
        yield from owner_fields(self.case, self.lang)
        yield Field("due", say("input.commitment_due", self.lang), date_entry(None))
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "due" and value:
            return due_problem(value, values, self.lang, self.today)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        due = day_of(values["due"]) if values["due"] else None
        return lambda app: app.commit(
            self.number,
            values["text"],
            owner=owner_of(values),
            due=due,
            on=day_of(values["on"]),
        )


def pick_field(name: str, label: str, choices: list[tuple[str, int]]) -> Field:
    """One of the case's numbered items (a commitment, a follow-up) to act on; chosen
    already when it is the only one."""
    return Field(
        name, label, Select(choices, prompt="----", allow_blank=len(choices) != 1), required=True
    )


class SettlingForm(CaseForm):
    """One of the case's open items done or cancelled, with a note: what settling a
    commitment and a follow-up share (the item, the outcome, the note, the day)."""

    #: The label of the item picked, and the ``Banso`` commands that settle one, by outcome.
    item_label: ClassVar[str]
    commands: ClassVar[dict[str, str]]

    def items(self) -> list[tuple[str, int]]:
        """The items that may be settled, as (what the picker shows, number)."""
        raise NotImplementedError

    def note_widget(self) -> Entry | Memo:
        return Entry()

    def fields(self) -> Iterable[Field]:
        yield pick_field("number", say(self.item_label, self.lang), self.items())
        outcomes = [(say(f"commitment.{o}", self.lang), o) for o in self.commands]
        yield Field(
            "outcome",
            say("input.outcome", self.lang),
            Select(outcomes, value="done", allow_blank=False),
            required=True,
        )
        yield Field("note", say("input.note", self.lang), self.note_widget())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        number, note, on = values["number"], values["note"], day_of(values["on"])
        name = self.commands[values["outcome"]]
        return lambda app: getattr(app, name)(self.number, number, note=note, on=on)


class SettleForm(SettlingForm):
    """An open commitment kept or cancelled (``case commitment-done`` / ``-cancel``)."""

    title_key = "title.settle"
    on_label = "input.on.settle"
    item_label = "input.commitment"
    commands: ClassVar[dict[str, str]] = {
        "done": "complete_commitment",
        "cancelled": "cancel_commitment",
    }

    def items(self) -> list[tuple[str, int]]:
        still_open = [c for c in self.case["commitments"] if c["state"] == "open"]
        return [(numbered(c["number"], c["text"], self.lang), c["number"]) for c in still_open]


def pending_follow_ups(case: dict[str, Any], lang: str) -> list[tuple[str, int]]:
    """The case's pending follow-ups as a picker lists them: number, due date and note."""
    return [
        (numbered(f["number"], f"{f['due']} {f['note'] or ''}".rstrip(), lang), f["number"])
        for f in case["follow_ups"]
    ]


class FollowUpForm(CaseForm):
    title_key = "title.follow_up"
    on_label = "input.on.follow_up"
    dates: ClassVar[tuple[str, ...]] = ("on",)

    def fields(self) -> Iterable[Field]:
        yield Field("due", say("input.due", self.lang), date_entry(None), required=True)
        yield Field("note", say("input.note", self.lang), Entry())
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "due" and value:
            return due_problem(value, values, self.lang, self.today)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.schedule_follow_up(
            self.number, due=day_of(values["due"]), note=values["note"], on=day_of(values["on"])
        )


class FollowUpDoneForm(SettlingForm):
    """A pending follow-up done or cancelled (``case follow-up-done`` / ``-cancel``)."""

    title_key = "title.follow_up_done"
    on_label = "input.on.follow_up_done"
    item_label = "input.follow_up"
    commands: ClassVar[dict[str, str]] = {
        "done": "complete_follow_up",
        "cancelled": "cancel_follow_up",
    }

    def items(self) -> list[tuple[str, int]]:
        return pending_follow_ups(self.case, self.lang)

    def note_widget(self) -> Entry | Memo:
        return Memo()


class FollowUpRescheduleForm(CaseForm):
    """A pending follow-up moved to a new due date (``case follow-up-reschedule``)."""

    title_key = "title.follow_up_reschedule"
    on_label = "input.on.follow_up_reschedule"

    def fields(self) -> Iterable[Field]:
        yield pick_field(
            "number", say("input.follow_up", self.lang), pending_follow_ups(self.case, self.lang)
        )
        yield Field("due", say("input.new_due", self.lang), date_entry(None), required=True)
        yield Field("note", say("input.why", self.lang), Entry())
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "due" and value:
            return due_problem(value, values, self.lang, self.today)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.reschedule_follow_up(
            self.number,
            values["number"],
            due=day_of(values["due"]),
            note=values["note"],
            on=day_of(values["on"]),
        )


class NoteForm(CaseForm):
    title_key = "title.note"

    def fields(self) -> Iterable[Field]:
        yield Field("text", say("input.text", self.lang), Memo(), required=True)
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.add_note(self.number, values["text"], on=day_of(values["on"]))


class FeedbackForm(CaseForm):
    title_key = "title.feedback"
    on_label = "input.on.feedback"

    def fields(self) -> Iterable[Field]:
        ratings = [("★" * n + "☆" * (5 - n) + f" {n}", n) for n in range(5, 0, -1)]
        yield Field(
            "rating", say("input.rating", self.lang), Select(ratings, prompt="----"), required=True
        )
        yield Field("comment", say("input.comment", self.lang), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.receive_feedback(
            self.number, rating=values["rating"], comment=values["comment"], on=day_of(values["on"])
        )


class CloseForm(CaseForm):
    title_key = "title.close"
    on_label = "input.on.close"

    def fields(self) -> Iterable[Field]:
        choices = [(say(f"resolution.{r}", self.lang), r) for r in RESOLUTIONS]
        yield Field(
            "resolution",
            say("input.resolution", self.lang),
            Select(choices, prompt="----"),
            required=True,
        )
        yield Field("note", say("input.note", self.lang), Memo())
        still_open = self.still_open
        if still_open:  # the confirmation: what becomes of them
            label = say("input.cancel_open", self.lang, n=len(still_open))
            yield Field("cancel_open", label, Tick(label))
        yield self.on_field()

    @property
    def still_open(self) -> list[dict[str, Any]]:
        return [c for c in self.case["commitments"] if c["state"] == "open"]

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "cancel_open" and not value:
            return say("form.open_commitments", self.lang, n=len(self.still_open))
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.close_case(
            self.number,
            resolution=values["resolution"],
            note=values["note"],
            on=day_of(values["on"]),
            cancel_open=bool(values.get("cancel_open")),
        )


class ReopenForm(CaseForm):
    title_key = "title.reopen"
    on_label = "input.on.reopen"

    def fields(self) -> Iterable[Field]:
        yield Field("note", say("input.note", self.lang), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.reopen_case(
            self.number, note=values["note"], on=day_of(values["on"])
        )


FORMS: dict[str, type[CaseForm]] = {
    "apply": ApplyForm,
    "dispatch": DispatchForm,
    "visit": VisitForm,
    "follow_up": FollowUpForm,
    "follow_up_done": FollowUpDoneForm,
    "follow_up_reschedule": FollowUpRescheduleForm,
    "commit": CommitForm,
    "settle": SettleForm,
    "note": NoteForm,
    "feedback": FeedbackForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}
