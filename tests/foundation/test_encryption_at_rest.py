"""Encryption at rest: with a key, every event's state is stored as AES-GCM ciphertext
(eventsourcing's AESCipher), the chain and every view work as on a plain store, a missing,
wrong or misplaced key is refused in one line, exports stay sealed, and the files banso
makes are readable by their owner only."""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.application.backup import export_events, import_events
from tracker.application.cipher import is_plain, new_key
from tracker.application.eventsourcing_compat import select_rows
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.errors import BackupKeyError, StoreKeyError

if TYPE_CHECKING:
    from conftest import Cli, Pristine

KEY = new_key()


def stored_states(store: Path) -> list[bytes]:
    with sqlite3.connect(store) as conn:
        return [bytes(r[0]) for r in conn.execute("SELECT state FROM stored_events")]


def open_with(store: Path, key: str | None, views: Path | None = None) -> Desk:
    return bootstrap(
        Settings(
            store=str(store),
            user="記録者",
            cipher_key_text=key,
            read_models=str(views) if views else None,
        )
    )


@pytest.fixture
def encrypted(pristine: Pristine, tmp_path: Path, cli_for: type[Cli]) -> Iterator[Cli]:
    """The refusal store's history imported with ``KEY`` into a new store, and ``banso``
    pointed at it with the key."""
    backup = tmp_path / "plain.jsonl"
    backup.write_bytes(pristine.backup)
    desk = open_with(tmp_path / "enc" / "banso.sqlite", KEY)
    try:
        import_events(desk.app, backup)
    finally:
        desk.close()
    cli = cli_for(tmp_path / "enc" / "banso.sqlite", tmp_path)
    cli.env["BANSO_CIPHER_KEY"] = KEY
    yield cli


# ---- keys -----------------------------------------------------------------------------------


def test_keygen_prints_a_new_256_bit_key_each_time(cli: Cli) -> None:
    first, second = cli.ok("keygen").out.strip(), cli.ok("keygen", "--json").json()["key"]
    assert len(base64.b64decode(first, validate=True)) == 32
    assert first != second


def test_keygen_writes_a_new_owner_only_key_file_and_never_replaces_one(
    cli: Cli, tmp_path: Path
) -> None:
    key_file = tmp_path / "banso.key"
    cli.ok("keygen", "-o", str(key_file))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    again = cli("keygen", "-o", str(key_file))
    assert again.code == 2 and len(again.err.strip().splitlines()) == 1
    assert key_file.read_text() == key


def test_a_key_file_named_in_the_settings_opens_the_store(encrypted: Cli, tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(KEY + "\n")
    config = tmp_path / "config.toml"
    env = {"BANSO_CONFIG": str(config), "BANSO_CIPHER_KEY": ""}
    assert encrypted("muni", "show", "川口市", env=env).code == 2
    assert encrypted("config", "set", "cipher_key_file", str(key_file), env=env).code == 0
    assert encrypted("muni", "show", "川口市", env=env).code == 0
    by_variable = {"BANSO_CIPHER_KEY": "", "BANSO_CIPHER_KEY_FILE": str(key_file)}
    assert encrypted("muni", "show", "川口市", env=by_variable).code == 0
    missing = encrypted(
        "muni", "show", "川口市", env=by_variable | {"BANSO_CIPHER_KEY_FILE": "/no"}
    )
    assert missing.code == 2 and "Traceback" not in missing.err


# ---- what is stored -------------------------------------------------------------------------


def test_with_a_key_every_state_is_stored_as_ciphertext(encrypted: Cli) -> None:
    encrypted.ok("case", "note", "2025-001", "暗号化後に記録したメモ")
    states = stored_states(Path(encrypted.store))
    assert states and not any(is_plain(s) for s in states)
    raw = Path(encrypted.store).read_bytes()
    for plain in ("佐藤花子", "移行計画の相談", "暗号化後に記録したメモ"):
        assert plain.encode() not in raw
    shown = encrypted.ok("case", "show", "2025-001", "--json").json()
    assert "暗号化後に記録したメモ" in json.dumps(shown, ensure_ascii=False)


def test_the_chain_verifies_over_the_ciphertext_and_names_an_altered_one(
    encrypted: Cli,
) -> None:
    report = encrypted.ok("verify", "--json").json()
    assert report["ok"] and report["events"] == len(stored_states(Path(encrypted.store)))
    with sqlite3.connect(encrypted.store) as conn:
        conn.execute("DROP TRIGGER stored_events_no_update")
        state = bytearray(
            conn.execute("SELECT state FROM stored_events WHERE rowid = 5").fetchone()[0]
        )
        state[40] ^= 1  # one bit of the ciphertext
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 5", (bytes(state),))
    broken = encrypted("verify", "--json")
    assert broken.code == 1 and not broken.json()["ok"]


# ---- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [("", "key_needed"), (new_key(), "key_wrong"), ("not a key", "key_malformed")],
    ids=["no key", "wrong key", "malformed key"],
)
def test_an_encrypted_store_without_its_key_is_refused_in_one_line_recording_nothing(
    encrypted: Cli, key: str, reason: str
) -> None:
    before = len(stored_states(Path(encrypted.store)))
    for args in (("muni", "show", "川口市"), ("case", "note", "2025-001", "x"), ("verify",)):
        run = encrypted(*args, env={"BANSO_CIPHER_KEY": key, "BANSO_LANG": "en"})
        assert run.code == 2, str(run)
        assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err
        assert "key" in run.err
    assert len(stored_states(Path(encrypted.store))) == before
    with pytest.raises(StoreKeyError) as refused:
        open_with(Path(encrypted.store), key or None)
    assert refused.value.params["reason"] == reason


