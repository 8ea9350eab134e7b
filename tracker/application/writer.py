"""Writing many stored events into an embedded SQLite log from a second process.

An import spends its time reading and checking events in Python, and SQLite spends about
as long inserting them. In one process these add up; a thread would not help, because
each inserted row hands the GIL back and forth. A second process inserts each batch
while the first checks the next: two cores, one transaction. The writer commits only when
told to; anything else (an error on either side, the importing process killed, its pipe
closed) rolls the whole transaction back.

The writer extends the log's hash chain in the same transaction, batch by batch, after
the head it finds once it holds the write lock (``chain``: standard library only). It
lifts the guard against replacing inserts for its own transaction only (no other writer
can write meanwhile, and the guard is back before it commits, or with the rollback): the
guard's lookup of every new key, beside the insert's own, doubled the cost of writing. Each
row comes with its line's digest in the backup's own chain; when told to check them, the
writer does, as it links: into an empty log the backup's chain is the log's, so checking
costs no hashing (the importing process, the busier one, then hashes nothing), and into a
log that already held events it follows the backup's chain beside the log's.

``python -m tracker.application.writer PATH STATEMENT TIMEOUT TABLE CHECK`` is the writer:
it imports nothing of banso but ``chain`` (and ``child``, which imports nothing), so it
starts at once. Batches arrive pickled on its standard input; a digest that does not follow
ends it with ``altered N`` (the N-th event of the backup).
"""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from typing import IO

from tracker.application import chain, child

#: An event as the SQLite recorder stores it, and its line's digest (hex), if any.
Row = tuple[str, int, str, bytes, str | None]
COMMIT = "commit"
#: The pipe to the writer holds a whole batch (``backup.IMPORT_BATCH`` events, about 1 MB
#: pickled; Linux's most for a user, 64 KB by default), so neither side waits on the other
#: for a batch's bytes.
PIPE_BYTES = 1 << 20
ALTERED = "altered "


class WriterError(Exception):
    """The writer process could not write (its message says why)."""

    @property
    def altered_at(self) -> int | None:
        """The backup's event whose digest did not follow, if that is why it stopped."""
        said = str(self)
        return int(said[len(ALTERED) :]) if said.startswith(ALTERED) else None


class Altered(Exception):
    """The backup's ``position``-th event does not have the digest its line says."""

    def __init__(self, position: int) -> None:
        super().__init__(f"{ALTERED}{position}")


class SQLiteWriter:
    """A writer process holding one write transaction on the SQLite file at ``path``."""

    def __init__(
        self, path: str, statement: str, table: str, *, check: bool, timeout: float = 30.0
    ) -> None:
        """Start the writer on the log ``path`` whose events table is ``table``; with
        ``check``, it checks the rows' digests against the backup's chain."""
        self._process = child.start(
            [
                *("-m", "tracker.application.writer", path, statement, str(timeout), table),
                "check" if check else "",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdin is not None
        _widen(self._process.stdin)
        self._pickler = pickle.Pickler(self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        # no memo: rows share no objects, and remembering each of their strings and tuples
        # was six times the cost of writing them (a tenth of an import's busier process)
        self._pickler.fast = True

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
            self._pickler.dump(message)
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


def _widen(pipe: IO[bytes]) -> None:
    """``pipe`` made to hold ``PIPE_BYTES`` (Linux; elsewhere it keeps its size)."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _serve(
    path: str,
    statement: str,
    timeout: float,
    table: str,
    check: bool,
    source: IO[bytes],
    out: IO[bytes],
) -> int:
    """Insert and chain every batch read from ``source`` in one transaction, checking the
    backup's digests with ``check``; commit when told to."""
    db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    db.execute("PRAGMA cache_size = -32768")
    try:
        db.execute("BEGIN IMMEDIATE")
        cursor = db.cursor()
        restore = chain.sqlite_lift_replace_guard(cursor, table)
        head = chain.sqlite_head(cursor, table)
        backup = _Backup(head == (0, chain.GENESIS)) if check else None
        block = chain.sqlite_insert(table)
        while (batch := pickle.load(source)) != COMMIT:
            rows = [row[:4] for row in batch]
            cursor.executemany(statement, rows)
            linked = chain.extend(head, rows)
            cursor.execute(block, chain.pack(linked))
            head = linked[-1][0], linked[-1][3]
            if backup:
                backup.check(batch, linked)
        cursor.execute(restore)
        db.execute("COMMIT")
        out.write(b"committed")
        return 0
    except Exception as error:  # EOFError: the importer went away; nothing is kept
        out.write(
            str(error).encode()
            if isinstance(error, Altered)
            else f"{type(error).__name__}: {error}".encode()
        )
        return 1
    finally:
        db.close()  # an open transaction is rolled back


class _Backup:
    """The backup's own chain, followed to check each line's digest."""

    def __init__(self, same: bool) -> None:
        self.same = same  # the log was empty: its chain is the backup's
        self.position, self.digest = 0, chain.GENESIS

    def check(self, batch: list[Row], linked: list[chain.Link]) -> None:
        for row, (_, _, _, digest) in zip(batch, linked, strict=True):
            self.position += 1
            self.digest = digest if self.same else chain.link(self.digest, self.position, *row[:4])
            if row[4] is not None and row[4] != self.digest.hex():
                raise Altered(self.position)


if __name__ == "__main__":
    sys.exit(
        _serve(
            sys.argv[1],
            sys.argv[2],
            float(sys.argv[3]),
            sys.argv[4],
            sys.argv[5] == "check",
            sys.stdin.buffer,
            sys.stdout.buffer,
        )
    )
