"""The recording commands of a case, one form each: what the case screen's keys open."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.widgets import Checkbox, Select

from events.case import RESOLUTIONS
from tracker.application.commands import Banso
from tracker.language.words import label
from tui.forms.base import FormScreen, day_of
from tui.forms.fields import Field, date_entry, date_problem
from tui.forms.pickers import ExpertPicker
from tui.widgets.entry import Entry, Memo


class CaseForm(FormScreen):
    """A form about one case; its ``number`` is what the command is given."""

    def __init__(self, case: dict[str, Any]) -> None:
        super().__init__()
        self.case = case
        self.number: str = case["case"]

    def context(self) -> str:
        c = self.case
        return f"{c['case']}  {c['municipality_name']}  {c['summary']}"

    def on_field(self) -> Field:
        return Field("on", self.s("field.on"), date_entry(self.today), required=True)

    def done(self, result: Any, values: dict[str, Any]) -> Any:
        return f"{self.number} {self.s(self.title_key)}"


class ApplyForm(CaseForm):
    title_key = "title.apply"

    def fields(self) -> Iterable[Field]:
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.apply_for_dispatch(self.number, on=day_of(values["on"]))


class DispatchForm(CaseForm):
    title_key = "title.dispatch"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "experts",
            self.s("field.experts"),
            ExpertPicker(self.case["topic"]),
            required=True,
            hint=self.s("picker.topic_match"),
        )
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "experts" and not value:
            return self.s("form.pick_expert")
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.decide_dispatch(
            self.number, values["experts"], on=day_of(values["on"])
        )


class VisitForm(CaseForm):
    title_key = "title.visit"

    def fields(self) -> Iterable[Field]:
        yield Field("report", self.s("field.report"), Memo(), required=True)
        chosen = tuple(e["id"] for e in self.case["experts"])
        yield Field(
            "experts", self.s("field.visit_experts"), ExpertPicker(self.case["topic"], chosen)
        )
        yield Field("online", self.s("field.online"), Checkbox(self.s("field.online")))
        yield Field("next_steps", self.s("field.next_steps"), Memo())
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
    dates: ClassVar[tuple[str, ...]] = ("on",)

    def fields(self) -> Iterable[Field]:
        yield Field("due", self.s("field.due"), date_entry(None), required=True)
        yield Field("note", self.s("field.note"), Entry())
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name == "due" and value:
            problem = date_problem(value, self.lang, today=self.today, future=True)
            if problem:
                return problem
            on = values.get("on") or ""
            if not date_problem(on, self.lang, today=self.today) and value < on:
                return self.s("form.due_before_on")
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.schedule_follow_up(
            self.number, due=day_of(values["due"]), note=values["note"], on=day_of(values["on"])
        )


class FollowUpDoneForm(CaseForm):
    title_key = "title.follow_up_done"

    def fields(self) -> Iterable[Field]:
        yield Field("note", self.s("field.note"), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.complete_follow_up(
            self.number, note=values["note"], on=day_of(values["on"])
        )


class NoteForm(CaseForm):
    title_key = "title.note"

    def fields(self) -> Iterable[Field]:
        yield Field("text", self.s("field.text"), Memo(), required=True)
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.add_note(self.number, values["text"], on=day_of(values["on"]))


class FeedbackForm(CaseForm):
    title_key = "title.feedback"

    def fields(self) -> Iterable[Field]:
        ratings = [("★" * n + "☆" * (5 - n) + f" {n}", n) for n in range(5, 0, -1)]
        yield Field("rating", self.s("field.rating"), Select(ratings, prompt="----"), required=True)
        yield Field("comment", self.s("field.comment"), Memo())
        yield self.on_field()

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        return lambda app: app.receive_feedback(
            self.number, rating=values["rating"], comment=values["comment"], on=day_of(values["on"])
        )


class CloseForm(CaseForm):
    title_key = "title.close"

    def fields(self) -> Iterable[Field]:
        choices = [(label(r, self.lang), r) for r in RESOLUTIONS]
        yield Field(
            "resolution", self.s("field.resolution"), Select(choices, prompt="----"), required=True
        )
        yield Field("note", self.s("field.note"), Memo())
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

    def fields(self) -> Iterable[Field]:
        yield Field("note", self.s("field.note"), Memo())
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
