"""年度: the Japanese fiscal year, April 1 to March 31, named by its starting year.

Its era name (令和元年度) is written by ``tracker.domain.dates``, with every other era."""

from __future__ import annotations

from datetime import date


def fiscal_year(day: date) -> int:
    """The fiscal year a day falls in (2026-03-31 is in 2025年度)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of fiscal year ``year``."""
    return date(year, 4, 1), date(year + 1, 3, 31)
