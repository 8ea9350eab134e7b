"""Textual's Linux/macOS driver with a key reader that stops as soon as it is told to.

Textual's reader (``LinuxDriver.run_input_thread``) looks at its exit flag every 0.1 s and,
once it sees it, sleeps another 0.1 s on an empty selector: quitting waited up to 0.2 s for
it. And when stdin is at its end (``/dev/null``, a closed pipe, as under a benchmark or a
script) it read nothing in a busy loop for the whole run, holding the GIL the screens'
workers need (textual#6690). This reader also watches a pipe of its own, written when input
is disabled, and stops reading stdin at its end; it parses keys exactly as Textual's does.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual.drivers.linux_driver import LinuxDriver

from tui.textual_compat import ParseError, XTermParser, is_debug, key_thread


class BansoDriver(LinuxDriver):
    """``LinuxDriver`` whose key reader wakes at once on exit and rests at end of input."""

    _wake: tuple[int, int] | None = None

    def start_application_mode(self) -> None:
        self._wake = os.pipe()
        super().start_application_mode()

    def disable_input(self) -> None:
        if self._wake is not None:
            os.write(self._wake[1], b"\0")  # the reader stops at once
        super().disable_input()
        if self._wake is not None:
            reading = key_thread(self)
            if reading is not None:
                reading.join()
            for end in self._wake:
                os.close(end)
            self._wake = None

    def run_input_thread(self) -> None:
        """Read keys until woken to stop (as Textual's reader, less the waits)."""
        assert self._wake is not None
        wake = self._wake[0]
        selector = selectors.SelectSelector()  # as Textual's: works with macOS's ptys
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(wake, selectors.EVENT_READ)
        parser = XTermParser(is_debug(self))
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                ready = [key.fd for key, _ in selector.select(0.1)]
                if wake in ready:
                    break
                if ready:
                    data = os.read(self.fileno, 1024 * 4)
                    if not data:  # the end of input: no key will come any more
                        selector.unregister(self.fileno)
                        continue
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():  # a lone escape becomes the escape key
                    self.process_message(event)
        finally:
            selector.close()
            try:
                for _ in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
