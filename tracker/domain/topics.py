"""Consultation topics: the default taxonomy (DOMAIN.md), built in, and the desk's own.

The default topics' names, in both languages, are in the labels catalogue (``topic.A`` ..).
A desk adds its own with ``banso topic add``: a ``TopicRegistered`` event of the desk's one
``Taxonomy``, so every process of a shared store knows them. A topic is chosen by its code
or by a name in either language; anything else is refused with the list of topics.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from events.topic import TopicRegistered
from tracker.domain.base import Aggregate, when
from tracker.domain.choices import Named, choose, named
from tracker.domain.errors import InvalidInputError, TopicExistsError
from tracker.domain.folding import fold
from tracker.domain.inputs import MAX_SHORT, clean_text, optional_text
from tracker.language import say

DEFAULT_TOPICS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "Z")
#: The desk's one taxonomy: every registered topic is an event of this aggregate.
TAXONOMY_ID: UUID = uuid5(NAMESPACE_URL, "banso:taxonomy")
#: Longest code of a registered topic.
MAX_CODE = 20


def default_topics() -> tuple[Named, ...]:
    """The built-in topics with their names in both languages."""
    return named("topic", DEFAULT_TOPICS)


def default_topic(value: str) -> str | None:
    """The default topic ``value`` names (its letter or a name), else None."""
    try:
        return choose(value, default_topics(), "topic")
    except InvalidInputError:
        return None


def topic_label(topic: str, lang: str = "ja", registered: Mapping[str, Any] | None = None) -> str:
    """A readable label for a stored topic: ``B 標準化・ガバメントクラウド``; one the desk
    registered with the names in ``registered`` (a row of ``topics``: ``name``, ``name_en``),
    else its bare code (a topic named freely before topics were checked)."""
    if topic in DEFAULT_TOPICS:
        return f"{topic} {say(f'topic.{topic}', lang)}"
    if not registered:
        return topic
    name = (lang == "en" and registered.get("name_en")) or registered.get("name")
    return f"{topic} {name}" if name else topic


class Taxonomy(Aggregate):
    """The topics the desk registered, beside the default ones: one aggregate for the whole
    desk, so that a code or a name is taken once, even by two processes at the same time."""

    def __init__(self, id: UUID = TAXONOMY_ID) -> None:
        super().__init__(id)
        self.registered: dict[str, dict[str, str]] = {}

    def topics(self) -> tuple[Named, ...]:
        """Every topic that can be chosen: the default ones, then the desk's own."""
        return (*default_topics(), *self.registered.items())

    def choose(self, value: str, field: str = "topic") -> str:
        """The code of the topic ``value`` names, or a refusal listing every topic."""
        return choose(value, self.topics(), field)

    def register(self, code: str, name: str, *, name_en: str | None, on: date, by: str) -> str:
        """Register a topic of the desk's own; returns its code."""
        code = _topic_code(code)
        name = clean_text(name, "name", limit=MAX_SHORT)
        name_en = optional_text(name_en, "name_en", limit=MAX_SHORT)
        spellings = {fold(code), fold(name)} | ({fold(name_en)} if name_en else set())
        for taken, names in self.topics():
            if spellings & {fold(taken), *(fold(n) for n in names.values())}:
                raise TopicExistsError(topic=taken)
        self._trigger(TopicRegistered, on=on, by=by, code=code, name=name, name_en=name_en)
        return code

    @when(TopicRegistered)
    def _on_topic_registered(self, event: TopicRegistered) -> None:
        self.registered[event.code] = {"ja": event.name, "en": event.name_en or event.name}


def _topic_code(value: str) -> str:
    """A new topic's code: one word (NFKC, letters in capitals), at most ``MAX_CODE`` long."""
    code = clean_text(value, "topic_code", limit=MAX_CODE)
    if any(ch.isspace() for ch in code):
        raise InvalidInputError(field="topic_code", reason="spaces", value=code)
    return "".join(ch.upper() if ch.isascii() else ch for ch in unicodedata.normalize("NFKC", code))
