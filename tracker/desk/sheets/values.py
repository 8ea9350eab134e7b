"""A sheet's cells as the commands' inputs: dates, municipalities, topics, choices, experts,
yes/no, lists. Each refusal names the field, so the importer can name the column.

What people type is read by the same parsers as the command line's: dates by
``tracker.domain.dates`` (``2026/10/01``, 令和 dates), choices and topics by
``tracker.domain.choices`` (codes or names, folded), municipalities by the finder (code,
name, kana or an unambiguous prefix); these functions are where a sheet's cells meet them.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from datetime import date

from events.case import CHANNELS
from projections.queries.directory import find_expert, find_municipality
from tracker.desk.sheets.reading import Cell
from tracker.domain.choices import Named, choose, choose_from
from tracker.domain.codes import validate_code
from tracker.domain.dates import parse_date
from tracker.domain.errors import InvalidInputError
from tracker.domain.topics import DEFAULT_TOPICS
from tracker.language import LANGUAGES, say

#: Between names in one cell: Japanese and Western commas, slashes, lines.
NAMES = re.compile(r"\s*(?:[、,，/／;；・]|\n)\s*")
#: Between the steps of a list in one cell: lines, or " / " as the export writes them
#: (a step may hold commas of its own).
STEPS = re.compile(r"\s*\n\s*|\s+/\s+")
EXPERT_ID = re.compile(r"[Ee]\d+")


def text(cell: Cell) -> str | None:
    """A cell as text (a number typed in a text column stays the number's digits)."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip() or None


def day(cell: Cell, field: str) -> date | None:
    """A date cell, or a date written as the desk writes one (``2025/4/1``, ``R7.4.1``,
    ``令和7年4月1日``: ``tracker.domain.dates``)."""
    if cell is None or isinstance(cell, date):
        return cell
    return parse_date(str(cell), field)


def municipality(conn: sqlite3.Connection, cell: Cell) -> str:
    """A registered municipality's code, by code or by exact name."""
    ref = unicodedata.normalize("NFKC", text(cell) or "")
    if ref.isdigit():
        validate_code(ref)
    return str(find_municipality(conn, ref)["code"])


def topic(cell: Cell, topics: Iterable[Named]) -> str:
    """A topic of ``topics`` (the default ones and the desk's own) by code, name, or
    ``B 標準化…`` as exported; an unknown one is refused (a typo would become a topic of
    its own), listing them."""
    value = unicodedata.normalize("NFKC", text(cell) or "")
    letter = value.split(" ", 1)[0].upper()
    if letter in DEFAULT_TOPICS and (value.upper() == letter or " " in value):
        return letter
    return choose(value, topics, "topic")


def choice(cell: Cell, allowed: tuple[str, ...], family: str, field: str) -> str:
    """A choice by its code or its name in either language (``phone`` or 電話)."""
    return choose_from(text(cell) or "", family, allowed, field)


def channel(cell: Cell) -> str:
    return "chat" if cell is None else choice(cell, CHANNELS, "channel", "channel")


def yes_no(cell: Cell) -> bool:
    """はい/いいえ, yes/no, TRUE/FALSE, 1/0, オンライン/現地; blank is no."""
    if cell is None:
        return False
    if isinstance(cell, bool):
        return cell
    value = unicodedata.normalize("NFKC", str(cell)).strip().lower()
    for answer, words in (
        (True, ("sheet.value.yes", "support.online")),
        (False, ("sheet.value.no", "support.on_site")),
    ):
        spelled = {say(w, lang).lower() for w in words for lang in LANGUAGES}
        if value in spelled | ({"true", "1"} if answer else {"false", "0"}):
            return answer
    raise InvalidInputError(field="online", reason="yes_no", value=value)


def items(cell: Cell, between: re.Pattern[str] = STEPS) -> list[str]:
    """The items of a list cell (next steps; experts ``between`` names)."""
    value = text(cell)
    return [item for item in between.split(value) if item] if value else []


def experts(conn: sqlite3.Connection, cell: Cell) -> list[str]:
    """Registered experts' ids, by id, exact name, or both (``E001 山田太郎``, as exported)."""
    found = []
    for ref in items(cell, NAMES):
        first = unicodedata.normalize("NFKC", ref).split(" ", 1)[0]
        found.append(
            str(find_expert(conn, first if EXPERT_ID.fullmatch(first) else ref)["expert_id"])
        )
    return found
