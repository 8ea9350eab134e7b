"""Bindings carry a word key as their description; each node shows them in its language.

A binding whose word has a short form (``b.apply`` and ``b.apply.short``) gets the short one
as its description and the whole one as its tooltip: the Footer (``tui.widgets.footer``)
shows whichever fits the line, and the help screen and the palette say ``whole(binding)``.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from tui.textual_compat import key_to_bindings
from tui.words import WORDS, say, short


def localize(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings their descriptions in ``lang`` (the Footer shows them)."""
    table = key_to_bindings(node)
    for key, bindings in table.items():
        table[key] = [_localized(b, lang) for b in bindings]


def whole(binding: Binding) -> str:
    """What ``binding`` does, in full (its description may be the Footer's short form)."""
    return binding.tooltip or binding.description


def _localized(binding: Binding, lang: str) -> Binding:
    word = _word(binding.action, binding.description)
    if word not in WORDS:  # no description, or one already in words
        return binding
    full = say(word, lang)
    brief = short(word, lang)
    group = binding.group
    if group is not None:
        group = replace(group, description=say(group.description, lang))
    return replace(binding, description=brief, tooltip=full if brief != full else "", group=group)


def _word(action: str, description: str) -> str:
    if action == "command_palette":
        return "b.palette"
    return description
