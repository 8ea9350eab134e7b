"""What the fuzzer types: every command of ``tracker.cli`` with its own options, each given
values a desk would type (so that the command gets past its first check) mixed with hostile
ones (control characters, NUL, terminal escapes, malformed and future dates, huge and
negative numbers, unknown ids, very long text).

The commands are read from the click group itself, so a new command or option is fuzzed
without a change here; only ``tui`` (it waits for a terminal) is left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.domain.inputs import today

#: Commands not run: the TUI waits for a terminal.
LEFT_OUT = {("tui",)}
#: Options every command has that the harness sets itself (the store is the example's own).
SET_BY_HARNESS = {"store", "help"}

TODAY = today()
HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\x1b[31m赤\x1b[0m",
        "\x1b]0;title\x07",
        "\x1b[2J\x1b[H",
        "一行目\n二行目",
        "\r",
        "\t",
        "\u202eevil",
        "\ufeff",
        "\udcff",  # a byte that is not UTF-8, as Python keeps it in argv
        "-",
        "--",
        "-1",
        "0",
        "00",
        "9" * 40,
        "-" + "9" * 30,
        "1e309",
        "NaN",
        "inf",
        "0x10",
        "１２３",
        "2025-02-30",
        "2025-13-01",
        "0000-00-00",
        "9999-12-31",
        "10000-01-01",
        "R99.1.1",
        "令和0年1月1日",
        "平成31年5月1日",
        "2025/1/1/1",
        "' OR 1=1 --",
        "%s%n%x",
        "{detail}",
        "{0}",
        "$(echo pwned)",
        "<script>alert(1)</script>",
        "あ" * 25_000,
        "x" * 5_000,
        "🙂" * 300,
    ]
)
#: Any text an argument can hold: a process's arguments are bytes, which Python gives as
#: UTF-8 text with any other byte as a lone surrogate U+DC80..U+DCFF (``\udcff`` above);
#: other lone surrogates cannot come from the OS.
ARGV_CHARACTERS = st.one_of(
    st.characters(codec="utf-8"), st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)
)
TEXT = st.one_of(
    HOSTILE, st.text(ARGV_CHARACTERS, max_size=60), st.text(ARGV_CHARACTERS, max_size=8)
)


def day_before(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


DATES = st.one_of(
    st.integers(0, 800).map(day_before),
    st.integers(1, 400).map(lambda n: (TODAY + timedelta(days=n)).isoformat()),  # future
    st.sampled_from(["令和8年10月1日", "R8.10.1", "2026/10/01", "R1.5.1", "H31.4.30", "S64.1.7"]),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%Y/%m/%d")),
    HOSTILE,
)
#: Numbers past what SQLite stores (2**63): the ``hardening`` branch refuses them; until it
#: lands they are fuzzed apart (``test_fuzz_known_bugs.py``), not in every command line.
HUGE = st.one_of(
    st.integers(2**63 - 2, 2**200).map(str),
    st.integers(-(2**200), -(2**63) - 1).map(str),
    st.sampled_from(["9" * 40, "-" + "9" * 30, "１" * 25]),
)
INTS = st.one_of(
    st.integers(-1000, 10**9).map(str),
    HOSTILE.filter(lambda v: not v.lstrip("-").isdigit() or len(v) < 12),
)


def known(fixture: Path) -> dict[str, list[str]]:
    """The ids the fixture store knows (and a few it does not), by what they name."""
    manifest = json.loads((fixture / "manifest.json").read_text("utf-8"))
    cases = list(manifest["cases"].values())
    year = cases[0].split("-")[0]
    return {
        "muni": ["112038", "川口市", "秩父市", "112071", "所沢市", "112089", "112011", "999999"],
        "case": [*cases, f"{year}-999", "1999-001", "00000000-0000-4000-8000-000000000000"],
        "expert": ["E001", "E002", "山田太郎", "鈴木一郎", "E999"],
        "person": ["佐藤花子", "高橋健", "伊藤誠", "新任 太郎"],
        "topic": ["B", "K", "窓口DX", "A", "Z", "Q"],
        "entry": [str(n) for n in range(1, 14)] + ["＃３", "#2", "99"],
        "code": ["112011", "112020", "131016", "112039", "11203"],
        "key": ["user", "lang", "thresholds.dormant", "nope"],
        "value": ["ja", "en", "田中", "0", "30"],
        "channel": ["chat", "mail", "phone", "form", "cafe", "hearing", "visit", "メール"],
        "resolution": ["resolved", "referred", "withdrawn", "no-response", "解決"],
        "kind": ["cafe", "hearing", "visit", "other", "カフェ"],
        "rating": ["1", "2", "3", "4", "5", "0", "6"],
        "prefecture": ["11", "埼玉県", "13", "47", "99", "東京都"],
    }


#: The kind of value a parameter takes, by its name (else by its click type).
BY_NAME = {
    "muni_ref": "muni",
    "case_ref": "case",
    "expert_ref": "expert",
    "experts": "expert",
    "name": "person",
    "contact_name": "person",
    "successor": "person",
    "topic": "topic",
    "specialties": "topic",
    "entry": "entry",
    "code": "code",
    "key": "key",
    "value": "value",
    "channel": "channel",
    "resolution": "resolution",
    "kind": "kind",
    "rating": "rating",
    "prefecture": "prefecture",
    "prefectures": "prefecture",
}


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[Any]:
    """Every leaf command of the CLI: (its words, the click command)."""
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # banso's own are imported as asked for
        command = group.get_command(ctx, name)
        assert command is not None
        words = (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, words)
        elif words not in LEFT_OUT:
            yield words, command


COMMANDS = list(commands())
#: Names of files an output or input option may get, inside the example's own folder.
PATHS = st.sampled_from(
    ["out.txt", "out.jsonl", "out.csv", "out.xlsx", "sub/none/out.txt", "input.jsonl",
     "empty.txt", "garbage.bin", "folder", "missing.jsonl"]
)  # fmt: skip


def value_for(param: click.Parameter, ids: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """Values for one parameter: what it is meant to get, often, and anything, sometimes."""
    kind = BY_NAME.get(param.name or "")
    ptype = param.type
    if isinstance(ptype, click.Path):
        return PATHS
    if isinstance(ptype, click.Choice):
        meant: st.SearchStrategy[str] = st.sampled_from([str(c) for c in ptype.choices])
    elif kind:
        meant = st.sampled_from(ids[kind])
    elif ptype.name.upper() in ("DATE",) or (param.name or "").startswith(("as_", "on", "due")):
        return DATES
    elif (
        isinstance(ptype, (click.types.IntParamType, click.types.IntRange))
        or "YEAR" in ptype.name.upper()
    ):
        return INTS
    elif ptype.name.upper() == "DIGEST":
        meant = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
    else:
        meant = st.sampled_from(["相談", "報告", "メモ", "理由", "情報政策課"])
    return st.one_of(meant, meant, TEXT)


@st.composite
def command_lines(draw: st.DrawFn, ids: dict[str, list[str]]) -> list[str]:
    """One command line: a command, some of its options (a required one most times) with
    values, its arguments, and now and then something more."""
    words, command = draw(st.sampled_from(COMMANDS))
    args = list(words)
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in SET_BY_HARNESS:
            continue
        wanted = 0.9 if param.required else 0.3
        if draw(st.floats(0, 1)) >= wanted:
            continue
        times = draw(st.integers(1, 3)) if param.multiple else 1
        for _ in range(times):
            args.append(draw(st.sampled_from(param.opts)))
            if not param.is_flag:
                args.append(draw(value_for(param, ids)))
    for param in command.params:
        if isinstance(param, click.Argument):
            if not param.required and draw(st.booleans()):
                continue
            times = draw(st.integers(0, 3)) if param.nargs == -1 else 1
            args.extend(draw(value_for(param, ids)) for _ in range(times))
    if draw(st.integers(0, 9)) == 0:  # an argument too many, or an option nobody has
        args.append(draw(st.one_of(TEXT, st.sampled_from(["--nope", "-x", "--on"]))))
    return args
