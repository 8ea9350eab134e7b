"""Finding municipalities, experts and cases by what people type: code, number or name.

``find_*`` resolve one reference (the CLI's arguments, a case opened by number); the
indexes and ``cases_matching`` give the candidates a search as you type ranks (the TUI's
palette and pickers).
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from projections.queries.common import one, rows
from tracker.domain.case import canonical_number
from tracker.domain.errors import (
    AmbiguousNameError,
    InvalidInputError,
    UnknownCaseError,
    UnknownExpertError,
    UnknownMunicipalityError,
)
from tracker.domain.folding import fold
from tracker.domain.owners import Owner, parse_owner

#: Candidates an ambiguous municipality's refusal names at most.
CANDIDATES = 10


def find_municipality(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """A municipality by 6-digit code, name (川口市, or 府中市 with its prefecture) or kana
    (かわぐちし, カワグチシ), in any width, or by the unambiguous start of one (川口, かわぐち);
    several that fit are refused, naming them."""
    ref = ref.strip()
    found = rows(
        conn,
        "SELECT * FROM municipalities WHERE code = ? OR name = ? OR prefecture || name = ?"
        " ORDER BY code",
        (ref, ref, ref),
    )
    if not found:
        found = _by_what_was_typed(conn, fold(ref))
    if not found:
        raise UnknownMunicipalityError(municipality=ref)
    if len(found) > 1:
        candidates = "、".join(
            f"{r['code']} {r['prefecture']}{r['name']}" for r in found[:CANDIDATES]
        )
        more = f"… (+{len(found) - CANDIDATES})" if len(found) > CANDIDATES else ""
        raise AmbiguousNameError(name=ref, candidates=candidates + more)
    return found[0]


def _by_what_was_typed(conn: sqlite3.Connection, needle: str) -> list[dict[str, Any]]:
    """Municipalities whose name, prefecture and name, or kana, folded, is ``needle``; else
    those whose name, prefecture and name, or kana begins with it."""
    if not needle:
        return []
    every = rows(conn, "SELECT * FROM municipalities ORDER BY code")
    spelt = [
        (m, (fold(m["name"]), fold(m["prefecture"] + m["name"]), fold(m["name_kana"])))
        for m in every
    ]
    exact = [m for m, names in spelt if needle in names]
    return exact or [m for m, names in spelt if any(n.startswith(needle) for n in names if n)]


def find_expert(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """An expert by id (E001) or exact name."""
    ref = ref.strip()
    found = rows(conn, "SELECT * FROM experts WHERE expert_id = ? OR name = ?", (ref.upper(), ref))
    if not found:
        raise UnknownExpertError(expert=ref)
    if len(found) > 1:
        raise AmbiguousNameError(
            name=ref, candidates="、".join(f"{r['expert_id']} {r['name']}" for r in found)
        )
    return found[0]


def find_owner(conn: sqlite3.Connection, text: str, field: str = "owner") -> Owner:
    """The owner ``text`` names (``tracker.domain.owners``), an expert resolved to its id;
    one that is none of the forms, nor a registered expert, is refused saying the forms."""
    owner = parse_owner(text, field)
    if owner.kind != "expert":
        return owner
    try:
        return Owner("expert", str(find_expert(conn, str(owner.name))["expert_id"]))
    except UnknownExpertError:
        raise InvalidInputError(field=field, reason="owner", value=text.strip()) from None


def find_case(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """A case by number (2025-001, or as ``canonical_number`` reads one) or id (in any
    spelling a UUID accepts)."""
    ref = canonical_number(ref)
    try:
        case_id = str(UUID(ref))
    except ValueError:
        case_id = ref
    found = one(conn, "SELECT * FROM cases WHERE number = ? OR id = ?", (ref, case_id))
    if found is None:
        raise UnknownCaseError(case=ref)
    return found


def municipality_index(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Code, name, kana and prefecture of every municipality, in code order."""
    return rows(conn, "SELECT code, name, name_kana, prefecture FROM municipalities ORDER BY code")


def expert_index(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Id, name and background of every expert, in id order."""
    return rows(conn, "SELECT expert_id, name, background FROM experts ORDER BY expert_id")


def cases_matching(
    conn: sqlite3.Connection, text: str, *, summaries: bool = True, limit: int = 10
) -> list[dict[str, Any]]:
    """Cases whose number begins with ``text`` (first) or, if ``summaries``, whose summary
    holds it; newest first within each, at most ``limit``. Each row: number,
    municipality_name (None if unknown), summary, by_number (1 if the number matched)."""
    # What people type is text: a % or _ in it is that character, not LIKE's wildcard.
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return rows(
        conn,
        "SELECT c.number, m.name AS municipality_name, c.summary,"
        " c.number LIKE ? ESCAPE '\\' AS by_number FROM cases c"
        " LEFT JOIN municipalities m ON m.code = c.municipality"
        " WHERE c.number LIKE ? ESCAPE '\\' OR (? AND c.summary LIKE ? ESCAPE '\\')"
        " ORDER BY by_number DESC, c.opened_on DESC LIMIT ?",
        (literal + "%", literal + "%", summaries, f"%{literal}%", limit),
    )
