"""Text helpers for the screens: fitting Japanese into cells (matching what people type is
``tracker.domain.folding.fold``, shared with search and the municipality finder)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import filterfalse
from typing import Any

from rich.cells import cell_len, get_character_cell_size

_BLANKS = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


def fit(text: str, width: int, *, align: str = "left", whole: bool = False) -> str:
    """``text`` in exactly ``width`` cells, cut with an ellipsis when too long; ``whole``
    text (a name, a number) is never cut: when too long it shows as ``…`` alone."""
    text = text.translate(_BLANKS)
    size = cell_len(text)
    if size > width:
        if width < 1:
            return ""
        text = "…" if whole else _cut(text, width - 1) + "…"
        size = cell_len(text)
    pad = " " * (width - size)
    return pad + text if align == "right" else text + pad


def _cut(text: str, width: int) -> str:
    """The longest start of ``text`` within ``width`` cells (a wide character is not split)."""
    used = 0
    for i, ch in enumerate(text):
        used += get_character_cell_size(ch)
        if used > width:
            return text[:i]
    return text


def widest(texts: Sequence[str]) -> int:
    """Cells the widest of ``texts`` takes (0 for none). Quick for a whole list (100,000
    case numbers): ASCII text is as wide as it is long, and other text is measured once per
    distinct value (a list of names repeats them)."""
    wide = set(filterfalse(str.isascii, texts))
    return max(max(map(len, texts), default=0), max(map(cell_len, wide), default=0))


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
