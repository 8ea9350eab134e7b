"""The bundled list of Japan's 1,741 municipalities (data/japan_municipalities.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from tracker.domain.errors import InvalidInputError
from tracker.domain.municipality import Municipality


@dataclass(frozen=True)
class BundledMunicipality:
    code: str
    prefecture: str
    name: str
    name_kana: str
    kind: str
    population: int

    @property
    def prefecture_code(self) -> str:
        return self.code[:2]


@cache
def bundled() -> tuple[BundledMunicipality, ...]:
    """Every bundled municipality, in code order."""
    text = files("tracker").joinpath("data/japan_municipalities.csv").read_text("utf-8")
    return tuple(
        BundledMunicipality(
            code=row["code"],
            prefecture=row["prefecture"],
            name=row["name"],
            name_kana=row["name_kana"],
            kind=row["kind"],
            population=int(row["population"]),
        )
        for row in csv.DictReader(text.splitlines())
    )


def of_prefecture(prefecture: str) -> list[BundledMunicipality]:
    """The municipalities of a prefecture given by name (埼玉県, 埼玉) or code (11)."""
    key = prefecture.strip()
    if key.isdigit():
        key = key.zfill(2)
    full = key + _suffix(key)  # once: it scans the whole list
    rows = [
        m for m in bundled() if key in (m.prefecture_code, m.prefecture) or m.prefecture == full
    ]
    if not rows:
        raise InvalidInputError(field="prefecture", reason="unknown", value=prefecture)
    return rows


def _suffix(name: str) -> str:
    for suffix in ("都", "道", "府", "県"):
        if any(m.prefecture == name + suffix for m in bundled()):
            return suffix
    return ""


def registration(m: BundledMunicipality, *, on: date, by: str) -> Municipality:
    """A new Municipality aggregate registering a bundled municipality."""
    return Municipality.register(
        m.code,
        m.name,
        name_kana=m.name_kana,
        prefecture=m.prefecture,
        kind=m.kind,
        population=m.population,
        on=on,
        by=by,
    )
