"""The composition root: builds the application and its read models from settings.

The CLI, the TUI and the tests all start here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from projections.log import EventLog
from projections.readmodels import Progress, ReadModels
from projections.recorded import RecordedViews
from tracker.application.commands import Banso
from tracker.application.private import create_private
from tracker.application.store import check_store
from tracker.desk.holiday_file import holiday_file
from tracker.desk.settings import Settings, holidays_path
from tracker.domain.inputs import today
from tracker.domain.office_days import take_holidays_from


@dataclass
class Desk:
    """The application (commands), its log and the read models (questions) over one store."""

    settings: Settings
    app: Banso
    log: EventLog
    views: ReadModels
    created: bool = field(default=False)
    """The store was a file that did not exist: this desk made it."""
    _recorded: dict[date, RecordedViews] = field(default_factory=dict)

    def refresh(self, progress: Progress | None = None) -> int:
        """Bring the read models up to date with the store; returns events applied."""
        return self.views.catch_up(self.log, progress=progress)

    def recorded(self, day: date) -> sqlite3.Connection:
        """The read models of the store as it had been recorded by the end of ``day`` in
        Japan (``--as-recorded``): built once, kept until the desk closes; today or later,
        the desk's own."""
        if day >= today():
            return self.views.conn
        found = self._recorded.get(day)
        if found is None:
            found = self._recorded[day] = RecordedViews(self.log, day)
        return found.conn

    def close(self) -> None:
        for recorded in self._recorded.values():
            recorded.close()
        self._recorded.clear()
        self.views.close()
        self.app.close()


def bootstrap(settings: Settings, *, create: bool = True) -> Desk:
    """Build banso for ``settings``: the event store it names and the read models beside it.

    A store banso cannot use is refused before anything is opened; a file store that does
    not exist is made when ``create`` allows it (recording), else refused (a question about
    a mistyped path must not answer from a new, empty store)."""
    take_holidays_from(holiday_file(holidays_path()))
    created = check_store(settings.store, create=create)
    if created:
        Path(settings.store).parent.mkdir(parents=True, exist_ok=True)
        create_private(settings.store)
    app = Banso(settings.store, user=settings.user, cipher_key=settings.cipher_key())
    try:
        app.check_key()
    except BaseException:
        app.close()
        raise
    views = ReadModels(settings.read_model_path)
    return Desk(settings=settings, app=app, log=EventLog.of(app), views=views, created=created)
