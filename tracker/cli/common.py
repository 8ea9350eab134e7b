"""What every command shares: the common options, building the desk, printing results."""

from __future__ import annotations

import functools
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click
from rich.console import Console
from rich.table import Table

from projections.queries.directory import find_case, find_expert, find_municipality, find_owner
from tracker.application.audit import printable
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.outputs import STDOUT, checked_output, files_in_use, write_file
from tracker.desk.settings import LANGS, Settings
from tracker.domain.codes import validate_code
from tracker.domain.dates import DATE_FORMS, FISCAL_YEAR_FORMS, parse_date, parse_fiscal_year
from tracker.domain.errors import InvalidInputError
from tracker.domain.owners import Owner
from tracker.language import say

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
T = TypeVar("T")
META = "banso"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value is not False:
        ctx.find_root().meta.setdefault(META, {})[param.name] = value
    return value


def common(f: F) -> F:
    """Add --store, --lang, --user and --json, accepted before or after the command name."""
    shared: dict[str, Any] = {"expose_value": False, "callback": _remember, "is_eager": True}
    options = [
        click.option(
            "--store",
            metavar="PATH|URL",
            help="イベントストア / event store (BANSO_STORE)",
            **shared,
        ),
        click.option(
            "--lang",
            type=click.Choice(LANGS),
            help="表示言語 / language (BANSO_LANG)",
            **shared,
        ),
        click.option("--user", metavar="NAME", help="記録者 / who records (BANSO_USER)", **shared),
        click.option("--json", "as_json", is_flag=True, help="JSON で出力 / print JSON", **shared),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def chosen(name: str, default: Any = None) -> Any:
    ctx = click.get_current_context()
    return ctx.find_root().meta.get(META, {}).get(name, default)


def lang() -> str:
    """The language of this invocation's words (--lang, else BANSO_LANG, else Japanese)."""
    return settings().lang


def settings(default_user: str | None = None) -> Settings:
    """This invocation's settings from the options, resolved once; ``default_user`` records
    when neither --user nor BANSO_USER names someone (the demo's history is recorded by
    "demo")."""
    resolved = click.get_current_context().find_root().meta.setdefault("banso.settings", {})
    if default_user not in resolved:
        resolved[default_user] = Settings.load(
            store=chosen("store"),
            lang=chosen("lang"),
            user=chosen("user"),
            default_user=default_user,
        )
    return resolved[default_user]


def records(f: F) -> F:
    """Mark a command that records: its store is made if it does not exist (and it says
    where), and recording as the login name, nobody being named, is said too. Every other
    command refuses a store that is not there."""

    @functools.wraps(f)
    def recording(*args: Any, **kwargs: Any) -> Any:
        click.get_current_context().find_root().meta["banso.records"] = True
        return f(*args, **kwargs)

    return recording  # type: ignore[return-value]


def desk(default_user: str | None = None, *, notice: bool = True) -> Desk:
    """The desk for this invocation, built once, its read models brought up to date (and,
    with ``notice``, a line on stderr if they had to set a stored event aside)."""
    ctx = click.get_current_context().find_root()
    found: Desk | None = ctx.meta.get("banso.desk")
    if found is None:
        recording = bool(ctx.meta.get("banso.records"))
        chosen_settings = settings(default_user)
        found = bootstrap(chosen_settings, create=recording)
        ctx.meta["banso.desk"] = found
        ctx.call_on_close(found.close)
        if found.created:
            where = Path(chosen_settings.store).resolve()
            click.echo(say("cli.store.created", lang(), store=where), err=True)
        if recording and chosen_settings.user_is_login:
            click.echo(say("cli.user.login", lang(), user=chosen_settings.user), err=True)
        with progress_bar(say("cli.progress.catch_up", lang())) as bar:
            found.refresh(progress=bar)
        if notice:
            set_aside_notice(found)
    return found


def set_aside_notice(found: Desk) -> None:
    """One line on stderr when the read models set stored events aside (rows altered by
    hand): which, and how to recover; the answer, from every other event, follows."""
    aside = found.views.quarantined()
    if aside:
        position, kind, reason = aside[0]
        click.echo(
            say(
                "cli.quarantine",
                lang(),
                count=len(aside),
                position=position,
                kind=printable(kind),
                reason=printable(reason),
            ),
            err=True,
        )


class DateType(click.ParamType):
    """A date as the desk writes it (``tracker.domain.dates``); one it cannot read is a
    clear error (exit 2)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        return parse_date(str(value), param.name if param and param.name else "date")


class FiscalYearType(click.ParamType):
    """A fiscal year as 2026, 令和8, 令和8年度 or R8."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        return parse_fiscal_year(str(value))


DATE = DateType()
FISCAL_YEAR = FiscalYearType()
#: The --help words of a date option: what it is, and how it may be written.
DATE_HELP = f"({DATE_FORMS})"
FISCAL_YEAR_HELP = f"({FISCAL_YEAR_FORMS})"


def on_option(f: F) -> F:
    return click.option(
        "--on", "on", type=DATE, help=f"実施日 / business date, default today {DATE_HELP}"
    )(f)


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of", "as_of", type=DATE, help=f"基準日 / as it stood that day {DATE_HELP}"
    )(f)


