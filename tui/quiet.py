"""Keeping Python's cycle collector from stopping the event loop while a worker builds.

A national list (80,000 cases) is built from a few hundred thousand short-lived objects.
With the collector on, every full collection while they are alive walks all of them and
holds the GIL for a quarter of a second or more: the event loop stands still although the
work is in a thread. None of these objects is part of a reference cycle, so reference
counting frees them; the collector is paused while they are built. What a screen keeps
(rows of strings) is kept lean, so later collections stay short.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

_lock = threading.Lock()
_building = 0


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Pause automatic cycle collection while a large answer is built (any thread)."""
    global _building
    with _lock:
        _building += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _building -= 1
            if _building == 0:
                gc.enable()


def hold_collector() -> Callable[[], None]:
    """Pause automatic cycle collection until the function returned is called (at most
    once has an effect): ``banso tui`` starts so. Importing Textual and building the first
    screen make objects by the hundred thousand, none of them garbage in a cycle to speak
    of, and the collections over them (several full ones, 30-100 ms) held the GIL from the
    threads answering the dashboard; what little garbage there is stays, frozen with the
    rest once the dashboard is up (``settle_heap``)."""
    held = ExitStack()
    held.enter_context(quiet_collector())
    return held.close  # a second close finds nothing left to exit


#: Younger collections between two full ones (Python's default is 10).
FULL_EVERY = 100


def settle_heap() -> None:
    """Once the first screen is up: move what exists (modules, the app, its styles) out of
    the collector's sight, and make full collections rarer. Textual keeps tens of thousands
    of small cache objects per screen; a full collection over them holds the GIL for about
    100 ms on the national store, so it should happen seldom, not after every screen. No
    collection first: that would be one such stop, just after the dashboard appears (the
    little garbage of starting up stays, frozen)."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)


def spare_the_last_collection() -> None:
    """When the app has closed: hide every object from the collector. Python's shutdown
    collects once more, walking all of them (about 0.1 s) although the process is ending."""
    gc.freeze()
