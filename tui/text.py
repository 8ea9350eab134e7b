"""Text helpers for the screens: fitting Japanese into cells (matching what people type is
``tracker.domain.folding.fold``, shared with search and the municipality finder)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size

_BLANKS = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


def fit(text: str, width: int, *, align: str = "left") -> str:
    """``text`` in exactly ``width`` cells, cut with an ellipsis when too long."""
    text = text.translate(_BLANKS)
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"[:width]
    pad = " " * (width - size)
    return pad + text if align == "right" else text + pad


def number(value: Any) -> str:
    """A count or population with thousands separators; '-' when unknown."""
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def is_japanese(ch: str) -> bool:
    """True for a character typed through a Japanese input method (kana, kanji, full width)."""
    return len(ch) == 1 and not ch.isascii() and ch.isprintable()
