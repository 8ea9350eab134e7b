"""Driving the real ``banso tui`` in a real terminal (tmux): send keys, read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from rich.cells import cell_len

BANSO = str(Path(sys.executable).with_name("banso"))
TMUX = shutil.which("tmux")
BORDERS = "│╭╮╰╯"


class Terminal:
    """A detached tmux session of a given size running one command."""

    def __init__(
        self,
        command: list[str],
        *,
        width: int = 120,
        height: int = 36,
        env: dict[str, str] | None = None,
    ) -> None:
        assert TMUX is not None
        self.name = f"banso-{uuid.uuid4().hex[:8]}"
        # a server of its own: parallel tests never share a window size or environment
        self.tmux = [TMUX, "-L", self.name]
        self.started = time.perf_counter()
        environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
        for inherited in ("TMUX", "COLUMNS", "LINES"):  # the size is tmux's alone
            environment.pop(inherited, None)
        subprocess.run(
            [
                *self.tmux,
                "-u",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                " ".join(_quote(part) for part in command),
            ],
            check=True,
            env=environment,
        )

    def screen(self) -> list[str]:
        done = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.splitlines()

    def wait_for(self, found: Callable[[list[str]], bool], timeout: float = 20) -> float:
        """Seconds until the screen satisfies ``found``; fails after ``timeout``."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if found(self.screen()):
                return time.perf_counter() - start
            time.sleep(0.02)
        raise AssertionError("\n".join(["the screen never showed it:", *self.screen()]))

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, capture_output=True)


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


def showing(text: str) -> Callable[[list[str]], bool]:
    return lambda lines: any(text in line for line in lines)


def border_columns(line: str) -> list[int]:
    """Display columns (wide characters count two) of the box-drawing borders in a line."""
    columns, at = [], 0
    for ch in line:
        if ch in BORDERS:
            columns.append(at)
        at += cell_len(ch)
    return columns
