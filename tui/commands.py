"""The command palette (ctrl+p): jump to a municipality, case or expert by name, kana or
number, or run an action of the app or of the screen underneath."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.bindings import whole
from tui.quiet import quiet_collector
from tui.reader import Found, Reader
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
        for f in found:
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
                yield Hit(score, matcher.highlight(title), callback, help=help_text)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._actions():
            yield DiscoveryHit(title, callback, help=help_text)

    def _actions(self) -> list[Action]:
        app: Any = self.app
        lang = app.lang
        action = say("palette.action", lang)
        actions: list[Action] = []
        seen = set()
        for binding_key, active in self.screen.active_bindings.items():
            node, binding, enabled, _ = active
            if not enabled or not binding.description or binding.action in seen:
                continue
            if binding.action.startswith(("switch_section", "command_palette")):
                continue
            seen.add(binding.action)
            run = partial(app.run_action, binding.action, node)
            actions.append((whole(binding), f"{action} ({binding_key})", run))
        for i, name in enumerate(SECTIONS, start=1):
            title = say("palette.open_section", lang, section=say(f"section.{name}", lang))
            actions.append((title, f"{action} ({i})", partial(app.action_switch_section, name)))
        actions += [
            (say("palette.theme", lang), f"{action} (ctrl+t)", app.action_toggle_theme),
            (say("palette.as_of", lang), f"{action} (ctrl+d)", app.action_as_of),
            (say("palette.quit", lang), f"{action} (ctrl+q)", app.exit),
        ]
        if app.as_of is not None:
            actions.append(
                (say("palette.today", lang), action, partial(setattr, app, "as_of", None))
            )
        return actions
