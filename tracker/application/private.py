"""Files readable by their owner only (0600): the store, its read models, exports, key files.

They hold what people told the desk, names and contacts among it. A file made here is made
with mode 0600 from the start (never widened, then narrowed); SQLite gives its WAL and
shared-memory side files the mode of their database file, so they follow.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tracker.domain.errors import InvalidInputError

OWNER_ONLY = 0o600


def create_private(path: str | Path) -> None:
    """Make ``path`` an empty file readable by its owner only, unless it exists already."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))


def write_key_file(path: Path, key: str) -> None:
    """Write a key into a new owner-only file; an existing file is refused, never replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        raise InvalidInputError(field="file", reason="key_file_exists", value=str(path)) from None
    except OSError as e:
        raise InvalidInputError(
            field="file", reason="key_file", value=f"{path}: {e.strerror}"
        ) from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
