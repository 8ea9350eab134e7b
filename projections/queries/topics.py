"""``banso topic list``: the topics a consultation can be filed under."""

from __future__ import annotations

import sqlite3
from typing import Any

from projections.queries.common import rows
from tracker.domain.topics import DEFAULT_TOPICS
from tracker.language import say


def list_topics(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The default topics, then the desk's own in the order they were registered; each
    ``{"code", "name", "name_en", "builtin", "registered_on"}``."""
    built_in = [
        {
            "code": code,
            "name": say(f"topic.{code}", "ja"),
            "name_en": say(f"topic.{code}", "en"),
            "builtin": True,
            "registered_on": None,
        }
        for code in DEFAULT_TOPICS
    ]
    own = rows(
        conn,
        "SELECT code, name, COALESCE(name_en, name) AS name_en, 0 AS builtin, registered_on"
        " FROM topics ORDER BY registered_on, rowid",
    )
    for topic in own:
        topic["builtin"] = False
    return built_in + own
