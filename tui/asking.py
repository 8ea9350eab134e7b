"""Asking the read models, or recording, in a worker thread; the answer comes back as a
Worker.StateChanged message and is handed to a callback on the event loop.

Questions run with the cycle collector paused (``tui.quiet``): a national query builds
hundreds of thousands of short-lived objects, and collections over them hold the GIL."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from textual.worker import Worker, WorkerState

from tracker.domain.errors import BansoError
from tracker.language import error_message
from tui.quiet import quiet_collector
from tui.reader import Reader
from tui.words import say

T = TypeVar("T")


class Asking:
    """Mixin for screens and widgets: ``ask(name, question, then)`` without blocking."""

    def ask(
        self,
        name: str,
        question: Callable[[Reader], T],
        then: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> Worker[T]:
        """Run ``question(reader)`` in a thread; a newer ask of the same name replaces it."""
        worker: Worker[T] = self.run_worker(  # type: ignore[attr-defined]
            partial(_quietly, question, self.app.reader),  # type: ignore[attr-defined]
            name=name,
            group=name,
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )
        self._pending[worker] = (then, failed or self.complain)
        return worker

    @property
    def _pending(
        self,
    ) -> dict[Worker[Any], tuple[Callable[[Any], None], Callable[[BaseException], None]]]:
        return self.__dict__.setdefault("_asking_pending", {})

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        pending = self._pending.get(event.worker)
        if pending is None or event.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return
        del self._pending[event.worker]
        then, failed = pending
        if event.state is WorkerState.SUCCESS:
            then(event.worker.result)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            failed(event.worker.error)

    def complain(self, error: BaseException) -> None:
        """Tell the user what went wrong, in one line, without a traceback."""
        app = self.app  # type: ignore[attr-defined]
        app.notify(describe_error(error, app.lang), severity="error", timeout=8, markup=False)


def _quietly(question: Callable[[Reader], T], reader: Reader) -> T:
    with quiet_collector():
        return question(reader)


def describe_error(error: BaseException, lang: str) -> str:
    if isinstance(error, BansoError):
        return error_message(error, lang)
    detail = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return say("failed", lang, detail=detail)
