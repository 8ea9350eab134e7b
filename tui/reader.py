"""What the TUI asks of banso and records through it; called from worker threads.

Every question goes to the projections' query functions over the read-model connection,
holding its lock (or, answered early in a thread of its own, over a read-only connection
of that thread's). Every recording goes through the application's commands, then catches the
read models up. Nothing here imports Textual, so it is tested and measured on its own, and
``banso tui`` can start answering the dashboard while Textual is still loading. The
dashboard's queries are imported with this module, the other screens' where they are asked
("not at start"): a cold start imports what its first screen needs.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from projections.queries.directory import (
    cases_matching,
    expert_index,
    find_case,
    municipality_index,
)
from projections.queries.due import due_soon
from projections.queries.settings import changed_on, rule_settings
from projections.queries.silent import silent
from projections.queries.stalled import stalled
from projections.queries.stats import fiscal_years, stats
from projections.queries.topics import list_topics
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk
from tracker.desk.config import load_config, set_value, show
from tracker.desk.outputs import checked_output, files_in_use, write_file
from tracker.desk.settings import config_file
from tracker.domain.folding import fold
from tracker.domain.inputs import today as tokyo_today
from tracker.domain.topics import topic_label
from tui.quiet import quiet_collector

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: Questions, each a method's name and its arguments, answered one after another.
Questions = tuple[tuple[str, tuple[Any, ...]], ...]
#: The dashboard's questions about today, in the order its panels fill: what ``banso tui``
#: starts answering before the screen exists (``Reader.answer_early``).
#: Two groups, each answered in a thread of its own: the figures, SQLite's work mostly
#: (which runs without Python's lock), on a connection of their own beside the others,
#: not after them (at national size the four took 0.45 s one after another).
DASHBOARD: tuple[Questions, ...] = (
    (("stalled", (None,)), ("due_soon", (None,)), ("silent", (None,))),
    (("figures", (None, None)),),
)


def answerable_early(method: F) -> F:
    """A question ``Reader.answer_early`` can start: the first call with the same arguments
    takes the answer begun early (waiting for it if need be); later calls ask again."""

    @functools.wraps(method)
    def asking(self: Reader, *args: Any) -> Any:
        early = self._early.pop((method.__name__, args), None)
        return early.result() if early is not None else method(self, *args)

    return asking  # type: ignore[return-value]


@dataclass(frozen=True)
class Found:
    """One thing the command palette can jump to."""

    kind: str  # "municipality" | "case" | "expert"
    ref: str
    title: str
    detail: str
    score: int


class Reader:
    """banso's questions and commands for the screens, safe to call from any thread."""

    def __init__(self, desk: Desk, *, lang: str = "ja", today: date | None = None) -> None:
        self.desk = desk
        self.lang = lang
        self.fixed_today = today
        self._writing = threading.Lock()
        self._seen = desk.views.position()
        self._index: tuple[int, list[dict[str, Any]]] | None = None
        self._early: dict[tuple[str, tuple[Any, ...]], Future[Any]] = {}
        self._answering: list[threading.Thread] = []
        #: The connection a thread answering early reads on, if not the read models' own.
        self._own = threading.local()

    def answer_early(self, groups: tuple[Questions, ...]) -> None:
        """Start answering each group of questions (methods marked ``answerable_early``)
        one after another in a thread of its own, now, so the read models work while the
        caller goes on: ``banso tui`` answers the dashboard while Textual loads. The first
        group reads on the read models' connection, each other one on its own."""
        for number, questions in enumerate(groups):
            started = [((name, args), Future[Any]()) for name, args in questions]
            self._early.update(started)
            thread = threading.Thread(
                target=self._answer, args=(started, number > 0), name="banso-early", daemon=True
            )
            self._answering.append(thread)
            thread.start()

    def _answer(
        self, started: list[tuple[tuple[str, tuple[Any, ...]], Future[Any]]], apart: bool
    ) -> None:
        own = self.desk.views.reading() if apart else None
        self._own.conn = own
        try:
            for (name, args), future in started:
                question = getattr(Reader, name).__wrapped__  # the question, not its answer
                future.set_running_or_notify_cancel()
                try:
                    with quiet_collector():
                        future.set_result(question(self, *args))
                except BaseException as error:  # raised again to whoever asks
                    future.set_exception(error)
        finally:
            if own is not None:
                own.close()

    def finish_early(self) -> None:
        """Wait until the answers begun early are in (before the desk closes under them)."""
        for thread in self._answering:
            thread.join()

    # ---- the day -------------------------------------------------------------------------

    def today(self) -> date:
        """Today in Japan, or the day the app was told it is (tests, snapshots)."""
        return self.fixed_today or tokyo_today()

    def day(self, as_of: date | None) -> date | None:
        """The day to ask about: the as-of date, else a fixed today, else None (now)."""
        return as_of or self.fixed_today

    def _ask(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        own = getattr(self._own, "conn", None)
        if own is not None:  # a thread answering early, on a connection of its own
            return query(own, *args, **kwargs)
        with self.desk.views.lock:
            return query(self.desk.views.conn, *args, **kwargs)

    # ---- the dashboard -------------------------------------------------------------------

    @answerable_early
    def stalled(self, as_of: date | None) -> list[dict[str, Any]]:
        return self._ask(stalled, self.day(as_of))

    @answerable_early
    def due_soon(self, as_of: date | None) -> dict[str, Any]:
        """``due``: decisions and follow-ups coming due within ``within`` office days (the
        rule book's window on the day asked about), soonest first."""
        day = self.day(as_of)
        within = self._ask(rule_settings, day).due_within
        return {"within": within, "due": self._ask(due_soon, day)}

    @answerable_early
    def silent(self, as_of: date | None) -> list[dict[str, Any]]:
        return self._ask(silent, self.day(as_of))

    @answerable_early
    def figures(self, year: int | None, as_of: date | None) -> dict[str, Any]:
        """A fiscal year's figures (default: the year of the day asked about)."""
        figures = self._ask(stats, year, self.day(as_of))
        return figures | {"topics": {t["code"]: t for t in self._ask(list_topics)}}

    def fiscal_years(self, as_of: date | None) -> list[int]:
        """Every fiscal year from the first recorded case to the day asked about."""
        return self._ask(fiscal_years, self.day(as_of))

    # ---- municipalities ------------------------------------------------------------------

    def municipalities(self, as_of: date | None) -> list[dict[str, Any]]:
        """Every municipality, each with ``match``: the text a filter looks in."""
        from projections.queries.municipalities import list_municipalities  # not at start

        found = self._ask(list_municipalities, self.day(as_of))
        for m in found:
            m["match"] = fold(f"{m['code']} {m['name']} {m['name_kana']} {m['prefecture']}")
        return found

    def municipality(self, code: str, as_of: date | None) -> dict[str, Any]:
        from projections.queries.municipalities import show_municipality  # not at start

        return self._ask(show_municipality, code, self.day(as_of))

    def municipality_names(self) -> dict[str, str]:
        return {m["code"]: m["name"] for m in self.municipality_index()}

    def contacts(self, code: str) -> list[dict[str, Any]]:
        """The municipality's current contacts (whom a case or a transfer can name)."""
        return self.municipality(code, None)["contacts"]

    def timeline(self, code: str, as_of: date | None) -> list[dict[str, Any]]:
        """The municipality's history, newest first."""
        from projections.queries.timeline import timeline  # not at start

        return self._ask(timeline, code, self.day(as_of), self.lang)[::-1]

    def briefing(self, code: str, as_of: date | None) -> str:
        from projections.briefing import briefing_markdown  # Markdown's parser: not at start

        # on the desk's own screen, as the municipality's page shows them; a file written
        # from it (``export_briefing``) leaves contacts' e-mail and phone out
        return self._ask(
            briefing_markdown,
            code,
            self.day(as_of),
            self.lang,
            prepared_on=self.fixed_today,
            include_personal=True,
        )

    def export_briefing(self, code: str, path: Path, html: bool, as_of: date | None) -> Path:
        """Write the briefing to ``path`` (Markdown or HTML); returns the path written."""
        from projections.briefing import briefing_html, briefing_markdown

        write = briefing_html if html else briefing_markdown
        text = self._ask(write, code, self.day(as_of), self.lang, prepared_on=self.fixed_today)
        path = path.expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        checked_output(path, files_in_use(self.desk.settings))
        data = text.encode("utf-8")
        write_file(path, lambda f: f.write(data))
        return path

    # ---- cases ---------------------------------------------------------------------------

    def cases(
        self, as_of: date | None, *, status: str = "open", municipality: str | None = None
    ) -> list[dict[str, Any]]:
        """Cases newest first, each with ``match``: the text a filter looks in."""
        from projections.queries.cases import list_cases  # not at start

        found = self._ask(
            list_cases, municipality=municipality, status=status, as_of=self.day(as_of)
        )
        for c in found:
            topic = topic_label(c["topic"], self.lang)
            c["match"] = fold(f"{c['case']} {c['municipality_name']} {topic} {c['summary']}")
        return found

    def case(self, ref: str, as_of: date | None) -> dict[str, Any] | None:
        """One case whole by number or id; None if it was not opened by the day asked about."""
        from projections.queries.cases import show_case  # not at start

        case_id = self._ask(find_case, ref)["id"]
        return self._ask(show_case, case_id, self.day(as_of), self.lang)

    def entry(self, case: str | None, code: str, entry: int) -> dict[str, Any] | None:
        """Entry ``entry`` of a case (by number), or of municipality ``code``'s own if
        ``case`` is None, with its fields as corrected; None if withdrawn or unknown."""
        from projections.queries.entries import case_entry, municipality_entry  # not at start

        if case is None:
            return self._ask(municipality_entry, code, entry)
        return self._ask(case_entry, self._ask(find_case, case)["id"], entry)

    # ---- experts -------------------------------------------------------------------------

    def experts(self, as_of: date | None) -> list[dict[str, Any]]:
        from projections.queries.experts import list_experts  # not at start

        return self._ask(list_experts, self.day(as_of))

    def expert(self, expert_id: str, as_of: date | None) -> dict[str, Any]:
        from projections.queries.experts import show_expert  # not at start

        found = self._ask(show_expert, expert_id, self.day(as_of), self.lang)
        found["history"].reverse()
        return found

    def suggest(self, case_id: str, as_of: date | None) -> list[dict[str, Any]]:
        """Experts in post ranked for the case (continuity, specialty, workload), with why."""
        from projections.queries.suggest import suggest  # not at start

        return self._ask(suggest, case_id, self.day(as_of), self.lang)

    def open_cases_of(self, expert_id: str, as_of: date | None) -> list[dict[str, Any]]:
        """The open cases an expert is on (what handing over would move)."""
        from projections.queries.experts import open_cases_of  # not at start

        return self._ask(open_cases_of, expert_id, self.day(as_of))

    # ---- settings ------------------------------------------------------------------------

    def settings(self, as_of: date | None, lang: str) -> dict[str, Any]:
        """What ``banso config show`` shows: the settings file's keys (described in
        ``lang``) and the desk's rules in force on the day asked about, each rule with the
        day it took effect."""
        day = self.day(as_of)
        rules = self._ask(rule_settings, day).values
        since = self._ask(changed_on, day)
        return {
            "file": str(config_file()),
            "settings": show(load_config(config_file()), lang),
            "rules": [{"key": k, "value": v, "since": since.get(k)} for k, v in rules.items()],
        }

    # ---- topics --------------------------------------------------------------------------

    def topics(self) -> list[tuple[str, str]]:
        """Every topic a consultation or a specialty can name, as (label, code): the default
        ones, then the desk's own (``banso topic add``)."""
        name = "name" if self.lang == "ja" else "name_en"
        return [
            (
                topic_label(t["code"], self.lang) if t["builtin"] else f"{t['code']} {t[name]}",
                t["code"],
            )
            for t in self._ask(list_topics)
        ]

    # ---- search and the palette ----------------------------------------------------------

    def search(self, text: str, as_of: date | None) -> list[dict[str, Any]]:
        from projections.queries.search import search  # not at start

        return self._ask(search, text, self.day(as_of), self.lang)

    def find(self, query: str, limit: int = 20) -> list[Found]:
        """Municipalities, cases and experts whose name, kana, code or number match ``query``."""
        needle = fold(query)
        if not needle:
            return []
        found = [*self._find_municipalities(needle), *self._find_experts(needle)]
        found += self._find_cases(query.strip(), needle)
        found.sort(key=lambda f: -f.score)  # stable: code order, id order, newest case first
        return found[:limit]

    def _find_municipalities(self, needle: str) -> list[Found]:
        found = []
        for m in self.municipality_index():
            name, kana = fold(m["name"]), m["name_kana"]
            if m["code"].startswith(needle) or name.startswith(needle) or kana.startswith(needle):
                score = 3
            elif needle in m["match"]:
                score = 1
            else:
                continue
            found.append(
                Found(
                    "municipality",
                    m["code"],
                    m["name"],
                    f"{m['prefecture']} {kana} {m['code']}",
                    score,
                )
            )
        return found

    def municipality_index(self) -> list[dict[str, Any]]:
        """Code, name, kana and prefecture of every municipality (kept until the store moves)."""
        position = self.desk.views.position()
        if self._index is None or self._index[0] != position:
            munis = self._ask(municipality_index)
            for m in munis:
                m["name_kana"] = fold(m["name_kana"])
                m["match"] = fold(f"{m['code']} {m['name']} {m['name_kana']} {m['prefecture']}")
            self._index = (position, munis)
        return self._index[1]

    def _find_experts(self, needle: str) -> list[Found]:
        found = []
        for e in self._ask(expert_index):
            expert_id, name = e["expert_id"], e["name"]
            if fold(expert_id).startswith(needle) or fold(name).startswith(needle):
                score = 3
            elif needle in fold(name):
                score = 2
            else:
                continue
            detail = f"{expert_id} {e['background'] or ''}"
            found.append(Found("expert", expert_id, name, detail, score))
        return found

    def _find_cases(self, query: str, needle: str) -> list[Found]:
        found = self._ask(cases_matching, query, summaries=len(needle) >= 2)
        return [
            Found(
                "case",
                c["number"],
                f"{c['number']} {c['municipality_name'] or ''}",
                c["summary"],
                2 if c["by_number"] else 0,
            )
            for c in found
        ]

    # ---- recording -----------------------------------------------------------------------

    def record(self, command: Callable[[Banso], T]) -> T:
        """Run one application command, then bring the read models up to date."""
        with self._writing:
            result = command(self.desk.app)
            self.desk.refresh()
            self._seen = self.desk.views.position()
            self._early.clear()
        return result

    def remember_recorder(self, name: str) -> str:
        """Record as ``name`` from now on, and keep it in the settings file for next time
        (``banso config set user`` writes it the same way); returns the name kept."""
        saved = set_value(config_file(), "user", name).user
        assert saved is not None
        self.desk.app.record_as(saved)
        return saved

    def catch_up(self) -> bool:
        """Apply events recorded elsewhere; True if the read models moved since last asked."""
        with self._writing:
            self.desk.refresh()
            position = self.desk.views.position()
        changed, self._seen = position != self._seen, position
        if changed:
            self._early.clear()
        return changed
