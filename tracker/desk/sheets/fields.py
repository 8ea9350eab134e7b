"""The columns ``import-sheet`` reads, the headings it finds them under, and the template.

A column is found under its Japanese heading (``sheet.field.NAME``, the template's) or its
name (``opened_on``), whatever the case, width or spacing; a mapping file names a desk's own
headings instead (``--mapping``, TOML, printed by ``--print-mapping``).
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tracker.domain.errors import InvalidInputError
from tracker.language import say


@dataclass(frozen=True)
class Field:
    """A column of the sheet: its name (the English heading) and whether a row needs it."""

    name: str
    required: bool = False

    def heading(self, lang: str) -> str:
        return say(f"sheet.field.{self.name}", lang)

    def help(self, lang: str) -> str:
        return say(f"sheet.help.{self.name}", lang)


#: The columns, in the template's order: the consultation, then what followed it.
FIELDS = (
    Field("reference"),
    Field("opened_on", required=True),
    Field("municipality", required=True),
    Field("topic", required=True),
    Field("summary", required=True),
    Field("channel"),
    Field("contact"),
    Field("applied_on"),
    Field("decided_on"),
    Field("experts"),
    Field("visited_on"),
    Field("report"),
    Field("online"),
    Field("next_steps"),
)
BY_NAME = {f.name: f for f in FIELDS}


def folded(heading: str) -> str:
    """A heading as compared: NFKC (full-width letters and digits), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", heading).split()).lower()


@dataclass(frozen=True)
class Mapping:
    """Which heading holds which field: the default words, or a desk's own."""

    headings: dict[str, tuple[str, ...]]

    @classmethod
    def default(cls) -> Mapping:
        return cls({f.name: (f.name, f.heading("ja"), f.heading("en")) for f in FIELDS})

    @classmethod
    def read(cls, path: Path) -> Mapping:
        """A mapping file (``[columns]`` field = "heading" or ["heading", ...]); a field it
        leaves out keeps its default headings."""
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("columns", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise InvalidInputError(field="mapping", reason="mapping", value=str(e)) from None
        headings = dict(cls.default().headings)
        for name, given in table.items():
            given = [given] if isinstance(given, str) else given
            if name not in BY_NAME or not all(isinstance(h, str) and h.strip() for h in given):
                raise InvalidInputError(field="mapping", reason="mapping", value=name)
            headings[name] = tuple(given)
        return cls(headings)

    def shown(self, name: str, lang: str) -> str:
        """How a message names a field's column: the desk's own heading, else ours."""
        headings = self.headings[name]
        if headings == Mapping.default().headings[name]:
            return BY_NAME[name].heading(lang)
        return headings[0]

    def field_of(self, heading: str) -> str | None:
        """The field a heading of the sheet holds, if any."""
        wanted = folded(heading)
        for name, headings in self.headings.items():
            if any(folded(h) == wanted for h in headings):
                return name
        return None


def mapping_text(lang: str) -> str:
    """A mapping file with every field under its default heading, each explained: to edit
    and give back with ``--mapping``."""
    lines = [f"# {say('sheet.mapping.intro', lang)}", "", "[columns]"]
    for f in FIELDS:
        need = say("sheet.mapping.required" if f.required else "sheet.mapping.optional", lang)
        lines += [f"# {need}: {f.help(lang)}", f'{f.name} = "{f.heading(lang)}"', ""]
    return "\n".join(lines)
