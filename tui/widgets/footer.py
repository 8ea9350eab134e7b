"""Textual's Footer on one line that always fits: the screen's own keys stay in view.

Textual's Footer lays the keys out in a row and cuts off whatever passes the right edge; on
the case screen at 80 columns that was most of the keys. This one fits the row to the
width, each time the keys or the width change:

1. every key with its whole words, the app-wide keys of ``YIELDING`` leaving, in turn, if
   the line is too long (they are all on the help screen, and in the palette);
2. else every key with the short words (``b.apply.short``; the whole ones stay in the
   tooltip, the help screen and the palette, see ``tui.bindings``), the app-wide keys
   leaving in the same way, and at the last ``help`` and ``back`` too.
"""

from __future__ import annotations

from typing import ClassVar

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer

from tui.textual_compat import FooterKey, KeyGroup


class BansoFooter(Footer):
    """The keys of the screen on view, fitted to one line."""

    DEFAULT_CSS = """
    BansoFooter.-compact {
        KeyGroup.-compact { padding-left: 0; }
        FooterLabel { margin: 0 1 0 0; }
    }
    """

    #: App-wide actions that leave the Footer, first to last, when the line is too long...
    YIELDING: ClassVar[tuple[str, ...]] = ("command_palette", "as_of", "new_case")
    #: ...and these too, but only once the words are short.
    YIELDING_LAST: ClassVar[tuple[str, ...]] = ("help", "back")

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._forms: dict[FooterKey, tuple[str, str]] = {}
        """Each key's (short, whole) words, as composed."""
        self._composed: tuple[object, ...] | None = None
        """What the keys shown were composed from (``_shown``), while any are shown."""

    def _shown(self) -> tuple[object, ...]:
        """What Textual's Footer composes its keys from."""
        keys = tuple(
            (b.key, b.action, b.description, b.show, b.tooltip, enabled, tooltip)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
        )
        return (self.compact, self.show_command_palette, self.combine_groups, keys)

    async def recompose(self) -> None:
        """Compose the keys again, unless they are the ones shown: Textual asks after every
        change of focus or bindings (four times as the dashboard starts, each remounting
        every key), mostly for the same keys."""
        if not self.is_attached:  # gone meanwhile: Textual's recompose does nothing then
            return
        shown = self._shown()
        if shown == self._composed:
            return
        await super().recompose()
        self._composed = shown if self.children else None  # an empty Footer: not yet ready
        self._forms = {
            key: (key.description, str(key.tooltip or key.description))
            for key in self.query(FooterKey)
            if key.description
        }
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Choose the words and the keys shown for the width there is."""
        room = self.size.width
        if room <= 0 or not self.is_attached:
            return
        for whole, yielding in (
            (True, self.YIELDING),
            (False, self.YIELDING + self.YIELDING_LAST),
        ):
            for key in self.query(FooterKey):
                key.display = True
            self._words(whole=whole)
            if self._make_room(room, yielding):
                return

    def _make_room(self, room: int, yielding: tuple[str, ...]) -> bool:
        """Hide the keys of ``yielding`` in turn until the line fits; whether it does."""
        for action in yielding:
            if self.needed() <= room:
                return True
            for key in self.children:
                if isinstance(key, FooterKey) and key.action == action:
                    key.display = False
        return self.needed() <= room

    def needed(self) -> int:
        """Columns the keys now shown take."""
        shown = [child for child in self.children if child.display]
        if not shown:
            return 0
        return sum(self._span(child) for child in shown) - shown[-1].styles.margin.right

    def _span(self, widget: Widget) -> int:
        if isinstance(widget, KeyGroup):
            inner = sum(self._span(child) for child in widget.children if child.display)
        else:
            inner = widget.get_content_width(Size(self.size.width, 1), self.app.size)
        return inner + widget.styles.gutter.width + widget.styles.margin.width

    def _words(self, *, whole: bool) -> None:
        for key, (short, full) in self._forms.items():
            word = full if whole else short
            if key.description != word:
                key.description = word
                key.clear_cached_dimensions()
                key.refresh(layout=True)
