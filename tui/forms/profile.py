"""The municipality's profile: IT staff (who is 一人情シス) and population."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tracker.application.commands import Banso
from tui.forms.base import day_of
from tui.forms.contacts import MunicipalityForm
from tui.forms.fields import Field, whole_number
from tui.widgets.entry import Entry
from tui.words import say


class ProfileForm(MunicipalityForm):
    title_key = "title.profile"

    def __init__(self, code: str, name: str, profile: dict[str, Any] | None) -> None:
        super().__init__(code, name)
        self.profile = profile or {}

    def fields(self) -> Iterable[Field]:
        staff = self.profile.get("it_staff")
        yield Field(
            "it_staff", say("input.it_staff", self.lang), Entry("" if staff is None else str(staff))
        )
        yield Field("population", say("input.population", self.lang), Entry())
        yield self.on_field()

    def problem(self, name: str, value: Any, values: dict[str, Any]) -> str | None:
        if name in ("it_staff", "population") and value and whole_number(value) is None:
            return say("form.number", self.lang)
        if name == "it_staff" and not value and not values["population"]:
            return say("form.one_of", self.lang)
        return super().problem(name, value, values)

    def command(self, values: dict[str, Any]) -> Callable[[Banso], Any]:
        staff, population = whole_number(values["it_staff"]), whole_number(values["population"])
        return lambda app: app.update_municipality(
            self.code, it_staff=staff, population=population, on=day_of(values["on"])
        )
