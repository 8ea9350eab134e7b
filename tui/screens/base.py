"""What every screen shares: the top bar, the Footer, loading in threads, staying current.

A screen loads in ``reload``. When the store changes (a recording here, or another process)
or the as-of day changes, the screen on view reloads at once, keeping its cursors; the
others are marked stale and reload when they come back into view.

On a past day nothing can be recorded: the recording keys (``RECORDING``, the screen's and
the app's) leave the Footer, and pressing one says why instead of doing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from tui.asking import Asking
from tui.bindings import localize
from tui.textual_compat import key_to_bindings
from tui.widgets.footer import BansoFooter
from tui.widgets.top_bar import TopBar


class BansoScreen(Asking, Screen[None]):
    """A full screen of banso; subclasses compose ``body`` and implement ``reload``."""

    section: ClassVar[str] = "dashboard"
    AUTO_FOCUS = "RecordTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "b.back", id="back"),
    ]

    #: Actions that record something: hidden while viewing a past day.
    RECORDING: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self.stale = False
        localize(self, self.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield TopBar(self.app.current_mode if self.app.current_mode != "_default" else self.section)
        yield from self.body()
        yield BansoFooter()

    def body(self) -> Iterable[Widget]:
        return ()

    def on_mount(self) -> None:
        """Textual calls the ``on_mount`` of every class a screen derives from, this one last:
        a subclass's own ``on_mount`` must not call it again (it would reload twice, and
        reload twice on every change after)."""
        self.app.views_changed.subscribe(self, self._views_changed)
        self.reload()

    def reload(self) -> None:
        """Ask again for everything this screen shows."""

    def _views_changed(self, _: object) -> None:
        if self._in_view():
            self.reload()
            self.refresh_bindings()
        else:
            self.stale = True

    def _in_view(self) -> bool:
        stack = self.app.screen_stack
        if self not in stack:
            return False
        above = stack[stack.index(self) + 1 :]
        return all(isinstance(screen, ModalScreen) for screen in above)

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.reload()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 1
        return not (action in self.RECORDING and self.app.as_of is not None)

    def on_key(self, event: events.Key) -> None:
        """A recording key on a past day: say why it does nothing (it is not in the Footer)."""
        if self.app.as_of is not None and self._records(event.key):
            event.stop()
            self.app.say_read_only()

    def _records(self, key: str) -> bool:
        for node in (self, self.app):
            for binding in key_to_bindings(node).get(key, ()):
                if binding.action.split("(")[0] in node.RECORDING:  # type: ignore[attr-defined]
                    return True
        return False

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @property
    def context_municipality(self) -> str | None:
        """The municipality a new case started here belongs to, if the screen has one."""
        return None
