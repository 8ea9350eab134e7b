"""Checks on what people type, shared by the CLI and the TUI through the application."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tracker.domain.errors import FutureDateError, InvalidInputError

TOKYO = ZoneInfo("Asia/Tokyo")

#: Longest accepted text per kind of field, in characters.
MAX_SHORT = 200
MAX_LONG = 20_000


def today() -> date:
    """Today in Japan, the default business date."""
    return datetime.now(TOKYO).date()


def parse_date(value: str, field: str = "date") -> date:
    """A ``YYYY-MM-DD`` date, or a named error."""
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field=field, reason="date", value=value) from None


def parse_fiscal_year(value: str, field: str = "fiscal_year") -> int:
    """A fiscal year as its first calendar year (``2026``), or a named error.

    The one place a typed fiscal year is read: the Japanese forms (``令和8``, ``R8``) join
    here when the desk-input parser lands."""
    text = unicodedata.normalize("NFKC", value).strip().removesuffix("年度")
    if len(text) == 4 and text.isdigit() and 1989 <= int(text) <= today().year:
        return int(text)
    raise InvalidInputError(field=field, reason="fiscal_year", value=value)


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
    if len(text) > limit:
        raise InvalidInputError(field=field, reason="too_long", value=str(limit))
    for ch in text:
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            raise InvalidInputError(field=field, reason="control", value=f"U+{ord(ch):04X}")
    return text


def optional_text(value: str | None, field: str, *, limit: int = MAX_LONG) -> str | None:
    """Like ``clean_text`` but blank means nothing given."""
    if value is None or not value.strip():
        return None
    return clean_text(value, field, limit=limit)


def non_negative(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise InvalidInputError(field=field, reason="negative", value=str(value))
    return value
