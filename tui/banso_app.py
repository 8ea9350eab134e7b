"""The banso TUI: ``make_app(desk)`` builds it (``tui.app.run`` and the tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import import_module
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.driver import Driver
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from tracker.desk.bootstrap import Desk
from tui.asking import Asking
from tui.bindings import localize
from tui.commands import BansoCommands
from tui.quiet import settle_heap
from tui.reader import Reader
from tui.screens.dashboard import DashboardScreen
from tui.themes import DARK, LIGHT, THEMES
from tui.words import say

#: Seconds between looks at the store for events recorded by other processes.
LIVE_SECONDS = 1.5
#: The longest the cycle collector stays paused at start (``tui.quiet.hold_collector``).
COLLECTOR_PAUSE_SECONDS = 10.0


def section(module: str, name: str) -> Callable[[], Screen[None]]:
    """A section's screen, its module imported when the section is first opened: a cold
    start loads the dashboard's code alone (the other screens are opened the same way)."""
    return lambda: getattr(import_module(f"tui.screens.{module}"), name)()


class BansoApp(Asking, App[None]):
    """The desk's daily tool: six sections, a case and municipality screen, modal forms."""

    CSS_PATH = "banso.tcss"
    MODES: ClassVar[dict[str, Any]] = {
        "dashboard": DashboardScreen,
        "municipalities": section("municipalities", "MunicipalitiesScreen"),
        "cases": section("cases", "CasesScreen"),
        "experts": section("experts", "ExpertsScreen"),
        "figures": section("figures", "FiguresScreen"),
        "search": section("search", "SearchScreen"),
    }
    DEFAULT_MODE = "dashboard"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    COMMANDS: ClassVar[set[Any]] = {BansoCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "b.quit", show=False, priority=True, id="quit"),
        Binding("ctrl+p", "command_palette", "b.palette", id="palette"),
        Binding("f1,question_mark", "help", "b.help", id="help"),
        Binding("ctrl+d", "as_of", "b.as_of", id="as-of"),
        # priority: dialogs (help, forms) do not pass their keys on to the app's
        Binding("ctrl+r", "today", "b.today", priority=True, id="today"),
        Binding("ctrl+n", "new_case", "b.new_case", id="new-case"),
        Binding("ctrl+t", "toggle_theme", "b.theme", show=False, id="theme"),
        Binding("ctrl+o", "settings", "b.settings", show=False, id="settings"),
        *(
            Binding(
                str(i), f"switch_section('{name}')", f"b.go_{name}", show=False, id=f"go-{name}"
            )
            for i, name in enumerate(MODES, start=1)
        ),
    ]

    #: Actions that record something: off, and out of the Footer, while viewing a past day.
    RECORDING: ClassVar[frozenset[str]] = frozenset({"new_case"})

    as_of: reactive[date | None] = reactive(None, init=False)
    """The day every view shows; None is today (and only then can things be recorded)."""

    def __init__(
        self,
        desk: Desk,
        *,
        lang: str = "ja",
        today: date | None = None,
        live_seconds: float | None = LIVE_SECONDS,
        blink: bool = True,
        theme: str = DARK.name,
        reader: Reader | None = None,
    ) -> None:
        super().__init__()
        self.desk = desk
        self.lang = lang
        self.blink = blink
        self.live_seconds = live_seconds
        self.exit_after_paint = False
        #: Ends the pause of cycle collection ``tui.app.run`` starts with (``tui.quiet``).
        self.release_collector: Callable[[], None] = lambda: None
        self._settled = False
        self.reader = reader or Reader(desk, lang=lang, today=today)
        self.views_changed: Signal[str] = Signal(self, "views-changed")
        self.title = say("app.title", lang)
        for each in THEMES:
            self.register_theme(each)
        self.theme = theme
        localize(self, lang)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, but on Linux and macOS its driver with a quicker key reader."""
        found = super().get_driver_class()
        if found.__name__ == "LinuxDriver":  # not imported here: it needs termios
            from tui.driver import BansoDriver

            return BansoDriver
        return found

    def on_mount(self) -> None:
        # a dashboard that never shows every answer (a panel failed) still ends the pause
        self.set_timer(COLLECTOR_PAUSE_SECONDS, self.release_collector)
        if self.live_seconds:
            self.set_interval(self.live_seconds, self.look_for_changes, name="live")
        if self.desk.settings.user_is_login and not self.exit_after_paint:
            self.call_after_refresh(self.ask_recorder)

    def ask_recorder(self) -> None:
        """Nobody named who records: ask once, and keep the name (``tui.forms.recorder``)."""
        from tui.forms.recorder import RecorderForm

        def kept(name: str | None) -> None:
            if name:
                self.notify(say("recorder.saved", self.lang, name=name), markup=False)

        self.push_screen(RecorderForm(self.desk.settings.user), kept)

    def dashboard_painted(self) -> None:
        """Every panel of the dashboard shows its answer (after each of its reloads).

        The first time, once that is on screen: quit if timing a cold start
        (``exit_after_paint``), else settle the heap and let the cycle collector work again
        (``tui.quiet``): settling holds the event loop for tens of milliseconds, so it waits
        until the dashboard is up."""
        if self._settled:
            return
        self._settled = True
        self.call_after_refresh(self.exit if self.exit_after_paint else self._settle)

    def _settle(self) -> None:
        settle_heap()
        self.release_collector()

    # ---- staying current -----------------------------------------------------------------

    def look_for_changes(self) -> None:
        """Catch the read models up (in a thread); reload the views if the store moved."""
        if not any(w.name == "live" and not w.is_finished for w in self.workers):
            self.ask("live", lambda r: r.catch_up(), self._caught_up)

    def _caught_up(self, changed: bool) -> None:
        if changed:
            self.views_changed.publish("store")

    def recorded(self, what: str) -> None:
        """After a form recorded something: say so and show it everywhere."""
        self.notify(say("recorded", self.lang, what=what), timeout=4, markup=False)
        self.views_changed.publish("store")

    def watch_as_of(self, _: date | None) -> None:
        self.views_changed.publish("as_of")
        self.refresh_bindings()

    @property
    def can_record(self) -> bool:
        return self.as_of is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "today":
            return self.as_of is not None
        if action in self.RECORDING:
            return self.can_record
        return True

    # ---- going places --------------------------------------------------------------------

    def action_switch_section(self, name: str) -> None:
        if self.current_mode == name:
            while len(self.screen_stack) > 1 and not isinstance(self.screen, CommandPalette):
                self.pop_screen()
        else:
            self.switch_mode(name)

    def open_case(self, ref: str) -> None:
        from tui.screens.case import CaseScreen

        self.push_screen(CaseScreen(ref))

    def open_municipality(self, code: str) -> None:
        from tui.screens.municipality import MunicipalityScreen

        self.push_screen(MunicipalityScreen(code))

    def open_expert(self, expert_id: str) -> None:
        from tui.screens.expert import ExpertScreen

        self.push_screen(ExpertScreen(expert_id))

    def open_found(self, kind: str, ref: str) -> None:
        {
            "case": self.open_case,
            "municipality": self.open_municipality,
            "expert": self.open_expert,
        }[kind](ref)

    # ---- everywhere ----------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_as_of(self) -> None:
        from tui.forms.as_of import AsOfForm

        def chosen(day: date | bool | None) -> None:
            if day is not False:
                self.as_of = day  # type: ignore[assignment]

        self.push_screen(AsOfForm(self.as_of), chosen)

    def action_today(self) -> None:
        """Back to today, from wherever one is (recording is possible again)."""
        from tui.forms.as_of import AsOfForm

        if isinstance(self.screen, AsOfForm):
            self.screen.dismiss(None)  # the dialog's own answer: today
        else:
            self.as_of = None

    def say_read_only(self) -> None:
        """Why a recording key does nothing: the views show a past day."""
        self.notify(say("as_of.read_only", self.lang), severity="warning", markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c copies (in a field): say how to quit, as Textual does, in the app's words."""
        for active in self.active_bindings.values():
            if active.binding.action == "quit":
                shown = self.get_key_display(active.binding)
                self.notify(say("quit.how", self.lang, key=shown), markup=False)
                return

    def action_new_case(self) -> None:
        from tui.forms.new_case import NewCaseForm

        if not self.can_record:
            self.say_read_only()
            return
        municipality = getattr(self.screen, "context_municipality", None)
        self.push_screen(NewCaseForm(municipality), self._opened_case)

    def _opened_case(self, number: str | None) -> None:
        if number:
            self.open_case(number)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT.name if self.theme == DARK.name else DARK.name

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(
                    id="--command-palette", placeholder=say("palette.placeholder", self.lang)
                )
            )


def make_app(
    desk: Desk,
    *,
    lang: str | None = None,
    today: date | None = None,
    live_seconds: float | None = LIVE_SECONDS,
    blink: bool = True,
    theme: str = DARK.name,
    reader: Reader | None = None,
) -> BansoApp:
    """The TUI over ``desk``; ``today`` fixes the date (snapshots), ``live_seconds`` the polling,
    ``reader`` may be one already answering (``tui.app.run``)."""
    return BansoApp(
        desk,
        lang=lang or desk.settings.lang,
        today=today,
        live_seconds=live_seconds,
        blink=blink,
        theme=theme,
        reader=reader,
    )
