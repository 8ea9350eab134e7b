"""年度: the Japanese fiscal year, April 1 to March 31, named by its starting year."""

from __future__ import annotations

from datetime import date


def fiscal_year(day: date) -> int:
    """The fiscal year a day falls in (2026-03-31 is in 2025年度)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of fiscal year ``year``."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def reiwa(day: date) -> str:
    """The date written in the 令和 era (令和7年4月1日), for dates from 2019-05-01."""
    if day < date(2019, 5, 1):
        return f"{day.year}年{day.month}月{day.day}日"
    year = day.year - 2018
    era_year = "元" if year == 1 else str(year)
    return f"令和{era_year}年{day.month}月{day.day}日"
