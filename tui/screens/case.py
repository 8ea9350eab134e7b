"""One case: who, what, where it stands, its history, and a key for every recording command.

The history's highlighted entry can be corrected (``e``) or withdrawn (``x``); its ``No.``
is the entry's number, which the command line takes too."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from projections.describe import numbered, owner_label
from projections.queries.commitments import owner_of
from projections.queries.timeline import shown
from tracker.domain.topics import topic_label
from tui.screens.base import BansoScreen
from tui.widgets.record_table import Column, RecordTable, Row
from tui.words import aside, listed, say

#: Which actions a case's state allows (the aggregate enforces the same; this keeps the
#: Footer honest by hiding the keys that could only fail).
ALLOWED = {
    "apply": lambda c: c["status"] == "open",
    "dispatch": lambda c: c["status"] == "open" and bool(c["application_pending_since"]),
    "visit": lambda c: c["status"] == "open",
    "follow_up": lambda c: c["status"] == "open",
    "follow_up_done": lambda c: c["status"] == "open" and bool(c["follow_ups"]),
    "follow_up_reschedule": lambda c: c["status"] == "open" and bool(c["follow_ups"]),
    "commit": lambda c: c["status"] == "open",
    "settle": lambda c: (
        c["status"] == "open" and any(p["state"] == "open" for p in c["commitments"])
    ),
    "note": lambda c: c["status"] != "withdrawn",
    "feedback": lambda c: c["status"] != "withdrawn",
    "close": lambda c: c["status"] == "open",
    "reopen": lambda c: c["status"] == "closed",
    "reassign": lambda c: c["status"] == "open" and bool(c["experts"]),
}


class CaseScreen(BansoScreen):
    """The case header, then its history newest first."""

    section = "cases"
    RECORDING = frozenset({"act", "amend"})

    #: Correcting and withdrawing are rare: their keys are in the help (F1) and the palette,
    #: not the Footer, which 80 columns fill with the recording keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "act('apply')", "b.apply", id="apply"),
        Binding("d", "act('dispatch')", "b.dispatch", id="dispatch"),
        Binding("v", "act('visit')", "b.visit", id="visit"),
        Binding("f", "act('follow_up')", "b.follow_up", id="follow-up"),
        Binding("g", "act('follow_up_done')", "b.follow_up_done", id="follow-up-done"),
        Binding("m", "act('note')", "b.note", id="note"),
        Binding("k", "act('feedback')", "b.feedback", id="feedback"),
        Binding("c", "act('close')", "b.close", id="close"),
        Binding("r", "act('reopen')", "b.reopen", id="reopen"),
        # 80 columns are full: in F1 and the palette, not the Footer
        Binding("h", "act('reassign')", "b.reassign", show=False, id="reassign"),
        Binding("p", "act('commit')", "b.commit", show=False, id="commit"),
        Binding("s", "act('settle')", "b.settle", show=False, id="settle"),
        Binding(
            "y",
            "act('follow_up_reschedule')",
            "b.follow_up_reschedule",
            show=False,
            id="follow-up-reschedule",
        ),
        Binding("e", "amend('correct')", "b.correct", id="correct", show=False),
        Binding("x", "amend('withdraw')", "b.withdraw", id="withdraw", show=False),
        Binding("u", "municipality", "b.municipality", id="municipality"),
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.case: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        yield Static(id="case-header", classes="header", markup=False)
        yield RecordTable(
            [
                Column(say("col.entry", self.lang), min_width=3, max_width=4, align="right"),
                Column(say("col.date", self.lang), width=10),
                Column(say("col.event", self.lang), whole=True),
                Column(say("col.text", self.lang), grow=True),
                Column(say("col.by", self.lang), whole=True),
            ],
            id="history",
            empty=say("none", self.lang),
        )

    def on_mount(self) -> None:
        self.query_one("#history", RecordTable).focus()

    def reload(self) -> None:
        as_of, ref = self.app.as_of, self.ref
        self.ask("case", lambda r: r.case(ref, as_of), self.show)

    def show(self, case: dict[str, Any] | None) -> None:
        self.case = case
        header = self.query_one("#case-header", Static)
        history = self.query_one("#history", RecordTable)
        if case is None:
            header.update(say("case.not_yet", self.lang, case=self.ref))
            history.load([])
            self.refresh_bindings()
            return
        self.ref = case["case"]
        header.update(self._header(case))
        count = len(case["history"])
        history.load(
            [
                Row(
                    str(count - i),
                    (
                        str(e["entry"]),
                        e["date"],
                        e["kind_label"],
                        shown(e, self.lang),
                        e["recorded_by"],
                    ),
                    data=e,
                    style="muted" if e["withdrawn_by"] else "",
                )
                for i, e in enumerate(reversed(case["history"]))
            ]
        )
        self.refresh_bindings()

    def _header(self, c: dict[str, Any]) -> Group:
        lang = self.lang
        status = say(f"status.{c['status']}", lang)
        title = Text.assemble(
            (c["case"], "bold"),
            "  ",
            (c["municipality_name"], "bold"),
            "  ",
            topic_label(c["topic"], lang),
            "  ",
            (
                f" {status} ",
                "reverse" if c["status"] == "open" else "dim reverse",
            ),
        )
        if c["status"] == "closed":
            title.append(
                "  "
                + say(
                    "case.closed",
                    lang,
                    on=c["closed_on"],
                    resolution=say(f"resolution.{c['resolution']}", lang),
                )
            )
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(say("case.summary", self.lang), Text(c["summary"]))
        contact = c["contact"] or (
            say("case.contact_left", self.lang, name=c["original_contact"])
            if c["original_contact"]
            else "-"
        )
        experts = listed((f"{e['id']} {e['name']}" for e in c["experts"]), lang)
        channel = say(f"channel.{c['channel']}", lang)
        grid.add_row(
            say("case.opened", self.lang),
            Text(
                f"{aside(c['opened_on'], channel, lang)}   "
                f"{say('case.contact', lang)}: {contact}   "
                f"{say('case.experts', lang)}: {experts or say('case.no_experts', lang)}"
            ),
        )
        planned = [
            numbered(f["number"], f"{f['due']} {f['note'] or ''}".rstrip(), lang)
            for f in c["follow_ups"]
        ]
        follow_up = listed(planned, lang) or say("case.no_follow_up", self.lang)
        grid.add_row(say("case.follow_up", self.lang), Text(follow_up))
        if c["application_pending_since"]:
            grid.add_row(say("case.pending", self.lang), c["application_pending_since"])
        if c["latest_report"]:
            grid.add_row(say("case.report", self.lang), Text(c["latest_report"]))
        promised = [p for p in c["commitments"] if p["state"] == "open"]
        if promised:
            names = {p["expert"]: p["expert_name"] for p in promised if p["expert_name"]}
            line = Text()
            for i, p in enumerate(promised):
                owner = owner_label(owner_of(p), lang, names)
                due = say("describe.commitment_due", lang, due=p["due"]) if p["due"] else ""
                text = aside(numbered(p["number"], p["text"], lang), owner + due, lang)
                line.append(say("punct.list", lang) if i else "")
                line.append(text, style="bold red" if p["overdue"] else "")
            grid.add_row(say("case.commitments", self.lang), line)
        if c["stalls"]:
            stalls = listed(
                (
                    aside(
                        say(f"rule.{st['rule']}", lang),
                        say(f"count.{st['day_kind']}", lang, n=st["days"]),
                        lang,
                    )
                    for st in c["stalls"]
                ),
                lang,
            )
            grid.add_row(say("case.stalls", self.lang), Text(stalls, style="bold red"))
        return Group(title, grid)

    # ---- acting --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            name = str(parameters[0])
            if self.case is None or not ALLOWED[name](self.case):
                return False
        if action == "amend":
            if self.case is None or self.case["status"] == "withdrawn":
                return False
            entry = self._highlighted()
            if entry is None or not entry["amendable"]:
                return None
        return super().check_action(action, parameters)

    def _highlighted(self) -> dict[str, Any] | None:
        row = self.query_one("#history", RecordTable).current_row
        return None if row is None else row.data

    @on(RecordTable.Highlighted, "#history")
    def _moved(self, event: RecordTable.Highlighted) -> None:
        self.refresh_bindings()  # the keys that amend depend on the entry highlighted

    def action_amend(self, what: str) -> None:
        from tui.forms.amend import CorrectForm, Target, WithdrawForm

        entry = self._highlighted()
        if self.case is None or entry is None or not self.app.can_record:
            return
        case, number = self.case, int(entry["entry"])

        def opened(found: dict[str, Any] | None) -> None:
            if found is None:
                return
            target = Target(
                case=case["case"],
                code=case["municipality"],
                subject=case["case"],
                entry=number,
                kind=found["kind"],
                on=found["date"],
                data=found["data"],
                text=entry["text"],
                topic=case["topic"],
            )
            form = CorrectForm if what == "correct" else WithdrawForm
            self.app.push_screen(form(target), self._recorded)

        self.ask("entry", lambda r: r.entry(case["case"], case["municipality"], number), opened)

    def action_act(self, name: str) -> None:
        from tui.forms.case_steps import FORMS
        from tui.forms.rotation import ReassignForm

        if self.case is None or not self.app.can_record:
            return
        form = ReassignForm if name == "reassign" else FORMS[name]
        self.app.push_screen(form(self.case), self._recorded)

    def _recorded(self, what: str | None) -> None:
        if what:
            self.app.recorded(what)

    def action_municipality(self) -> None:
        if self.case is not None:
            self.app.open_municipality(self.case["municipality"])

    @property
    def context_municipality(self) -> str | None:
        return self.case["municipality"] if self.case else None
