"""Measuring the TUI: how long the event loop is kept from running, how long a step takes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from textual.pilot import Pilot

from tests.tui.conftest import settle


@dataclass
class LagProbe:
    """Samples the event loop every few milliseconds; ``worst`` is the longest it was held."""

    every: float = 0.005
    worst: float = 0.0
    task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.every)
            self.worst = max(self.worst, time.perf_counter() - started - self.every)

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()


@dataclass
class Steps:
    """Timed steps of a session: (name, seconds until every worker answered)."""

    pilot: Pilot[None]
    probe: LagProbe
    times: list[tuple[str, float, float]] = field(default_factory=list)
    """(step, seconds until every worker answered, longest hold of the event loop)."""

    async def step(self, name: str, action: Callable[[], Awaitable[None] | None]) -> float:
        self.probe.worst = 0.0
        started = time.perf_counter()
        result = action()
        if result is not None:
            await result
        await settle(self.pilot)
        took = time.perf_counter() - started
        self.times.append((name, took, self.probe.worst))
        return took
