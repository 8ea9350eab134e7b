"""A table as CSV for Excel: CRLF line ends, UTF-8 with a BOM (Excel reads it as UTF-8
only then) or Shift_JIS (cp932) for older Excel; dates as ``2025-04-01``."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, BinaryIO

from projections.exports.table import Table

ENCODINGS = ("utf-8-sig", "cp932")
#: Characters Unicode and cp932 spell differently (the JIS wave dash, minus, dashes, yen
#: signs' neighbours): written as cp932's own, not as ``?``.
CP932_SPELLING = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 wave dash -> ～
        "\u2016": "\u2225",  # ‖ -> ∥
        "\u2212": "\uff0d",  # − minus -> －
        "\u2014": "\u2015",  # — em dash -> ―
        "\u00a2": "\uffe0",  # ¢
        "\u00a3": "\uffe1",  # £
        "\u00ac": "\uffe2",  # ¬
    }
)


def write_csv(table: Table, stream: BinaryIO, encoding: str, lang: str) -> int:
    """Write ``table`` to ``stream``; returns how many characters cp932 could not hold
    (written as ``?``)."""
    replaced = 0

    def cell(value: Any) -> Any:
        nonlocal replaced
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str) or encoding != "cp932":
            return value
        value = value.translate(CP932_SPELLING)
        fitted = value.encode("cp932", errors="replace").decode("cp932")
        replaced += sum(1 for a, b in zip(value, fitted, strict=False) if a != b)
        return fitted

    text = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([cell(c.heading(lang)) for c in table.columns])
        writer.writerows([cell(v) for v in row] for row in table.rows)
        text.flush()
    finally:
        text.detach()  # the stream stays open: it may be stdout
    return replaced
