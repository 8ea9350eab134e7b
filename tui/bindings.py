"""Bindings carry a word key as their description; each node shows them in its language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from tui.strings import s


def localize(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings their descriptions in ``lang`` (the Footer shows them)."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=s(_word(b.action, b.description), lang), tooltip="")
            if b.description
            else b
            for b in bindings
        ]


def _word(action: str, description: str) -> str:
    if action == "command_palette":
        return "b.palette"
    return description
