"""What banso takes from Textual's private parts (tui/textual_compat.py) still works as it
does in Textual 8: an upgrade that renames or changes one of them fails here, by its name."""

from __future__ import annotations

import ast
import inspect
import signal
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import ClassVar

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.textual_compat import (
    FooterKey,
    KeyGroup,
    ParseError,
    XTermParser,
    is_debug,
    key_thread,
    key_to_bindings,
    screen_lines,
)

ROOT = Path(__file__).resolve().parents[2]


def test_textual_is_the_major_version_the_compat_module_was_checked_against() -> None:
    assert version("textual").split(".")[0] == "8"
    assert '"textual>=8.2,<9"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# ---- the key parser (tui.driver) ----------------------------------------------------------


def keys(found: object) -> list[str]:
    return [m.key for m in found if isinstance(m, events.Key)]  # type: ignore[attr-defined]


def test_the_parser_turns_what_a_terminal_sends_into_keys() -> None:
    parser = XTermParser(False)
    assert keys(parser.feed("aか\r\x1b[A\x1b[1;5C")) == ["a", "か", "enter", "up", "ctrl+right"]


def test_a_lone_escape_becomes_the_escape_key_on_a_tick() -> None:
    parser = XTermParser(False)
    assert keys(parser.feed("\x1b")) == [], "it may begin a sequence"
    time.sleep(0.15)  # longer than the parser waits for the rest of a sequence
    assert keys(parser.tick()) == ["escape"]


def test_the_parser_ends_on_empty_input_and_refuses_more_with_a_parse_error() -> None:
    parser = XTermParser(False)
    assert list(parser.feed("")) == []
    with pytest.raises(ParseError):
        list(parser.feed("a"))


# ---- the driver's key thread and debug flag (tui.driver) ----------------------------------


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """A LinuxDriver takes over Ctrl+Z's signals when made; they are given back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


async def test_a_linux_driver_has_no_key_thread_before_it_starts_and_keeps_its_debug_flag(
    keep_signals: None,
) -> None:
    """Made in an event loop, as Textual makes its driver; no app: nothing is sent."""
    assert key_thread(LinuxDriver(None, debug=True)) is None  # type: ignore[arg-type]
    assert is_debug(LinuxDriver(None, debug=True)) is True  # type: ignore[arg-type]
    assert is_debug(LinuxDriver(None)) is False  # type: ignore[arg-type]


def test_application_mode_starts_its_key_reader_in_the_thread_key_thread_reads() -> None:
    """Starting needs a terminal; the source says the thread is kept where it is read."""
    source = textwrap.dedent(inspect.getsource(LinuxDriver.start_application_mode))
    assigned = {
        target.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute)
    }
    assert "_key_thread" in assigned
    assert "run_input_thread" in inspect.getsource(LinuxDriver._run_input_thread)


# ---- the Footer's keys (tui.widgets.footer) and a node's bindings (tui.bindings) ----------


def test_a_footer_key_is_built_with_the_words_and_action_banso_reads_back() -> None:
    key = FooterKey("a", "a", "申請", "apply", tooltip="派遣申請")
    shown = (key.key, key.description, key.action, str(key.tooltip))
    assert shown == ("a", "申請", "apply", "派遣申請")


PAIR = Binding.Group("years", compact=True)


class Keys(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "go", "old words"),
        Binding("left_square_bracket", "year(-1)", "years", group=PAIR),
        Binding("right_square_bracket", "year(1)", "years", group=PAIR),
    ]
    went = False

    def compose(self) -> ComposeResult:
        yield Footer(compact=True, show_command_palette=False)  # as BansoFooter

    def action_go(self) -> None:
        self.went = True

    def action_year(self, step: int) -> None:
        pass


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def footer_words(app: App[None]) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


async def test_the_footer_shows_a_key_group_of_keys_and_its_label() -> None:
    """What ``BansoFooter`` measures and styles (``KeyGroup.-compact``, ``FooterLabel``)."""
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        shown = [type(child).__name__ for child in footer.children]
        assert shown == ["FooterKey", "KeyGroup", "FooterLabel"]
        assert isinstance(footer.children[0], FooterKey)
        group = footer.children[1]
        assert isinstance(group, KeyGroup) and group.has_class("-compact")
        grouped = list(group.children)
        assert all(isinstance(key, FooterKey) for key in grouped)
        assert [(key.action, key.description) for key in grouped] == [
            ("year(-1)", ""),
            ("year(1)", ""),
        ]


async def test_rebinding_a_nodes_bindings_shows_the_new_words_in_the_footer() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer_words(app)["x"] == "old words"
        table = key_to_bindings(app.screen)
        table["x"] = [replace(b, description="new words") for b in table["x"]]
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer_words(app)["x"] == "new words"
        await pilot.press("x")
        assert isinstance(app.screen, Keys) and app.screen.went, "the key still runs its action"


# ---- what a screen shows (the tests read it) ------------------------------------------------


class Lines(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("川口市 605,545\nsecond line")


async def test_a_screen_reads_as_its_lines_with_wide_characters_once() -> None:
    app = Lines()
    async with app.run_test(size=(30, 4)) as pilot:
        await pilot.pause()
        lines = screen_lines(app.screen)
        assert len(lines) == 4
        assert lines[0].rstrip() == "川口市 605,545"
        assert lines[1].rstrip() == "second line"
        assert lines[2].strip() == ""


def test_no_module_of_the_tui_but_the_compat_one_reaches_into_textuals_private_parts() -> None:
    """Imports of Textual's private modules are refused everywhere by ruff (TID251); this
    finds the private attributes too."""
    private = ("textual._", "textual.widgets._", "._bindings", "._key_thread", "._debug")
    reaching = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in (ROOT / "tui").rglob("*.py")
        if path.name != "textual_compat.py"
        for needle in private
        if needle in path.read_text(encoding="utf-8")
    ]
    assert reaching == []
