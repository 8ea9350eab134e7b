"""Fixtures of the projection tests: an in-memory desk with the reference data registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from projections_support import memory_desk, register_reference

from tracker.desk.bootstrap import Desk


@pytest.fixture
def desk() -> Iterator[Desk]:
    """An empty in-memory store and its read models."""
    made = memory_desk()
    yield made
    made.close()


@pytest.fixture
def registered(desk: Desk) -> Desk:
    """The desk with three municipalities and experts E001-E003 registered on 2024-04-01."""
    register_reference(desk)
    return desk
