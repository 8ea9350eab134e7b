"""The TUI's words: its own catalogue (``words.toml``) joined to banso's (``tracker.language``).

``say(key, lang, **params)`` here knows every key a screen uses: the TUI's own, the names of
what banso records (``kind.*``, ``status.*`` ..) and its refusals. Imports without Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.language import WORDS as BANSO_WORDS

WORDS = BANSO_WORDS.joined(Path(__file__).with_name("words.toml"))
say = WORDS.say


def short(key: str, lang: str, **params: Any) -> str:
    """The short form of ``key`` where it has one (``b.apply.short``), else the whole one."""
    return say(f"{key}.short" if f"{key}.short" in WORDS else key, lang, **params)
