"""The recording commands of a case, one form each: what the case screen's keys open."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.widgets import Select

from events.case import RESOLUTIONS
from tracker.application.commands import Banso
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
        yield Field("next_steps", say("input.next_steps", self.lang), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        steps = [line.strip() for line in values["next_steps"].splitlines() if line.strip()]
        return lambda app: app.report_visit(
            self.number,
            report=values["report"],
            experts=values["experts"],
            online=values["online"],
            next_steps=steps,
            on=day_of(values["on"]),
        )


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
            problem = date_problem(value, self.lang, today=self.today, future=True)
            if problem:
                return problem
            on = values.get("on") or ""
            if not date_problem(on, self.lang, today=self.today) and day_of(value) < day_of(on):
                return say("form.due_before_on", self.lang)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.schedule_follow_up(
            self.number, due=day_of(values["due"]), note=values["note"], on=day_of(values["on"])
        )


class FollowUpDoneForm(CaseForm):
    title_key = "title.follow_up_done"
    on_label = "input.on.follow_up_done"

    def fields(self) -> Iterable[Field]:
        yield Field("note", say("input.note", self.lang), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.complete_follow_up(
            self.number, note=values["note"], on=day_of(values["on"])
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
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.close_case(
            self.number,
            resolution=values["resolution"],
            note=values["note"],
            on=day_of(values["on"]),
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
    "note": NoteForm,
    "feedback": FeedbackForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}
