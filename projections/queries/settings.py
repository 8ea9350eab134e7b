"""The rule book as it stood on a day: the thresholds and day kinds the stall rules use."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.queries.common import AsOf, rows
from tracker.domain.rulebook import RuleSettings, settings_from


def rule_settings(conn: sqlite3.Connection, as_of: date | None = None) -> RuleSettings:
    """The settings in force at the end of ``as_of`` (default today): each key's latest
    change effective by then, else its default."""
    changes = conn.execute(
        "SELECT key, value FROM rule_settings WHERE effective_on <= ?"
        " ORDER BY effective_on, position",
        (AsOf.of(as_of).iso,),
    )
    return settings_from(list(changes))


def setting_changes(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every change of the rule book, in effective order (who set what, from when)."""
    return rows(
        conn,
        "SELECT key, value, effective_on, recorded_by FROM rule_settings"
        " ORDER BY effective_on, position",
    )


def changed_on(conn: sqlite3.Connection, as_of: date | None = None) -> dict[str, str]:
    """Each key's latest change effective by ``as_of``: the day it took effect."""
    found: dict[str, str] = {}
    for key, on in conn.execute(
        "SELECT key, effective_on FROM rule_settings WHERE effective_on <= ?"
        " ORDER BY effective_on, position",
        (AsOf.of(as_of).iso,),
    ):
        found[key] = on
    return found
