"""Writing many stored events into an embedded SQLite log from a second process.

An import spends its time reading and checking events in Python, and SQLite spends about
as long inserting them. In one process these add up; a thread would not help, because
each inserted row hands the GIL back and forth. A second process inserts each batch
while the first checks the next: two cores, one transaction. The writer commits only when
told to; anything else (an error on either side, the importing process killed, its pipe
closed) rolls the whole transaction back.

The writer extends the log's hash chain in the same transaction, batch by batch, after
the head it finds once it holds the write lock (``chain``: standard library only).

``python -m tracker.application.writer PATH STATEMENT TIMEOUT TABLE`` is the writer: it
imports nothing of banso but ``chain``, so it starts at once. Batches arrive pickled on
its standard input.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from tracker.application import chain

Row = tuple[str, int, str, bytes]
COMMIT = "commit"


class WriterError(Exception):
    """The writer process could not write (its message says why)."""


class SQLiteWriter:
    """A writer process holding one write transaction on the SQLite file at ``path``."""

    def __init__(self, path: str, statement: str, table: str, timeout: float = 30.0) -> None:
        """Start the writer on the log ``path`` whose events table is ``table``."""
        root = str(Path(__file__).resolve().parents[2])
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))
        }
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tracker.application.writer",
                path,
                statement,
                str(timeout),
                table,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def write(self, rows: Sequence[Row]) -> None:
        if rows:
            self._send(list(rows))

    def commit(self) -> None:
        self._send(COMMIT)
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._outcome()

    def abort(self) -> None:
        """Roll everything back (the writer's transaction dies with it)."""
        self._process.kill()
        self._process.wait()

    def _send(self, message: object) -> None:
        assert self._process.stdin is not None
        try:
            pickle.dump(message, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except OSError:  # the writer stopped early: say why
            self._outcome()
            raise WriterError("the writer process ended") from None

    def _outcome(self) -> None:
        assert self._process.stdout is not None
        said = self._process.stdout.read().decode("utf-8", "replace").strip()
        code = self._process.wait()
        if code != 0 or said != "committed":
            raise WriterError(said or f"the writer process ended with {code}")


def _serve(
    path: str, statement: str, timeout: float, table: str, source: IO[bytes], out: IO[bytes]
) -> int:
    """Insert and chain every batch read from ``source`` in one transaction; commit when
    told to."""
    db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    try:
        db.execute("BEGIN IMMEDIATE")
        cursor = db.cursor()
        while (batch := pickle.load(source)) != COMMIT:
            cursor.executemany(statement, batch)
            chain.sqlite_append(cursor, table, batch)
        db.execute("COMMIT")
        out.write(b"committed")
        return 0
    except Exception as error:  # EOFError: the importer went away; nothing is kept
        out.write(f"{type(error).__name__}: {error}".encode())
        return 1
    finally:
        db.close()  # an open transaction is rolled back


if __name__ == "__main__":
    sys.exit(
        _serve(
            sys.argv[1],
            sys.argv[2],
            float(sys.argv[3]),
            sys.argv[4],
            sys.stdin.buffer,
            sys.stdout.buffer,
        )
    )
