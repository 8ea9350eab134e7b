"""The default consultation topics (DOMAIN.md); users may name their own."""

from __future__ import annotations

DEFAULT_TOPICS: dict[str, tuple[str, str]] = {
    "A": ("推進体制・計画", "DX organisation and planning"),
    "B": ("標準化・ガバメントクラウド", "Standardisation and Government Cloud"),
    "C": ("フロントヤード", "Front yard (citizen-facing services)"),
    "D": ("内部事務", "Back office"),
    "E": ("セキュリティ・ネットワーク", "Security and network"),
    "F": ("調達", "Procurement"),
    "G": ("データ活用・オープンデータ", "Data and open data"),
    "H": ("地域社会DX", "Community DX"),
    "I": ("デジタルデバイド対策", "Digital divide"),
    "Z": ("その他", "Other"),
}


def normalize_topic(value: str) -> str:
    """A default topic's letter (given as letter or label), else the user's own label."""
    value = value.strip()
    if value.upper() in DEFAULT_TOPICS:
        return value.upper()
    for code, labels in DEFAULT_TOPICS.items():
        if value in labels:
            return code
    return value


def topic_label(topic: str, lang: str = "ja") -> str:
    """A readable label for a stored topic."""
    labels = DEFAULT_TOPICS.get(topic)
    if labels is None:
        return topic
    return f"{topic} {labels[0] if lang == 'ja' else labels[1]}"
