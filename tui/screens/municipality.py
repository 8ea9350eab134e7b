"""One municipality: its timeline, contacts now and before, cases, outreach, and briefing.

The timeline's highlighted entry, the municipality's own or one of its cases', can be
corrected (``c``) or withdrawn (``x``)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from projections.queries.timeline import shown
from tracker.domain.topics import topic_label
from tui.screens.base import BansoScreen
from tui.text import number
from tui.widgets.document import Document
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import say

TABS = ("timeline", "contacts", "cases", "outreach", "briefing")
#: ``[`` and ``]`` side by side in the Footer: "[] タブ".
TABS_KEYS = Binding.Group("g.tabs", compact=True)


class MunicipalityScreen(BansoScreen):
    """What an expert reads before a visit, and where contacts and outreach are recorded."""

    section = "municipalities"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "tab(-1)", "b.prev_tab", id="prev-tab", group=TABS_KEYS),
        Binding("right_square_bracket", "tab(1)", "b.next_tab", id="next-tab", group=TABS_KEYS),
        Binding("a", "assign", "b.assign", id="assign"),
        Binding("t", "transfer", "b.transfer", id="transfer"),
        Binding("o", "outreach", "b.outreach", id="outreach"),
        Binding("p", "profile", "b.profile", id="profile"),
        Binding("e", "export", "b.export", id="export"),
        Binding("c", "amend('correct')", "b.correct", id="correct", show=False),
        Binding("x", "amend('withdraw')", "b.withdraw", id="withdraw", show=False),
    ]
    RECORDING = frozenset({"assign", "transfer", "outreach", "profile", "amend"})

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.profile: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        yield Static(id="muni-header", classes="header", markup=False)
        with TabbedContent(id="tabs"):
            with TabPane(say("tab.timeline", self.lang), id="timeline"):
                yield RecordTable(
                    [
                        Column(
                            say("col.entry", self.lang), min_width=3, max_width=4, align="right"
                        ),
                        Column(say("col.date", self.lang), width=10),
                        Column(say("col.event", self.lang), whole=True),
                        Column(say("col.case", self.lang), whole=True),
                        Column(say("col.text", self.lang), grow=True),
                        Column(say("col.by", self.lang), whole=True),
                    ],
                    id="timeline-table",
                    empty=say("none", self.lang),
                )
            with TabPane(say("tab.contacts", self.lang), id="contacts"):
                yield RecordTable(
                    [
                        Column(say("col.person", self.lang), whole=True),
                        Column(say("col.role", self.lang), whole=True),
                        Column(say("col.start", self.lang), width=10),
                        Column(say("col.end", self.lang), width=10),
                        Column(say("col.predecessor", self.lang), whole=True),
                        Column(say("col.successor", self.lang), whole=True),
                        Column(say("col.reach", self.lang), grow=True),
                    ],
                    id="contacts-table",
                    empty=say("none", self.lang),
                )
            with TabPane(say("tab.cases", self.lang), id="cases"):
                yield RecordTable(
                    [
                        Column(say("col.case", self.lang), whole=True),
                        Column(say("col.status", self.lang), whole=True),
                        Column(say("col.topic", self.lang), max_width=16),
                        Column(say("col.opened", self.lang), width=10),
                        Column(say("col.last_activity", self.lang), width=10),
                        Column(say("col.summary", self.lang), grow=True),
                    ],
                    id="cases-table",
                    empty=say("none", self.lang),
                )
            with TabPane(say("tab.outreach", self.lang), id="outreach"):
                yield RecordTable(
                    [
                        Column(say("col.date", self.lang), width=10),
                        Column(say("col.text", self.lang), grow=True),
                        Column(say("col.by", self.lang), whole=True),
                    ],
                    id="outreach-table",
                    empty=say("none", self.lang),
                )
            with TabPane(say("tab.briefing", self.lang), id="briefing"):
                yield Document(id="briefing-document")

    def on_mount(self) -> None:
        self.query_one("#timeline-table", RecordTable).loading = True

    def reload(self) -> None:
        as_of, code = self.app.as_of, self.code
        self.ask("profile", lambda r: r.municipality(code, as_of), self.show_profile)
        self.ask("timeline", lambda r: r.timeline(code, as_of), self.show_timeline)
        if self.query_one(TabbedContent).active == "briefing":
            self.load_briefing()

    def load_briefing(self) -> None:
        as_of, code = self.app.as_of, self.code
        self.ask("briefing", lambda r: r.briefing(code, as_of), self.show_briefing)

    # ---- showing -------------------------------------------------------------------------

    def show_profile(self, muni: dict[str, Any]) -> None:
        self.profile = muni
        open_cases = sum(1 for c in muni["cases"] if c["status"] == "open")
        self.query_one("#muni-header", Static).update(
            say(
                "muni.header",
                self.lang,
                code=muni["code"],
                prefecture=muni["prefecture"],
                name=muni["name"],
                kana=muni["name_kana"],
                population=number(muni["population"]),
                it_staff=number(muni["it_staff"]),
                open=open_cases,
                last=muni["last_engagement"] or "-",
            )
        )
        self.sub_title = muni["name"]
        current = [self._contact(c, "") for c in muni["contacts"]]
        past = [self._contact(c, "muted") for c in muni["past_contacts"]][::-1]
        rows = [Row("current", (say("contacts.current", self.lang),), style="group"), *current]
        if past:
            rows += [Row("past", (say("contacts.past", self.lang),), style="group"), *past]
        self.query_one("#contacts-table", RecordTable).load(rows)
        cases = sorted(
            muni["cases"], key=lambda c: (c["status"] != "open", c["case"]), reverse=False
        )
        self.query_one("#cases-table", RecordTable).load(
            [
                Row(
                    c["case"],
                    (
                        c["case"],
                        say(f"status.{c['status']}", self.lang),
                        topic_label(c["topic"], self.lang),
                        c["opened_on"],
                        c["last_activity_on"],
                        c["summary"],
                    ),
                    data=c,
                    style="" if c["status"] == "open" else "muted",
                )
                for c in cases
            ]
        )
        self.refresh_bindings()

    def _contact(self, c: dict[str, Any], style: str) -> Row:
        reach = " ".join(filter(None, (c["email"], c["phone"]))) or "-"
        return Row(
            f"{c['name']}/{c['since']}",
            (
                c["name"],
                c["role"],
                c["since"],
                c["until"] or "-",
                c["predecessor"] or "-",
                c["successor"] or "-",
                reach,
            ),
            data=c,
            style=style,
        )

    def show_timeline(self, entries: list[dict[str, Any]]) -> None:
        count = len(entries)
        rows = [
            # numbered from the oldest, so a key survives newer entries arriving
            Row(
                f"{count - i}",
                (
                    str(e["entry"]),
                    e["date"],
                    e["kind_label"],
                    e["case"] or "",
                    shown(e, self.lang),
                    e["recorded_by"],
                ),
                data=e,
                style="muted" if e["withdrawn_by"] else "",
            )
            for i, e in enumerate(entries)
        ]
        table = self.query_one("#timeline-table", RecordTable)
        table.loading = False
        table.load(rows)
        self.query_one("#outreach-table", RecordTable).load(
            [
                Row(row.key, (row.cells[1], row.cells[4], row.cells[5]), data=row.data)
                for row in rows
                if row.data["kind"] == "outreach-recorded" and not row.data["withdrawn_by"]
            ]
        )
        self.refresh_bindings()

    def show_briefing(self, markdown: str) -> None:
        self.query_one("#briefing-document", Document).show(markdown)

    @on(TabbedContent.TabActivated)
    def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "briefing":
            self.load_briefing()
        self.refresh_bindings()  # correcting and withdrawing are the timeline's
        for widget in event.pane.query("RecordTable, Document"):
            widget.focus()
            break

    # ---- acting --------------------------------------------------------------------------

    @on(RecordTable.Selected, "#timeline-table, #cases-table")
    def open_case(self, event: RecordTable.Selected) -> None:
        case = event.row.data.get("case")
        if case:
            self.app.open_case(case)

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = (TABS.index(tabs.active) + step) % len(TABS)
        tabs.active = TABS[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("transfer",) and self.profile is not None and not self.profile["contacts"]:
            return None
        if action == "amend":
            if self.query_one(TabbedContent).active != "timeline":
                return False
            entry = self._highlighted()
            if entry is None or not entry["amendable"]:
                return None
        return super().check_action(action, parameters)

    def _highlighted(self) -> dict[str, Any] | None:
        row = self.query_one("#timeline-table", RecordTable).current_row
        return None if row is None else row.data

    @on(RecordTable.Highlighted, "#timeline-table")
    def _moved(self, event: RecordTable.Highlighted) -> None:
        self.refresh_bindings()  # the keys that amend depend on the entry highlighted

    def action_amend(self, what: str) -> None:
        from tui.forms.amend import CorrectForm, Target, WithdrawForm

        entry = self._highlighted()
        if entry is None or not self.app.can_record:
            return
        code, case, number = self.code, entry["case"], int(entry["entry"])

        def opened(found: dict[str, Any] | None) -> None:
            if found is None:
                return
            target = Target(
                case=case,
                code=code,
                subject=case or self.muni_name(),
                entry=number,
                kind=found["kind"],
                on=found["date"],
                data=found["data"],
                text=entry["text"],
            )
            form = CorrectForm if what == "correct" else WithdrawForm
            self.app.push_screen(form(target), self._recorded)

        self.ask("entry", lambda r: r.entry(case, code, number), opened)

    def action_assign(self) -> None:
        from tui.forms.contacts import AssignContactForm

        self.app.push_screen(AssignContactForm(self.code, self.muni_name()), self._recorded)

    def action_transfer(self) -> None:
        from tui.forms.contacts import TransferContactForm

        contacts = self.profile["contacts"] if self.profile else []
        self.app.push_screen(
            TransferContactForm(self.code, self.muni_name(), contacts), self._recorded
        )

    def action_outreach(self) -> None:
        from tui.forms.outreach import OutreachForm

        self.app.push_screen(OutreachForm(self.code, self.muni_name()), self._recorded)

    def action_profile(self) -> None:
        from tui.forms.profile import ProfileForm

        self.app.push_screen(ProfileForm(self.code, self.muni_name(), self.profile), self._recorded)

    def action_export(self) -> None:
        from tui.forms.export import ExportForm

        self.app.push_screen(ExportForm(self.code, self.muni_name()), self._exported)

    def muni_name(self) -> str:
        return self.profile["name"] if self.profile else self.code

    def _recorded(self, what: str | None) -> None:
        if what:
            self.app.recorded(what)

    def _exported(self, path: str | None) -> None:
        if path:
            self.notify(say("exported", self.lang, path=path), timeout=8, markup=False)

    @property
    def context_municipality(self) -> str | None:
        return self.code
