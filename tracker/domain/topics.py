"""The default consultation topics (DOMAIN.md); users may name their own.

Their names, in both languages, are in the labels catalogue (``topic.A`` ..).
"""

from __future__ import annotations

from tracker.language import LANGUAGES, say

DEFAULT_TOPICS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "Z")


def normalize_topic(value: str) -> str:
    """A default topic's letter (given as letter or label), else the user's own label."""
    value = value.strip()
    if value.upper() in DEFAULT_TOPICS:
        return value.upper()
    for code in DEFAULT_TOPICS:
        if any(value == say(f"topic.{code}", lang) for lang in LANGUAGES):
            return code
    return value


def topic_label(topic: str, lang: str = "ja") -> str:
    """A readable label for a stored topic: ``B 標準化・ガバメントクラウド``, or the user's own."""
    if topic not in DEFAULT_TOPICS:
        return topic
    return f"{topic} {say(f'topic.{topic}', lang)}"
