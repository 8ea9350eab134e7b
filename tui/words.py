"""The TUI's words: its own catalogue (``words.toml``) joined to banso's (``tracker.language``).

``say(key, lang, **params)`` here knows every key a screen uses: the TUI's own, the names of
what banso records (``kind.*``, ``status.*`` ..) and its refusals. Imports without Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tracker.language import WORDS as BANSO_WORDS

WORDS = BANSO_WORDS.joined(Path(__file__).with_name("words.toml"))
say = WORDS.say


def short(key: str, lang: str, **params: Any) -> str:
    """The short form of ``key`` where it has one (``b.apply.short``), else the whole one."""
    return say(f"{key}.short" if f"{key}.short" in WORDS else key, lang, **params)


def listed(items: Iterable[str], lang: str) -> str:
    """``items`` as a list in ``lang`` (Japanese 、, English commas)."""
    return say("punct.list", lang).join(items)


def aside(text: str, note: str, lang: str) -> str:
    """``text`` with ``note`` in brackets, as ``lang`` writes them: 川口市（チャット）, Kawaguchi (chat)."""
    return say("punct.aside", lang, text=text, aside=note)


def days(n: float | str, lang: str) -> str:
    """A number of days: 12日, 12 days, 1 day."""
    return say("day" if n in (1, "1") else "days", lang, n=n)
