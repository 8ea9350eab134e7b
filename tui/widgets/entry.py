"""Text fields whose cursor blinks unless the app says not (snapshots must be stable)."""

from __future__ import annotations

from textual.widgets import Input, TextArea


class Entry(Input):
    """A one-line text field."""

    def on_mount(self) -> None:
        self.cursor_blink = self.app.blink


class Memo(TextArea):
    """A multi-line text field; Tab moves on, it does not indent."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, tab_behavior="focus", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.cursor_blink = self.app.blink
