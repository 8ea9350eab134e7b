"""The holidays library's answers kept in a file, so that a start need not import it.

Importing ``holidays`` loads every country it knows (about 0.25 s with Japan's first
year), which was a quarter of the TUI's cold start. The answers are the library's own:
the file names the library's version and is read only by that version (an upgrade, which
may move a holiday, asks the library again); a year it lacks is asked of the library and
added. A file that cannot be read or written is no error: the library answers instead.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

from tracker.domain.office_days import library_holidays

LIBRARY = "holidays"


@cache
def holiday_file(path: Path) -> HolidayFile:
    """The one keeper of ``path`` in this process (every desk over it shares its years)."""
    return HolidayFile(path)


class HolidayFile:
    """``national_holidays``'s source: ``path``'s answers, else the library's (then kept)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._years: dict[int, frozenset[date]] | None = None
        self._library = ""

    def __call__(self, year: int) -> frozenset[date]:
        years = self._kept()
        found = years.get(year)
        if found is None:
            found = years[year] = library_holidays(year)
            self._keep(years)
        return found

    def _kept(self) -> dict[int, frozenset[date]]:
        if self._years is None:
            try:
                self._library = f"{LIBRARY} {metadata.version(LIBRARY)}"
            except metadata.PackageNotFoundError:  # no version to check the file by
                self._library = ""
            self._years = self._read() if self._library else {}
        return self._years

    def _read(self) -> dict[int, frozenset[date]]:
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
            if kept["library"] != self._library:
                return {}
            return {
                int(year): frozenset(date.fromisoformat(d) for d in days)
                for year, days in kept["years"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}  # missing, damaged or another shape: asked of the library again

    def _keep(self, years: dict[int, frozenset[date]]) -> None:
        """Write the file whole under a temporary name, then rename it: a reader (another
        banso) sees the old file or the new one, never half of one."""
        if not self._library:
            return
        kept = {str(y): sorted(d.isoformat() for d in days) for y, days in sorted(years.items())}
        text = json.dumps({"library": self._library, "years": kept}, indent=0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".holidays-")
        except OSError:
            return  # a cache that cannot be kept: the library answers next time too
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(name, self.path)
        except OSError:
            Path(name).unlink(missing_ok=True)
