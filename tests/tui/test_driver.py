"""The key reader of banso's driver: keys are parsed as Textual parses them, the end of input
costs nothing, and disabling input stops the reader at once."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual import events
from textual.message import Message

from tui.driver import BansoDriver


class Recording(BansoDriver):
    """The driver reading a pipe instead of the terminal, keeping what it would send."""

    def __init__(self, fileno: int) -> None:
        super().__init__(None)  # type: ignore[arg-type]  # no app: nothing is sent
        self.fileno = fileno
        self.seen: list[Message] = []

    def process_message(self, message: Message) -> None:
        self.seen.append(message)

    def start_reading(self) -> threading.Thread:
        self._wake = os.pipe()
        self._key_thread = threading.Thread(target=self.run_input_thread)
        self._key_thread.start()
        return self._key_thread


@pytest.fixture
async def keys() -> AsyncIterator[tuple[Recording, int]]:
    """A driver reading the far end of a pipe, and the near end to type into (a driver is
    made inside an event loop)."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    read, write = os.pipe()
    driver = Recording(read)
    yield driver, write
    driver.disable_input()
    for s, handler in saved.items():
        signal.signal(s, handler)
    os.close(read)


def _wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_keys_are_read_and_parsed(keys: tuple[Recording, int]) -> None:
    driver, write = keys
    driver.start_reading()
    os.write(write, "aか\r".encode())
    _wait_for(lambda: len(driver.seen) >= 3)
    assert [m.key for m in driver.seen if isinstance(m, events.Key)] == ["a", "か", "enter"]
    os.close(write)


def test_the_end_of_input_costs_no_time(keys: tuple[Recording, int]) -> None:
    driver, write = keys
    reading = driver.start_reading()
    os.close(write)  # as stdin from /dev/null: at its end from the start
    busy = time.process_time()
    time.sleep(0.5)
    assert time.process_time() - busy < 0.2, "the reader spins at the end of input"
    assert reading.is_alive()


def test_disabling_input_stops_the_reader_at_once(keys: tuple[Recording, int]) -> None:
    driver, write = keys
    reading = driver.start_reading()
    time.sleep(0.05)  # the reader waits in its select
    started = time.perf_counter()
    driver.disable_input()
    assert not reading.is_alive()
    assert time.perf_counter() - started < 0.09  # Textual's own reader takes 0.1 to 0.2 s
    os.close(write)
