"""A fiscal year's figures (年度, April to March): the key numbers, by month, by topic."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Select, Static

from tracker.domain.dates import era_fiscal_year
from tracker.domain.fiscal import fiscal_year
from tracker.domain.topics import topic_label
from tui.screens.base import BansoScreen
from tui.text import number, percent
from tui.widgets.month_chart import MonthChart
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import days, say

#: ``[`` and ``]`` side by side in the Footer: "[] 年度".
YEARS = Binding.Group("g.years", compact=True)

KEY_FIGURES = (
    "consultations",
    "applications",
    "dispatches",
    "decisions_within_7_days",
    "median_days_to_decision",
    "visits",
    "follow_ups_done",
    "continuity_rate",
    "municipalities_engaged",
    "outreach",
    "feedback",
)


class FiguresScreen(BansoScreen):
    """``[`` and ``]`` step through the years; the list at the top picks one."""

    section = "figures"
    AUTO_FOCUS = "#figures-body"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "year(-1)", "b.prev_year", id="prev-year", group=YEARS),
        Binding("right_square_bracket", "year(1)", "b.next_year", id="next-year", group=YEARS),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year: int | None = None
        self.years: list[int] = []

    def body(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            yield Select[int]([], id="year", allow_blank=True, prompt="----")
            yield Static(say("fig.hint", self.lang), id="year-hint", classes="count", markup=False)
        with VerticalScroll(id="figures-body"):
            with Horizontal(id="figures-top"):
                yield Static(id="key-figures")
                with Vertical(id="chart-box"):
                    yield Label(say("dash.chart", self.lang), classes="chart-label")
                    yield MonthChart(id="year-chart")
            with Horizontal(id="figures-tables"):
                yield RecordTable(
                    [
                        Column(say("col.month", self.lang), width=7),
                        Column(say("col.consultations", self.lang), align="right", whole=True),
                        Column(say("col.dispatches", self.lang), align="right", whole=True),
                        Column(say("col.visits", self.lang), align="right", whole=True),
                        Column(say("col.follow_ups_done", self.lang), align="right", whole=True),
                    ],
                    id="by-month",
                )
                yield RecordTable(
                    [
                        Column(say("col.topic", self.lang), grow=True, min_width=12),
                        Column(say("col.consultations", self.lang), align="right", whole=True),
                        Column(say("col.share", self.lang), width=18),
                    ],
                    id="by-topic",
                    empty=say("none", self.lang),
                )

    def reload(self) -> None:
        as_of = self.app.as_of
        year = self.year
        if year is not None and year > fiscal_year(as_of or self.app.reader.today()):
            year = None
        self.ask("years", lambda r: r.fiscal_years(as_of), self.show_years)
        self.ask("figures", lambda r: r.figures(year, as_of), self.show)

    def show_years(self, years: list[int]) -> None:
        self.years = years
        select = self.query_one("#year", Select)
        with self.prevent(Select.Changed):
            select.set_options([(self._title(y), y) for y in reversed(years)])
            if self.year in years:
                select.value = self.year

    def show(self, figures: dict[str, Any]) -> None:
        self.year = figures["fiscal_year"]
        select = self.query_one("#year", Select)
        if self.year in self.years and select.value != self.year:
            with self.prevent(Select.Changed):
                select.value = self.year
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column(justify="right", style="bold")
        for key in KEY_FIGURES:
            grid.add_row(say(f"fig.{key}", self.lang), self._value(key, figures))
        self.query_one("#key-figures", Static).update(grid)
        months = figures["by_month"]
        self.query_one("#year-chart", MonthChart).values = tuple(m["consultations"] for m in months)
        self.query_one("#by-month", RecordTable).load(
            [
                Row(
                    m["month"],
                    (
                        self._month(m["month"]),
                        str(m["consultations"]),
                        str(m["dispatches"]),
                        str(m["visits"]),
                        str(m["follow_ups_done"]),
                    ),
                )
                for m in months
            ]
        )
        total = sum(t["consultations"] for t in figures["by_topic"]) or 1
        top = max((t["consultations"] for t in figures["by_topic"]), default=1)
        self.query_one("#by-topic", RecordTable).load(
            [
                Row(
                    str(t["topic"]),
                    (
                        topic_label(
                            t["topic"] or "-", self.lang, figures["topics"].get(t["topic"])
                        ),
                        str(t["consultations"]),
                        f"{'█' * max(1, round(t['consultations'] / top * 12))} "
                        f"{t['consultations'] / total * 100:.0f}%",
                    ),
                )
                for t in figures["by_topic"]
            ]
        )

    def _value(self, key: str, f: dict[str, Any]) -> str:
        value = f[key]
        if key == "continuity_rate":
            return percent(value)
        if key == "municipalities_engaged":
            return say("fig.of_total", self.lang, n=value, total=f["municipalities_total"])
        if key == "median_days_to_decision":
            return "-" if value is None else days(f"{value:g}", self.lang)
        if key == "feedback":
            mean = value["mean_rating"]
            if mean is None:
                return "-"
            return say("fig.rating", self.lang, mean=f"{mean:.2f}", n=value["count"])
        return number(value)

    def _title(self, year: int) -> str:
        return say("fig.title", self.lang, year=year, era=era_fiscal_year(year), next=year + 1)

    def _month(self, month: str) -> str:
        m = int(month[5:])
        return say(f"month.{m}", self.lang)

    @on(Select.Changed, "#year")
    def year_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.year:
            self.year = event.value
            self.reload()

    def action_year(self, step: int) -> None:
        if self.year is None or not self.years:
            return
        year = min(max(self.year + step, self.years[0]), self.years[-1])
        if year != self.year:
            self.year = year
            self.reload()
