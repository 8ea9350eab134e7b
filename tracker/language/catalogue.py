"""Catalogues: TOML files a translator can read, each key with its Japanese and English side by side.

An entry is a table with one text per language::

    [error.unknown_case]
    ja = "案件 {case} は見つかりません"
    en = "Unknown case: {case}"

or the same on one line, ``unknown_case = { ja = "…", en = "…" }``. Tables nest, and the
dotted path is the key (``error.unknown_case``). An entry may hold entries of its own: a
TUI binding's ``short`` form sits beside its whole one (``b.apply`` and ``b.apply.short``).

Loading checks what a translator could get wrong, and names the file and key: a language
missing or empty, or a ``{placeholder}`` one language has and the other has not. Where the
languages say different facts on purpose (the Japanese fiscal year names its era, the
English one its months), the entry says so in ``ja_only``/``en_only``.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

LANGUAGES = ("ja", "en")
#: What an unknown language gets: English (the language every reader of banso shares).
FALLBACK = "en"
_ONLY = tuple(f"{lang}_only" for lang in LANGUAGES)


class CatalogueError(ValueError):
    """A catalogue a translator has to fix: the file, the key and what is wrong."""


class _Keep(dict[str, Any]):
    """Params for ``format_map``: a placeholder nobody passed stays visible as ``{name}``."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


class Catalogue:
    """The words of some catalogue files; read on the first lookup, then kept."""

    def __init__(self, files: Iterable[Path | Traversable], *, under: Catalogue | None = None):
        self.under = under
        self.own = tuple(files)
        self.files: tuple[Path | Traversable, ...] = (
            (*under.files, *self.own) if under else self.own
        )

    def joined(self, *files: Path | Traversable) -> Catalogue:
        """This catalogue and ``files`` together (a key may be in only one of them); the
        files of this one are read once for both (the TUI's words join banso's)."""
        return Catalogue(files, under=self)

    @cached_property
    def entries(self) -> dict[str, dict[str, str]]:
        """Every key and its texts by language."""
        found: dict[str, dict[str, str]] = dict(self.under.entries) if self.under else {}
        for file in self.own:
            for key, texts in read(file).items():
                if key in found:
                    raise CatalogueError(f"{file.name}: {key} is already in another catalogue")
                found[key] = texts
        return found

    def say(self, key: str, lang: str = "ja", /, **params: Any) -> str:
        """The words for ``key`` in ``lang``, with ``params`` in their ``{placeholders}``."""
        texts = self.entries[key]
        text = texts.get(lang) or texts[FALLBACK]
        return text.format_map(_Keep(params)) if params else text

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)


def read(file: Path | Traversable) -> dict[str, dict[str, str]]:
    """The entries of one catalogue file, checked; a mistake raises ``CatalogueError``."""
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"{file.name}: not valid TOML ({e})") from None
    entries: dict[str, dict[str, str]] = {}
    _collect(file.name, "", table, entries)
    return entries


def _collect(name: str, prefix: str, table: Mapping[str, Any], into: dict[str, dict[str, str]]):
    for part, value in table.items():
        key = f"{prefix}{part}"
        if not isinstance(value, dict):
            raise CatalogueError(f"{name}: {key} is neither an entry nor a table of entries")
        if any(lang in value for lang in LANGUAGES):
            into[key] = _entry(name, key, value)
        nested = {k: v for k, v in value.items() if k not in (*LANGUAGES, *_ONLY)}
        _collect(name, f"{key}.", nested, into)


def _entry(name: str, key: str, value: Mapping[str, Any]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"{name}: {key} has no {lang} text")
        texts[lang] = text
    shared: set[str] | None = None
    for lang in LANGUAGES:
        own = set(value.get(f"{lang}_only", ()))
        try:
            used = placeholders(texts[lang])
        except ValueError as e:  # an unmatched brace
            raise CatalogueError(f"{name}: {key} in {lang}: {e}") from None
        if not own <= used:
            raise CatalogueError(f"{name}: {key} says {lang}_only {sorted(own - used)}, unused")
        if shared is not None and used - own != shared:
            raise CatalogueError(
                f"{name}: {key} has placeholders {sorted(used - own)} in {lang}"
                f" but {sorted(shared)} in {LANGUAGES[0]}"
            )
        shared = used - own
    return texts


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text has (``{n:g}`` names ``n``); a stray brace raises ValueError."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
