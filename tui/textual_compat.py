"""Every private part of Textual banso relies on, in one place.

Textual 8 has no public API for these (checked against 8.2): the driver's key parser and its
error, the Footer's key widgets, a node's own binding table and a driver's key thread. They
may change in any release; tests/tui/test_textual_compat.py exercises each of them as banso
uses it, so an upgrade that breaks one fails there, naming it (textual stays pinned ``<9``).

- ``XTermParser``/``ParseError``: ``tui.driver`` reads keys as Textual's own reader does.
- ``FooterKey``/``KeyGroup``: ``tui.widgets.footer`` fits the Footer's keys to the width.
- ``key_to_bindings``: ``tui.bindings`` gives a node's bindings their words in a language
  (Textual's keymaps rebind keys, not descriptions).
- ``key_thread``/``is_debug``: ``tui.driver`` waits for the key reader it stops, and makes
  its parser as Textual's reader does.
- ``screen_lines``: the tests read what a screen shows, line by line, as a terminal would.
"""

from __future__ import annotations

from threading import Thread
from typing import Any

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.binding import Binding
from textual.dom import DOMNode
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widgets._footer import FooterKey, KeyGroup

__all__ = [
    "FooterKey",
    "KeyGroup",
    "ParseError",
    "XTermParser",
    "is_debug",
    "key_thread",
    "key_to_bindings",
    "screen_lines",
]


def key_to_bindings(node: DOMNode) -> dict[str, list[Binding]]:
    """``node``'s own bindings by key, as the Footer, the help screen and keys read them."""
    return node._bindings.key_to_bindings


def key_thread(driver: LinuxDriver) -> Thread | None:
    """The thread ``driver`` reads keys in (None before application mode starts)."""
    return driver._key_thread


def is_debug(driver: LinuxDriver) -> bool:
    """Whether ``driver`` was made in debug mode (the key parser logs what it reads)."""
    return driver._debug


def screen_lines(screen: Screen[Any]) -> list[str]:
    """The text of every line ``screen`` shows (its compositor's last render), as on a terminal."""
    return [strip.text for strip in screen._compositor.render_strips()]
