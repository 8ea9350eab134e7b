"""Writing what banso makes (backups, tables, workbooks, briefings, the settings file)
without ever destroying what it reads.

Every writer goes through here. An output that names the store, its read models (or their
journals) or the settings file is refused before anything is opened: an export written
over the store it reads would end the store. A regular file is written whole or not at
all: into a temporary file beside it, renamed over it once complete, and a symbolic link is
followed first, so the link stays a link and its target gets the new bytes. A device, a
FIFO or ``/dev/stdout`` is not a file to replace (renaming over ``/dev/null`` replaced the
node for the whole machine): it is written directly.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TypeVar

from tracker.application.private import OWNER_ONLY
from tracker.application.store import MEMORY, is_postgres
from tracker.desk.settings import Settings, config_file
from tracker.domain.errors import InvalidInputError

R = TypeVar("R")

#: The files SQLite keeps beside a database while it is in use.
SIDECARS = ("", "-wal", "-shm", "-journal")
#: Longest name of one path component, and of a whole path, most file systems take (bytes).
NAME_MAX, PATH_MAX = 255, 4095
STDOUT = "-"


def files_in_use(settings: Settings) -> list[Path]:
    """The files banso reads for ``settings``: the store, its read models, the settings."""
    found = [config_file()]
    for base in (settings.store, settings.read_model_path):
        if base != MEMORY and not is_postgres(base):
            found += [Path(base + sidecar) for sidecar in SIDECARS]
    return found


def checked_output(path: Path, in_use: Iterable[Path]) -> Path:
    """``path`` if banso may write it: a name of a usable length, in a folder that exists,
    and none of the files ``in_use`` (through any link or other name); else a refusal."""
    name = str(path)
    if not name.strip():
        raise InvalidInputError(field="output", reason="empty", value="")
    if name == STDOUT:  # standard output may be a file too (``>> banso.sqlite``)
        if any(_same_as_stdout(used) for used in in_use):
            raise InvalidInputError(field="output", reason="in_use", value=name)
        return path
    encoded = os.fsencode(name)
    if len(encoded) > PATH_MAX or any(len(os.fsencode(p)) > NAME_MAX for p in path.parts):
        raise InvalidInputError(field="output", reason="too_long", value=str(NAME_MAX))
    if not path.parent.is_dir():
        raise InvalidInputError(field="file", reason="unknown", value=str(path.parent))
    if path.is_dir():
        raise InvalidInputError(field="output", reason="folder", value=name)
    real = os.path.realpath(path)
    for used in in_use:
        if os.path.realpath(used) == real or _same_file(path, used):
            raise InvalidInputError(field="output", reason="in_use", value=name)
    return path


def _same_file(a: Path, b: Path) -> bool:
    """Whether two existing names are one file (a hard link, another mount of it)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist
        return False


def _same_as_stdout(used: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), os.stat(used))
    except (OSError, ValueError):  # no such file, or no standard output to compare
        return False


def write_file(path: Path, write: Callable[[BinaryIO], R]) -> R:
    """Write ``path`` with ``write`` (given a binary file) and return what it returns: to
    standard output for ``-``, directly to a device or FIFO, else whole or not at all."""
    if str(path) == STDOUT:
        stream = sys.stdout.buffer
        result = write(stream)
        stream.flush()
        return result
    try:
        found = os.stat(path)  # through links: what the name ends at
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        with open(path, "wb") as f:  # a device, a FIFO, /dev/stdout: no rename onto it
            return write(f)
    target = Path(os.path.realpath(path))
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        # owner only (exports hold names and contacts), never over another file
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        with os.fdopen(descriptor, "wb") as f:
            result = write(f)
        if found is not None:
            os.chmod(partial, stat.S_IMODE(found.st_mode))  # a file replaced keeps its mode
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return result
