"""A choice typed as people say it: its code (``phone``) or its words in either language
(``電話``, ``Phone``), compared folded; a refusal lists every value that can be chosen.

The codes come from the event types (``events``), their words from the labels catalogue
(``channel.phone``); registered topics bring their own words (``tracker.domain.topics``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from tracker.domain.errors import InvalidInputError
from tracker.domain.folding import fold
from tracker.language import LANGUAGES, say

C = TypeVar("C", bound=str)
#: One value that can be chosen: its code and its name by language.
Named = tuple[str, Mapping[str, str]]


@dataclass(frozen=True)
class Choices:
    """The values a refusal lists, said in the language of the message (``said``)."""

    values: tuple[Named, ...]

    def said(self, lang: str) -> str:
        """``chat チャット、mail メール`` in Japanese, ``chat, no-response (no response)`` in English."""
        if lang == "ja":
            return "、".join(
                _with_name(code, names.get("ja"), "{code} {name}") for code, names in self.values
            )
        return ", ".join(
            _with_name(code, names.get("en"), "{code} ({name})") for code, names in self.values
        )


def _with_name(code: str, name: str | None, form: str) -> str:
    """A code with its name, or the code alone when the name says nothing more."""
    return code if not name or name == code else form.format(code=code, name=name)


def named(family: str, codes: Iterable[str]) -> tuple[Named, ...]:
    """Each code with its words in the catalogue (``family.code``), in every language."""
    return tuple(
        (code, {lang: say(f"{family}.{code}", lang) for lang in LANGUAGES}) for code in codes
    )


def choose(value: str, values: Iterable[Named], field: str) -> str:
    """The code ``value`` names (a code or a name, in any width, kana or case), or a refusal
    that lists every value (``field`` names the option)."""
    values = tuple(values)
    code = _lookup(values).get(fold(value))
    if code is None:
        raise InvalidInputError(field=field, reason="choice", value=value, choices=Choices(values))
    return code


def choose_from(value: str, family: str, codes: tuple[C, ...], field: str) -> C:
    """``choose`` among ``codes`` named by the catalogue family (``channel``, ``resolution``)."""
    code = choose(value, _catalogue_named(family, codes), field)
    return codes[codes.index(code)]  # the code as the type has it (a Literal)


@cache
def _catalogue_named(family: str, codes: tuple[str, ...]) -> tuple[Named, ...]:
    return named(family, codes)


def _lookup(values: tuple[Named, ...]) -> dict[str, str]:
    """Every folded spelling of every value, to its code (codes win over names)."""
    found: dict[str, str] = {}
    for code, names in values:
        for name in names.values():
            found.setdefault(fold(name), code)
    for code, _ in values:
        found[fold(code)] = code
    return found
