"""The words of the CLI, the read side and the domain: ``say(key, lang, **params)``.

The texts live in the catalogues beside this module: ``messages.toml`` (refusals),
``labels.toml`` (the names of what banso records, the line of text of each fact),
``briefing.toml`` (the handover briefing), ``cli.toml`` (the command line) and
``sheets.toml`` (the tables for Excel and the sheets brought in). The TUI joins
its own catalogue to these (``tui.words``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.language.catalogue import Catalogue

#: The catalogues, read on the first lookup (they ship as package data beside this module).
WORDS = Catalogue(
    Path(__file__).with_name(name)
    for name in ("messages.toml", "labels.toml", "briefing.toml", "cli.toml", "sheets.toml")
)
say = WORDS.say


def error_message(error: Any, lang: str = "ja") -> str:
    """One line that says what was wrong (a ``BansoError``: its ``key`` and ``params``)."""
    params = dict(error.params)
    for name, value in params.items():  # an error that names another as its cause
        if hasattr(value, "key") and hasattr(value, "params"):
            params[name] = error_message(value, lang)
    if "entry_kind" in params:
        params["entry_kind"] = say(f"kind.{params['entry_kind']}", lang)
    if "reason" in params:
        params["why"] = say(f"why.{params['reason']}", lang, **params)
    if "field" in params:
        field = f"field.{params['field']}"
        params["field"] = say(field, lang) if field in WORDS else params["field"]
    return say(f"error.{error.key}", lang, **params)
