"""The words of the CLI, the read side and the domain: ``say(key, lang, **params)``.

The texts live in the catalogues beside this module: ``messages.toml`` (refusals),
``labels.toml`` (the names of what banso records, the line of text of each fact),
``briefing.toml`` (the handover briefing), ``cli.toml`` (the command line),
``sheets.toml`` (the tables for Excel and the sheets brought in) and ``reminders.toml``
(the due-soon list and the digests). The TUI joins
its own catalogue to these (``tui.words``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from tracker.language.catalogue import Catalogue

#: The catalogues, read on the first lookup (they ship as package data beside this module).
WORDS = Catalogue(
    Path(__file__).with_name(name)
    for name in (
        "messages.toml",
        "labels.toml",
        "briefing.toml",
        "cli.toml",
        "sheets.toml",
        "reminders.toml",
    )
)
say = WORDS.say


def error_message(error: Any, lang: str = "ja") -> str:
    """One line that says what was wrong (a ``BansoError``: its ``key`` and ``params``).

    A parameter that can say itself (``said(lang)``: the values a choice allows) is said in
    ``lang``, and so is an error named as another's cause, and an entry's kind
    (``entry_kind``); control characters in what people typed are shown escaped (``\\n``,
    ``\\x1b``), so the message stays one line and never moves the terminal's cursor."""
    params = _said(
        {
            name: error_message(value, lang) if _is_error(value) else value
            for name, value in error.params.items()
        },
        lang,
    )
    if "entry_kind" in params:
        params["entry_kind"] = say(f"kind.{params['entry_kind']}", lang)
    if "reason" in params:
        params["why"] = say(f"why.{params['reason']}", lang, **params)
    if "field" in params:
        field = f"field.{params['field']}"
        params["field"] = say(field, lang) if field in WORDS else params["field"]
    return say(f"error.{error.key}", lang, **params)


def why(error: Any, lang: str = "ja") -> str:
    """Why a value was refused (``why.<reason>`` of an error that has a ``reason``), said as
    ``error_message`` says it: the importer names the column itself."""
    return say(f"why.{error.params['reason']}", lang, **_said(error.params, lang))


def _is_error(value: Any) -> bool:
    return hasattr(value, "key") and hasattr(value, "params")


def _said(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        name: value.said(lang) if hasattr(value, "said") else shown(value)
        for name, value in params.items()
    }


def shown(value: Any) -> Any:
    """A text with its control characters escaped (anything else as it is)."""
    if not isinstance(value, str):
        return value
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
        else ch
        for ch in value
    )
