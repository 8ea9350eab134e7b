"""Starting the banso TUI (``banso`` / ``banso tui``): ``run(desk)``.

The app itself is ``tui.banso_app``. This module imports neither it nor Textual, so that
``run`` can set the read models answering the dashboard's questions first: they work in a
thread while Textual loads and the screen is built, and the panels fill as soon as they
exist.
"""

from __future__ import annotations

from tracker.desk.bootstrap import Desk
from tui.quiet import hold_collector, spare_the_last_collection
from tui.reader import DASHBOARD, Reader


def run(desk: Desk) -> None:
    """Open the TUI on a desk whose read models are up to date.

    With ``Settings.exit_after_paint`` (``BANSO_TUI_EXIT_AFTER_PAINT``) it quits once the
    dashboard is painted, which is how the benchmarks time a cold start.
    """
    release_collector = hold_collector()  # until the dashboard is up (tui.quiet)
    reader = Reader(desk, lang=desk.settings.lang)
    reader.answer_early(DASHBOARD)
    try:
        from tui.banso_app import make_app  # Textual loads while the read models answer

        app = make_app(desk, reader=reader)
        app.exit_after_paint = desk.settings.exit_after_paint
        app.release_collector = release_collector
        app.run()
    finally:
        reader.finish_early()  # the desk closes next: not under a question begun early
        spare_the_last_collection()
        release_collector()  # after the freeze: no collection over what the start made
