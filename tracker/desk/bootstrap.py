"""The composition root: builds the application and its read models from settings.

The CLI, the TUI and the tests all start here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from projections.log import EventLog
from projections.readmodels import Progress, ReadModels
from tracker.application.commands import Banso
from tracker.application.store import check_store
from tracker.desk.settings import Settings


@dataclass
class Desk:
    """The application (commands), its log and the read models (questions) over one store."""

    settings: Settings
    app: Banso
    log: EventLog
    views: ReadModels
    created: bool = field(default=False)
    """The store was a file that did not exist: this desk made it."""

    def refresh(self, progress: Progress | None = None) -> int:
        """Bring the read models up to date with the store; returns events applied."""
        return self.views.catch_up(self.log, progress=progress)

    def close(self) -> None:
        self.views.close()
        self.app.close()


def bootstrap(settings: Settings, *, create: bool = True) -> Desk:
    """Build banso for ``settings``: the event store it names and the read models beside it.

    A store banso cannot use is refused before anything is opened; a file store that does
    not exist is made when ``create`` allows it (recording), else refused (a question about
    a mistyped path must not answer from a new, empty store)."""
    created = check_store(settings.store, create=create)
    if created:
        Path(settings.store).parent.mkdir(parents=True, exist_ok=True)
    app = Banso(settings.store, user=settings.user)
    views = ReadModels(settings.read_model_path)
    return Desk(settings=settings, app=app, log=EventLog.of(app), views=views, created=created)