def include_personal_option(f: F) -> F:
    """``--include-personal``: contacts' e-mail and phone in a file that is handed around."""
    return click.option(
        "--include-personal",
        is_flag=True,
        help="担当者のメール・電話も出力（個人情報） / include contacts' e-mail and phone",
    )(f)


def as_recorded_option(f: F) -> F:
    """``--as-recorded``: the store as it had been recorded by the end of that day."""
    return click.option(
        "--as-recorded",
        "as_recorded",
        type=DATE,
        help="記録時点: その日の終わりまでに記録されていた内容で（訂正も後のものは含めない）"
        " / as recorded by the end of that day (later records, corrections too, left out);"
        " --as-of defaults to the same day",
    )(f)


def asked(as_of: date | None, as_recorded: date | None) -> tuple[sqlite3.Connection, date | None]:
    """The read models a question is asked of and the day it is about: with --as-recorded,
    the store as recorded by then, as of that day unless --as-of names another."""
    d = desk()
    if as_recorded is None:
        return d.views.conn, as_of
    return d.recorded(as_recorded), as_of if as_of is not None else as_recorded


class EntryType(click.ParamType):
    """An entry's number as ``case show`` and ``timeline`` show it: ``3`` or ``#3`` (in
    full-width digits too)."""

    name = "ENTRY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip().removeprefix("#")  # ３, ＃3
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            raise InvalidInputError(field="entry", reason="entry_number", value=str(value))
        return int(text)


ENTRY = EntryType()


# ---- resolving what people type ------------------------------------------------------------


def muni_code(ref: str) -> str:
    """A municipality's code from its code or exact name; a mistyped code says why."""
    if ref.strip().isdigit():
        validate_code(ref.strip())
    return str(find_municipality(desk().views.conn, ref)["code"])


def expert_id(ref: str) -> str:
    return str(find_expert(desk().views.conn, ref)["expert_id"])


#: How an owner is written (--owner, --next-step-owner, --for).
OWNER_HELP = (
    "市町村・事務局・事務局:氏名・E001（専門人材）/ municipality, secretariat[:NAME], EXPERT"
)


def owner(text: str, field: str = "owner") -> Owner:
    """The owner ``text`` names, an expert resolved by id or name (``find_owner``)."""
    return find_owner(desk().views.conn, text, field)


def each_step(values: list[T], steps: int, field: str) -> list[T | None]:
    """Values given for the next steps of a visit: none, one for all, or one each."""
    given: list[T | None] = list(values)
    if not given:
        return [None] * steps
    if steps and len(given) == 1:
        return given * steps
    if len(given) == steps:
        return given
    raise InvalidInputError(field=field, reason="per_step", value=f"{len(values)} / {steps}")


def case_id(ref: str) -> str:
    """A case's id from its number or id (the read models are current: desk() caught up)."""
    return str(find_case(desk().views.conn, ref)["id"])


# ---- output ---------------------------------------------------------------------------------


def output_path(path: Path) -> Path:
    """A file ``-o`` may name: a usable name in a folder that exists, and none of the files
    this invocation reads (the store, its read models, the settings); else a refusal."""
    return checked_output(path, files_in_use(settings()))


def to_stdout(path: Path) -> bool:
    """Whether ``-o`` named standard output (``-o -``)."""
    return str(path) == STDOUT


def write_output(path: Path, write: Callable[[BinaryIO], R]) -> R:
    """Write ``-o``'s file whole or not at all (through links; a device or FIFO directly),
    or standard output for ``-o -``; returns what ``write`` returns."""
    return write_file(output_path(path), write)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def emit(data: Any, human: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON with --json, else through ``human``."""
    if chosen("as_json"):
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        human(data)


def done(message: str, data: dict[str, Any]) -> None:
    """Report a recorded command: its identifiers as JSON, or one sentence."""
    emit(data, lambda _: click.echo(message))


def table(columns: Iterable[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> None:
    """Print a table whose headings are the words of the keys ``columns``."""
    headings = (say(key, lang()) for key in columns)
    out = Table(*headings, title=title, show_lines=False, header_style="bold")
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    console().print(out)


@contextmanager
def progress_bar(label: str) -> Any:
    """A progress callback (done, total) that draws a bar on stderr for long work only."""
    stderr = Console(stderr=True)
    if not stderr.is_terminal:
        yield lambda done, total: None
        return
    # imported only for a bar to draw: every command's start (the TUI's too) goes through here
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
