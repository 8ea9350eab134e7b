"""The command palette (ctrl+p): jump to a municipality, case or expert by name, kana or
number, or run an action of the app or of the screen underneath.

It speaks the interface's language only: it offers banso's own actions (each binding banso
gives an id and words from its catalogue), not the English ones Textual's widgets bring
(Scroll Left, Focus Next, Copy selected text..), and when nothing matches it says so itself,
before Textual's palette would say "No matches found"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.bindings import whole
from tui.quiet import quiet_collector
from tui.reader import Found, Reader
from tui.textual_compat import key_to_bindings
from tui.widgets.top_bar import SECTIONS
from tui.words import say

Action = tuple[str, str, Callable[[], Any]]


def _find(reader: Reader, query: str) -> list[Found]:
    with quiet_collector():
        return reader.find(query)


class BansoCommands(Provider):
    """Everything the palette offers."""

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        lang = app.lang
        matcher = self.matcher(query)
        found = await asyncio.to_thread(_find, app.reader, query)
        hits = 0
        for f in found:
            hits += 1
            title = f"{say(f'palette.{f.kind}', lang)}  {f.title}"
            yield Hit(
                0.5 + f.score / 8,
                matcher.highlight(title),
                partial(app.open_found, f.kind, f.ref),
                help=f.detail,
            )
        for title, help_text, callback in self._actions():
            score = matcher.match(title)
            if score > 0:
                hits += 1
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        if not hits and query.strip():
            yield Hit(
                1.0, say("palette.nothing", lang), _nothing, text=say("palette.nothing", lang)
            )

    async def discover(self) -> Hits:
        for title, help_text, callback in self._actions():
            yield DiscoveryHit(title, callback, help=help_text)

    def _actions(self) -> list[Action]:
        app: Any = self.app
        lang = app.lang

        def key(shown: str) -> str:
            return say("palette.key", lang, key=shown)

        actions: list[Action] = []
        seen = set()
        for active in self.screen.active_bindings.values():
            node, binding, enabled, _ = active
            # banso's own bindings have an id and catalogue words; Textual's have neither
            if not enabled or binding.id is None or not binding.description:
                continue
            if binding.action in seen or binding.action.split("(")[0] in OFFERED_BELOW:
                continue
            seen.add(binding.action)
            run = partial(app.run_action, binding.action, node)
            actions.append((whole(binding), key(app.get_key_display(binding)), run))
        for i, name in enumerate(SECTIONS, start=1):
            title = say("palette.open_section", lang, section=say(f"section.{name}", lang))
            actions.append((title, key(str(i)), partial(app.action_switch_section, name)))
        for word, action in (
            ("palette.theme", "toggle_theme"),
            ("palette.as_of", "as_of"),
            ("palette.quit", "quit"),
            *((("palette.today", "today"),) if app.as_of is not None else ()),
        ):
            actions.append(
                (say(word, lang), key(_key_of(app, action)), partial(app.run_action, action))
            )
        return actions


#: Actions not offered by their binding: the palette itself, the sections (offered by
#: name), and going back to today (offered in words of its own, below).
OFFERED_BELOW = ("command_palette", "switch_section", "today")


def _key_of(app: Any, action: str) -> str:
    """The key of one of the app's own actions, as the Footer shows it (^d)."""
    for bindings in key_to_bindings(app).values():
        for binding in bindings:
            if binding.action == action:
                return str(app.get_key_display(binding))
    return ""


def _nothing() -> None:
    """Choosing "nothing matches" just closes the palette."""