def test_a_plain_store_whose_first_state_was_altered_is_not_taken_for_an_encrypted_one(
    refusal_store: Cli,
) -> None:
    with sqlite3.connect(refusal_store.store) as conn:
        conn.execute("DROP TRIGGER stored_events_no_update")
        conn.execute("UPDATE stored_events SET state = x'00ff' WHERE rowid = 1")
    run = refusal_store("verify", "--json")
    assert run.code == 1 and not run.json()["ok"], str(run)


def test_a_key_given_for_a_plain_store_is_refused(refusal_store: Cli) -> None:
    run = refusal_store("muni", "show", "川口市", env={"BANSO_CIPHER_KEY": KEY})
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert all(is_plain(s) for s in stored_states(Path(refusal_store.store)))


# ---- the read side --------------------------------------------------------------------------


def test_a_rebuild_of_an_encrypted_store_makes_the_plain_stores_read_models(
    pristine: Pristine, tmp_path: Path
) -> None:
    backup = tmp_path / "plain.jsonl"
    backup.write_bytes(pristine.backup)
    tables: list[dict[str, list[tuple[object, ...]]]] = []
    for key, name in ((None, "plain"), (KEY, "encrypted")):
        desk = open_with(tmp_path / name / "banso.sqlite", key, tmp_path / f"{name}.views")
        try:
            import_events(desk.app, backup)
            desk.views.rebuild(desk.log)
            conn = desk.views.conn
            tables.append(
                {
                    table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                    for table in ("facts", "cases", "municipalities", "contacts", "experts")
                }
            )
        finally:
            desk.close()
    assert tables[0]["facts"] and tables[0]["cases"]
    assert tables[1] == tables[0]


# ---- exports --------------------------------------------------------------------------------


def test_an_encrypted_stores_export_is_sealed_and_restores_to_the_same_head(
    encrypted: Cli, tmp_path: Path, cli_for: type[Cli]
) -> None:
    exported = encrypted.export(tmp_path / "sealed.jsonl")
    assert b"\xe4\xbd\x90\xe8\x97\xa4" not in exported  # 佐藤
    assert "佐藤花子".encode() not in exported and b'"state"' not in exported
    head = encrypted.ok("verify", "--json").json()["head"]
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    restored.env["BANSO_CIPHER_KEY"] = KEY
    restored.ok("import", str(tmp_path / "sealed.jsonl"))
    restored.ok("verify", "--expect", head)
    assert restored.export(tmp_path / "again.jsonl") == exported


@pytest.mark.parametrize("key", ["", new_key()], ids=["without a key", "with another key"])
def test_a_sealed_export_is_refused_without_its_key(
    encrypted: Cli, tmp_path: Path, key: str
) -> None:
    encrypted.export(tmp_path / "sealed.jsonl")
    desk = open_with(tmp_path / "other" / "banso.sqlite", key or None)
    try:
        with pytest.raises(BackupKeyError):
            import_events(desk.app, tmp_path / "sealed.jsonl")
        assert not desk.app.recorder.max_notification_id()
    finally:
        desk.close()


def test_a_plain_export_imported_with_a_key_makes_an_encrypted_store_with_the_same_story(
    encrypted: Cli, refusal_store: Cli
) -> None:
    assert (
        encrypted.ok("case", "show", "2025-001", "--json").json()
        == refusal_store.ok("case", "show", "2025-001", "--json").json()
    )
    out = io.StringIO()
    desk = open_with(Path(encrypted.store), KEY)
    try:
        export_events(desk.app, out)
    finally:
        desk.close()
    assert out.getvalue().count("\n") == len(stored_states(Path(refusal_store.store)))


# ---- owner only -----------------------------------------------------------------------------


def test_the_store_its_side_files_read_models_and_exports_are_owner_only(
    cli: Cli, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        cli.ok("init")
        store = Path(cli.store)
        desk = open_with(store, None)
        try:
            desk.app.register_prefecture("11")
            views = Path(desk.settings.read_model_path)
            side = [Path(f"{f}-{end}") for f in (store, views) for end in ("wal", "shm", "journal")]
            modes = {p: stat.S_IMODE(p.stat().st_mode) for p in side if p.exists()}
            assert len(modes) >= 2 and set(modes.values()) == {0o600}, modes  # WAL, SHM
            made = [store, views]
        finally:
            desk.close()
        cli.ok("export", "-o", str(tmp_path / "backup.jsonl"))
        cli.ok("export-csv", "cases", "-o", str(tmp_path / "cases.csv"))
        made += [tmp_path / "backup.jsonl", tmp_path / "cases.csv"]
        for path in made:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        os.umask(old)


# ---- every store kind -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_encrypted_store_of_each_kind_reopens_with_its_key_only(
    store_of: Callable[[str], str], tmp_path: Path, kind: str
) -> None:
    store = store_of(kind)

    def settings(key: str | None) -> Settings:
        views = str(tmp_path / f"views-{uuid.uuid4().hex[:6]}.sqlite")
        return Settings(store=store, user="記録者", cipher_key_text=key, read_models=views)

    desk = bootstrap(settings(KEY))
    try:
        desk.app.register_prefecture("11")
        desk.app.assign_contact("112038", "佐藤花子", role="主査")
    finally:
        desk.close()
    for key, reason in ((None, "key_needed"), (new_key(), "key_wrong")):
        with pytest.raises(StoreKeyError) as refused:
            bootstrap(settings(key))
        assert refused.value.params["reason"] == reason
    desk = bootstrap(settings(KEY))
    try:
        desk.refresh()
        names = [r[0] for r in desk.views.conn.execute("SELECT name FROM contacts")]
        assert names == ["佐藤花子"]
        states = [bytes(r[4]) for r in select_rows(desk.app.recorder, 0, 10_000)]
        assert states and not any(is_plain(s) for s in states)
    finally:
        desk.close()
