"""``banso tui`` (and ``banso`` alone): the terminal UI.

A module of its own so that starting the TUI imports none of the other commands' code
(backups, verifying, the demo): a cold start is timed (README "Performance").
"""

from __future__ import annotations

import click

from tracker.cli.common import common, desk


@click.command("tui")
@common
def tui() -> None:
    """TUI を開く / open the terminal UI."""
    from tui.app import run

    run(desk())
