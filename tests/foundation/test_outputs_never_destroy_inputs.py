"""What banso writes never destroys what it reads: ``-o`` naming the store, its read models
or the settings file (by any name) is refused by every writer, a symbolic link is written
through, and a device or FIFO is written directly, never replaced (issue 10)."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.desk.settings import Settings

if TYPE_CHECKING:
    from conftest import Cli

#: Every command that writes a file named by ``-o``, with its other arguments.
WRITERS: list[tuple[str, ...]] = [
    ("export",),
    ("export-csv", "cases"),
    ("export-xlsx",),
    ("briefing", "川口市"),
    ("import-sheet", "--template"),
]


def read_models(cli: Cli) -> Path:
    return Path(Settings(store=cli.store).read_model_path)


def symlink_to_store(cli: Cli, tmp: Path) -> Path:
    link = tmp / "link.sqlite"
    link.symlink_to(cli.store)
    return link


def hard_link_to_store(cli: Cli, tmp: Path) -> Path:
    linked = tmp / "hard.sqlite"
    os.link(cli.store, linked)
    return linked


def dotted_name_of_store(cli: Cli, tmp: Path) -> Path:
    store = Path(cli.store)
    return store.parent / "." / ".." / store.parent.name / store.name


TARGETS: list[Callable[[Cli, Path], Path]] = [
    lambda cli, tmp: Path(cli.store),
    lambda cli, tmp: Path(cli.store + "-wal"),
    lambda cli, tmp: read_models(cli),
    symlink_to_store,
    hard_link_to_store,
    dotted_name_of_store,
]
TARGET_IDS = ["store", "store-wal", "read-models", "symlink", "hard-link", "other-spelling"]


#: Each writer against the store and the read models; ``export`` against every name too.
REFUSALS = [(("export",), t) for t in TARGETS] + [
    (w, t) for w in WRITERS[1:] for t in (TARGETS[0], TARGETS[2])
]
REFUSAL_IDS = [f"export-{i}" for i in TARGET_IDS] + [
    f"{w[0]}-{i}" for w in WRITERS[1:] for i in ("store", "read-models")
]


@pytest.mark.parametrize(("writer", "target"), REFUSALS, ids=REFUSAL_IDS)
def test_every_writer_refuses_to_write_over_a_file_banso_reads(
    refusal_store: Cli,
    tmp_path: Path,
    writer: tuple[str, ...],
    target: Callable[[Cli, Path], Path],
) -> None:
    path = target(refusal_store, tmp_path)
    run = refusal_store(*writer, "-o", str(path), "--lang", "en")
    assert run.code == 2, str(run)
    assert run.err.count("\n") == 1 and "a file banso reads" in run.err, str(run)
    after = refusal_store.ok("verify", "--json").json()
    assert after["ok"] and after["events"] > 60, after


def test_export_through_a_symbolic_link_writes_its_target_and_keeps_the_link(
    refusal_store: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "backups" / "kept.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    refusal_store.ok("export", "-o", str(link))
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().count("\n") > 60 and "old" not in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "a file replaced keeps its mode"
    assert sorted(p.name for p in target.parent.iterdir()) == ["kept.jsonl"]


def test_export_to_a_device_writes_it_and_leaves_the_node_in_place(refusal_store: Cli) -> None:
    before = os.stat("/dev/null")
    refusal_store.ok("export", "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_export_to_a_fifo_writes_into_it(refusal_store: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    refusal_store.ok("export", "-o", str(fifo))
    reader.join(timeout=60)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].count(b"\n") > 60


def test_export_to_dev_stdout_prints_the_backup(refusal_store: Cli) -> None:
    run = refusal_store.ok("export", "-o", "/dev/stdout", "--json")
    assert run.raw_out.count(b'"originator_id"') > 60


NAMES = {"empty": "", "blank": " ", "long-name": "x" * 300, "long-path": "d/" * 2100 + "x"}
ODD_OUTPUTS = [(("export",), n) for n in NAMES] + [(w, "empty") for w in WRITERS[1:]]


@pytest.mark.parametrize(
    ("writer", "name"), ODD_OUTPUTS, ids=[f"{w[0]}-{n}" for w, n in ODD_OUTPUTS]
)
def test_an_empty_or_too_long_output_name_is_refused_with_one_line(
    refusal_store: Cli, writer: tuple[str, ...], name: str
) -> None:
    run = refusal_store(*writer, "-o", NAMES[name])
    assert run.code == 2 and run.err.count("\n") == 1, str(run)
    assert "Traceback" not in run.err
