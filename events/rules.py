"""Events of the desk's rule book: the thresholds and day kinds of its stall clocks."""

from __future__ import annotations

from events.base import DomainEvent


class RuleSettingChanged(DomainEvent):
    """From ``occurred_on`` on, the setting ``key`` (``rules.decision-overdue.days``) is
    ``value`` (its text: ``10``, ``office``); every as-of answer from that day uses it."""

    key: str
    value: str
