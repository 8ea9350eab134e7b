"""The ``banso`` command line (CLI.md): a contract that users' scripts rely on.

Bad input exits 2 with one line on stderr and records nothing; no traceback is shown
(``BANSO_DEBUG=1`` shows one for internal errors).
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import click

from tracker.cli.common import common
from tracker.desk.settings import debugging, wanted_language
from tracker.domain.errors import BansoError, InvalidInputError
from tracker.language import error_message, say

#: Each command: the module of ``tracker.cli`` defining it, and its function there.
#: ``record``'s groups (muni, case, ...) get subcommands from other modules too (``SUBCOMMANDS``).
COMMANDS: dict[str, tuple[str, str]] = {
    "muni": ("record", "muni"),
    "contact": ("record", "contact"),
    "expert": ("record", "expert"),
    "case": ("record", "case"),
    "topic": ("record", "topic"),
    "outreach": ("record", "outreach"),
    "stalled": ("ask", "stalled"),
    "commitments": ("promises", "commitments"),
    "due": ("remind", "due"),
    "digest": ("remind", "digest"),
    "suggest": ("rotation", "suggest"),
    "silent": ("ask", "silent"),
    "timeline": ("ask", "timeline"),
    "briefing": ("ask", "briefing"),
    "stats": ("ask", "stats"),
    "search": ("ask", "search"),
    "init": ("keep", "init"),
    "demo": ("keep", "demo"),
    "export": ("keep", "export"),
    "import": ("keep", "import_"),
    "export-csv": ("sheets", "export_csv"),
    "export-xlsx": ("sheets", "export_xlsx"),
    "import-sheet": ("sheets", "import_sheet"),
    "rebuild": ("keep", "rebuild"),
    "verify": ("keep", "verify"),
    "tui": ("terminal", "tui"),
    "config": ("configure", "config"),
    "keygen": ("configure", "keygen"),
}

#: The modules adding subcommands to ``record``'s groups (case list, case commit, ...).
SUBCOMMANDS = ("ask", "promises", "rotation")


class Commands(click.Group):
    """banso's commands, each module imported when one of its commands runs (or help lists
    them): ``banso tui`` or ``banso stalled`` starts without building every other command's
    options or importing the spreadsheet, mail and backup code (~0.1 s of a cold start)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            command = getattr(import_module(f"tracker.cli.{module}"), name)
            if module == "record":
                for other in SUBCOMMANDS:
                    import_module(f"tracker.cli.{other}")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@common
@click.version_option(package_name="banso")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """banso（伴走）: 市町村デジタル支援の伴走記録 / support-continuity tracker.

    引数なしで TUI を開きます。Without a command, opens the TUI.
    """
    if ctx.invoked_subcommand is None:
        from tracker.cli.terminal import tui

        ctx.invoke(tui)


def _lang_option(argv: list[str]) -> str | None:
    """The --lang given, read before click parses (its own errors need a language too)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _usage_message(error: click.ClickException, lang: str) -> str:
    """What click says about the command line, in ``lang`` (in English, click's own words)."""
    click_says = error.format_message()
    if isinstance(error, click.MissingParameter) and error.param is not None:
        names = "/".join(getattr(error.param, "opts", []) or [error.param.name or ""])
        option = isinstance(error.param, click.Option)
        kind = say("cli.usage.option" if option else "cli.usage.argument", lang)
        return say("cli.usage.missing", lang, kind=kind, names=names, click=click_says)
    if isinstance(error, click.NoSuchOption):
        return say("cli.usage.no_such_option", lang, option=error.option_name, click=click_says)
    if isinstance(error, click.BadParameter):
        return _bad_value(error, lang, click_says)
    return click_says


def _bad_value(error: click.BadParameter, lang: str, click_says: str) -> str:
    """A value click refused for its type, said by what the type takes (``_takes``); else
    in click's own words."""
    key, params = _takes(error.param) or ("cli.usage.bad_value", {})
    return say(key, lang, click=click_says, **params)


def _takes(param: click.Parameter | None) -> tuple[str, dict[str, Any]] | None:
    """What a parameter's type takes, as words and their values: a range of whole numbers,
    at least a whole number, a whole number, one of some choices; None for any other."""
    if param is None:
        return None
    names = "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name
    kind = param.type
    if isinstance(kind, click.IntRange) and (kind.min_open or kind.max_open):
        return None  # not said in these words
    if isinstance(kind, click.IntRange) and kind.min is not None and kind.max is not None:
        return "cli.usage.range", {"names": names, "low": kind.min, "high": kind.max}
    if isinstance(kind, click.IntRange) and kind.min is not None:
        return "cli.usage.at_least", {"names": names, "low": kind.min}
    if isinstance(kind, click.types.IntParamType):
        return "cli.usage.integer", {"names": names}
    if isinstance(kind, click.Choice):
        return "cli.usage.choice", {"names": names, "choices": "、".join(map(str, kind.choices))}
    return None


def _require_utf8(args: list[str]) -> None:
    """Refuse an argument with bytes that are not UTF-8 (Python keeps them as surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise InvalidInputError(field="argument", reason="encoding", value=shown) from None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``banso`` console script."""
    args = sys.argv[1:] if argv is None else argv
    lang = wanted_language(_lang_option(args))
    try:
        _require_utf8(args)
        cli.main(args=args, prog_name="banso", standalone_mode=False)
    except BansoError as e:
        click.echo(say("cli.error", lang, detail=error_message(e, lang)), err=True)
        sys.exit(2)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.Abort:
        sys.exit(130)
    except click.ClickException as e:
        click.echo(say("cli.error", lang, detail=_usage_message(e, lang)), err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # the last guard: one line, never a traceback
        if debugging():
            raise
        detail = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        click.echo(say("cli.internal_error", lang, detail=detail), err=True)
        sys.exit(1)
