"""The secretariat's morning: what is stalling, what falls due, who is silent, the year so far."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from projections.rules import RULES
from tui.screens.base import BansoScreen
from tui.text import number, percent
from tui.widgets.month_chart import MonthChart
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say


class DashboardScreen(BansoScreen):
    """Four panels; Enter on a row opens its case or municipality.

    Until its first answer a panel says it is loading, in plain words: Textual's animated
    indicators would be redrawn many times a second at start-up, taking the interpreter
    from the threads working out the answers."""

    section = "dashboard"
    PANELS = ("stalled", "due", "silent", "figures")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "b.refresh", id="reload"),
    ]

    def body(self) -> ComposeResult:
        with VerticalScroll(id="dashboard-scroll"), Horizontal(id="dashboard"):
            with Vertical(id="dashboard-left"):
                with Vertical(id="stalled-panel", classes="panel"):
                    yield RecordTable(
                        [
                            Column(say("col.case", self.lang), whole=True),
                            Column(say("col.municipality", self.lang), whole=True),
                            Column(say("col.days", self.lang), align="right", whole=True),
                            Column(say("col.since", self.lang), width=10),
                            Column(say("col.summary", self.lang), grow=True),
                        ],
                        id="stalled",
                        empty=say("loading", self.lang),
                    )
                with Vertical(id="due-panel", classes="panel"):
                    yield RecordTable(
                        [
                            Column(say("col.due", self.lang), width=10),
                            Column(say("col.due_kind", self.lang), whole=True),
                            Column(say("col.case", self.lang), whole=True),
                            Column(say("col.municipality", self.lang), whole=True),
                            Column(say("col.summary", self.lang), grow=True),
                        ],
                        id="due",
                        empty=say("loading", self.lang),
                    )
            with Vertical(id="dashboard-right"):
                with Vertical(id="figures-panel", classes="panel"):
                    yield Static(say("loading", self.lang), id="figures")
                    chart = MonthChart(id="chart")
                    chart.display = False  # empty bars would read as a year without work
                    yield chart
                with Vertical(id="silent-panel", classes="panel"):
                    yield RecordTable(
                        [
                            Column(say("col.municipality", self.lang), whole=True),
                            Column(say("col.population", self.lang), align="right", whole=True),
                            Column(say("col.it_staff", self.lang), align="right", whole=True),
                            Column(say("col.last_engagement", self.lang), width=10),
                        ],
                        id="silent",
                        empty=say("loading", self.lang),
                    )

    def on_mount(self) -> None:
        self.waiting: set[str] = set(self.PANELS)  # still without their first answer
        self.query_one("#stalled", RecordTable).focus()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        as_of = self.app.as_of
        self.ask("stalled", lambda r: r.stalled(as_of), self.show_stalled)
        self.ask("due", lambda r: r.due_soon(as_of), self.show_due)
        self.ask("silent", lambda r: r.silent(as_of), self.show_silent)
        self.ask("figures", lambda r: r.figures(None, as_of), self.show_figures)

    # ---- panels --------------------------------------------------------------------------

    def show_stalled(self, stalls: list[dict[str, Any]]) -> None:
        counts = Counter(r["rule"] for r in stalls)
        rows: list[Row] = []
        for rule in RULES:
            if not counts[rule]:
                continue
            heading = say(
                "dash.group", self.lang, rule=say(f"rule.{rule}", self.lang), n=counts[rule]
            )
            rows.append(Row(f"rule:{rule}", (heading,), style="group"))
            rows += [
                Row(
                    f"{rule}:{r['case_id']}",
                    (
                        r["case"],
                        r["municipality_name"],
                        say(f"count.{r['day_kind']}", self.lang, n=r["days"]),
                        r["since"],
                        r["summary"],
                    ),
                    data=r,
                )
                for r in stalls
                if r["rule"] == rule
            ]
        self._fill(
            "stalled", rows, say("dash.stalled", self.lang, n=len({r["case"] for r in stalls}))
        )

    def show_due(self, answer: dict[str, Any]) -> None:
        due = answer["due"]
        rows = [
            Row(
                f"{c['kind']}:{c['case_id']}",
                (
                    c["due"],
                    say(f"coming.kind.{c['kind']}", self.lang),
                    c["case"],
                    c["municipality_name"],
                    c["text"] or c["summary"],
                ),
                data=c,
            )
            for c in due
        ]
        self._fill("due", rows, say("dash.due", self.lang, days=answer["within"], n=len(due)))

    def show_silent(self, silent: list[dict[str, Any]]) -> None:
        rows = [
            Row(
                m["municipality"],
                (
                    m["name"],
                    number(m["population"]),
                    number(m["it_staff"]),
                    m["last_engagement"] or "-",
                ),
                data=m,
            )
            for m in silent
        ]
        self._fill("silent", rows, say("dash.silent", self.lang, n=len(silent)))

    def show_figures(self, figures: dict[str, Any]) -> None:
        panel = self.query_one("#figures-panel")
        panel.border_title = say("dash.figures", self.lang, year=figures["fiscal_year"])
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim")
        grid.add_column(justify="right", min_width=5)
        grid.add_column(min_width=2)
        grid.add_column(style="dim")
        grid.add_column(justify="right", min_width=5)
        pairs = [
            ("dash.consultations", number(figures["consultations"])),
            ("dash.applications", number(figures["applications"])),
            ("dash.dispatches", number(figures["dispatches"])),
            ("dash.visits", number(figures["visits"])),
            ("dash.follow_ups_done", number(figures["follow_ups_done"])),
            ("dash.continuity_rate", percent(figures["continuity_rate"])),
            ("dash.decisions_within_7_days", number(figures["decisions_within_7_days"])),
            (
                "dash.municipalities_engaged",
                f"{figures['municipalities_engaged']}/{figures['municipalities_total']}",
            ),
        ]
        for i in range(0, len(pairs), 2):
            (a, x), (b, y) = pairs[i], pairs[i + 1]
            grid.add_row(say(a, self.lang), f"[b]{x}[/b]", "", say(b, self.lang), f"[b]{y}[/b]")
        self.query_one("#figures", Static).update(grid)
        chart = self.query_one("#chart", MonthChart)
        chart.values = tuple(m["consultations"] for m in figures["by_month"])
        chart.border_title = say("dash.chart", self.lang)
        chart.display = True
        self._answered("figures")

    def _fill(self, name: str, rows: list[Row], title: str) -> None:
        self.query_one(f"#{name}-panel").border_title = title
        table = self.query_one(f"#{name}", RecordTable)
        table.empty = say("none", self.lang)
        table.load(rows)
        self._answered(name)

    def _answered(self, panel: str) -> None:
        """Once every panel shows its answer, tell the app (it times a cold start by that)."""
        self.waiting.discard(panel)
        if not self.waiting:
            self.app.dashboard_painted()

    # ---- opening -------------------------------------------------------------------------

    @on(RecordTable.Selected, "#stalled, #due")
    def open_case(self, event: RecordTable.Selected) -> None:
        self.app.open_case(event.row.data["case"])

    @on(RecordTable.Selected, "#silent")
    def open_municipality(self, event: RecordTable.Selected) -> None:
        self.app.open_municipality(event.row.data["municipality"])
