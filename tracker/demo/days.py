"""Working days: the office days (開庁日) of ``tracker.domain.office_days``: municipal
offices work Monday to Friday, close on national holidays and over the New Year."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from tracker.domain.office_days import is_office_day

ONE_DAY = timedelta(days=1)


def is_workday(day: date) -> bool:
    """An office day: a weekday, not a national holiday, outside 12/29 to 1/3."""
    return is_office_day(day)


def next_workday(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_workday(day):
        day += ONE_DAY
    return day


def prev_workday(day: date) -> date:
    """The day itself if it is a working day, else the one before."""
    while not is_workday(day):
        day -= ONE_DAY
    return day


def add_workdays(day: date, n: int) -> date:
    """The n-th working day after ``day``."""
    for _ in range(n):
        day = next_workday(day + ONE_DAY)
    return day


def later(rng: random.Random, day: date, low: int, high: int) -> date:
    """A working day ``low`` to ``high`` calendar days after ``day``."""
    return next_workday(day + timedelta(days=rng.randint(low, high)))


def every_day(first: date, last: date) -> Iterator[date]:
    """Each day from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def month_end(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - ONE_DAY


def nth_weekday(first: date, weekday: int, n: int) -> date:
    """The n-th given weekday (0 = Monday) of the month that starts on ``first``."""
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))
