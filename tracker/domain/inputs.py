"""Checks on what people type, shared by the CLI and the TUI through the application.

Dates people type are read by ``tracker.domain.dates``; choices by ``tracker.domain.choices``."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tracker.domain.errors import FutureDateError, InvalidInputError

TOKYO = ZoneInfo("Asia/Tokyo")

#: Longest accepted text per kind of field, in characters.
MAX_SHORT = 200
MAX_LONG = 20_000
#: Largest accepted count (a population, IT staff, an entry's number): far above any real
#: one, and far inside what SQLite's INTEGER and JSON readers hold (2**63 broke the store).
MAX_COUNT = 1_000_000_000


def today() -> date:
    """Today in Japan, the default business date."""
    return datetime.now(TOKYO).date()


def business_date(on: date | None) -> date:
    """The day a thing happened: today by default, never in the future."""
    if on is None:
        return today()
    if on > today():
        raise FutureDateError(on=on.isoformat())
    return on


def clean_text(value: str | None, field: str, *, limit: int = MAX_LONG) -> str:
    """Text with outer blanks stripped; refuses empty, over-long or control-character input."""
    text = (value or "").strip()
    if not text:
        raise InvalidInputError(field=field, reason="empty", value="")
    return check_text(text, field, limit=limit)


def optional_text(value: str | None, field: str, *, limit: int = MAX_LONG) -> str | None:
    """Like ``clean_text`` but blank means nothing given."""
    if value is None or not value.strip():
        return None
    return clean_text(value, field, limit=limit)


def non_negative(value: int | None, field: str) -> int | None:
    """A count: refuses a negative one and one beyond ``MAX_COUNT``."""
    if value is not None and value < 0:
        raise InvalidInputError(field=field, reason="negative", value=str(value))
    if value is not None and value > MAX_COUNT:
        raise InvalidInputError(field=field, reason="range", value=str(value))
    return value


def check_text(text: str, field: str, *, limit: int = MAX_LONG) -> str:
    """Text as stored: refuses over-long text and control characters (not blanks)."""
    if len(text) > limit:
        raise InvalidInputError(field=field, reason="too_long", value=str(limit))
    if not text.isprintable():  # the common case, printable text, costs one C call
        for ch in set(text):  # each distinct character once: a long report repeats many
            if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
                raise InvalidInputError(field=field, reason="control", value=f"U+{ord(ch):04X}")
    return text
