"""Finding municipalities, experts and cases by what people type: code, number or name."""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

from projections.queries.common import one, rows
from tracker.domain.errors import (
    AmbiguousNameError,
    UnknownCaseError,
    UnknownExpertError,
    UnknownMunicipalityError,
)


def find_municipality(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """A municipality by 6-digit code or exact name (川口市, or 府中市 with its prefecture)."""
    ref = ref.strip()
    found = rows(
        conn,
        "SELECT * FROM municipalities WHERE code = ? OR name = ? OR prefecture || name = ?"
        " ORDER BY code",
        (ref, ref, ref),
    )
    if not found:
        raise UnknownMunicipalityError(municipality=ref)
    if len(found) > 1:
        candidates = "、".join(f"{r['code']} {r['prefecture']}{r['name']}" for r in found)
        raise AmbiguousNameError(name=ref, candidates=candidates)
    return found[0]


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


def find_case(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """A case by number (2025-001) or id (in any spelling a UUID accepts)."""
    ref = ref.strip()
    try:
        case_id = str(UUID(ref))
    except ValueError:
        case_id = ref
    found = one(conn, "SELECT * FROM cases WHERE number = ? OR id = ?", (ref, case_id))
    if found is None:
        raise UnknownCaseError(case=ref)
    return found
