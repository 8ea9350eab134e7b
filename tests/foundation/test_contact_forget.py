"""Erasure of a person's details (APPI): ``banso contact forget MUNI NAME``.

A contact's name, e-mail and phone are stored only sealed under that person's own key;
forgetting destroys the key. Afterwards no file banso keeps or writes holds them (the store,
its WAL, the read models, new exports, CSV, workbooks and briefings), while what happened
stays on record under a placeholder and the hash chain verifies as before.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.desk.bootstrap import Desk

if TYPE_CHECKING:
    from conftest import Cli

NAME, SUCCESSOR = "鈴木一郎", "渡辺久美子"
EMAIL, PHONE = "suzuki.ichiro@city.kawaguchi.example.jp", "048-258-1110"
EMAIL_CORRECTED = "ichiro.suzuki@city.kawaguchi.example.jp"
SECRETS = (NAME, EMAIL, PHONE, EMAIL_CORRECTED)


def on_record(cli: Cli) -> Cli:
    """鈴木一郎 took up a role, gave an e-mail and phone (the e-mail corrected since), was
    named as a case's contact, and left for a successor."""
    cli.ok(
        *("contact", "assign", "川口市", NAME, "--role", "DX推進課 課長"),
        *("--email", EMAIL, "--phone", PHONE, "--on", "2025-04-01"),
    )
    entry = next(
        row["entry"]
        for row in cli.ok("--json", "timeline", "川口市").json()
        if row["kind"] == "contact-assigned" and NAME in row["text"]
    )
    cli.ok(
        *("muni", "correct", "川口市", str(entry), "--email", EMAIL_CORRECTED),
        *("--reason", "メールアドレスの誤記"),
    )
    cli.ok(
        *("case", "open", "川口市", "--topic", "B", "--summary", "庁内LANの更改"),
        *("--contact", NAME, "--on", "2025-06-03"),
    )
    cli.ok("contact", "transfer", "川口市", NAME, "--successor", SUCCESSOR, "--on", "2025-07-01")
    return cli


@pytest.fixture
def forgotten(refusal_store: Cli) -> Cli:
    on_record(refusal_store)
    refusal_store.ok("contact", "forget", "川口市", NAME)
    return refusal_store


def files_banso_keeps(cli: Cli) -> dict[str, bytes]:
    folder = Path(cli.store).parent
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def files_banso_writes(cli: Cli, folder: Path) -> dict[str, bytes]:
    written = {
        "backup.jsonl": ("export",),
        "contacts.csv": ("export-csv", "contacts", "--include-personal"),
        "cases.csv": ("export-csv", "cases", "--include-personal"),
        "book.xlsx": ("export-xlsx", "--include-personal"),
        "briefing.md": ("briefing", "川口市", "--include-personal"),
        "briefing.html": ("briefing", "川口市", "--format", "html", "--include-personal"),
    }
    found = {}
    for name, args in written.items():
        cli.ok(*args, "-o", str(folder / name))
        found[name] = (folder / name).read_bytes()
    with zipfile.ZipFile(folder / "book.xlsx") as book:  # a workbook is zipped XML
        found["book.xlsx"] = b"".join(book.read(member) for member in book.namelist())
    return found


def test_the_name_email_and_phone_are_sealed_from_the_first_write(
    refusal_store: Cli, tmp_path: Path
) -> None:
    on_record(refusal_store)
    kept = files_banso_keeps(refusal_store)
    store = kept["banso.sqlite"] + kept.get("banso.sqlite-wal", b"")
    for secret in SECRETS:
        assert secret.encode() not in store, secret  # only the read models hold them, in clear
    backup = files_banso_writes(refusal_store, tmp_path)["backup.jsonl"]
    assert NAME.encode() not in backup and EMAIL.encode() not in backup


def test_after_forgetting_no_file_holds_the_details_and_the_history_stays(
    forgotten: Cli, tmp_path: Path
) -> None:
    everything = files_banso_keeps(forgotten) | files_banso_writes(forgotten, tmp_path)
    for name, data in everything.items():
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret} in {name}"
    assert SUCCESSOR.encode() in everything["contacts.csv"]  # nobody else is erased

    timeline = forgotten.ok("--json", "timeline", "川口市").json()
    kinds = [row["kind"] for row in timeline]
    assert kinds.count("contact-assigned") == 3 and "contact-forgotten" in kinds
    (transfer,) = [row["text"] for row in timeline if row["kind"] == "contact-transferred"]
    assert transfer.startswith("（消去済み ") and SUCCESSOR in transfer
    case = forgotten.ok("--json", "case", "show", "2025-004").json()
    assert case["contact"] == SUCCESSOR  # the case went on with the successor
    assert "（消去済み " in json.dumps(case["history"], ensure_ascii=False)
    assert forgotten.ok("--json", "search", NAME).json() == []
    verified = forgotten.ok("verify")
    assert "チェーンの先頭" in verified.out


def test_an_erasure_stands_against_an_older_backup(refusal_store: Cli, tmp_path: Path) -> None:
    on_record(refusal_store)
    before = tmp_path / "before.jsonl"
    refusal_store.export(before)
    refusal_store.ok("contact", "forget", "川口市", NAME)
    refusal_store.ok("import", str(before))  # the same events: nothing new, no key back
    for name, data in files_banso_keeps(refusal_store).items():
        assert NAME.encode() not in data, name
    assert NAME not in refusal_store.ok("muni", "show", "川口市").out


def test_a_backup_after_forgetting_restores_and_verifies_against_the_same_head(
    forgotten: Cli, cli_for: type[Cli], tmp_path: Path
) -> None:
    backup = tmp_path / "after.jsonl"
    head = forgotten.ok("export", "-o", str(backup)).out.split("チェーンの先頭: ")[1][:64]
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    restored.ok("import", str(backup))
    restored.ok("verify", "--expect", head)
    shown = restored.ok("muni", "show", "川口市").out
    assert NAME not in shown and SUCCESSOR in shown and "（消去済み " in shown


def test_forgetting_is_refused_in_one_line_when_there_is_nobody_to_forget(
    forgotten: Cli,
) -> None:
    for name in (NAME, "存在しない人"):  # erased already; never a contact
        run = forgotten("contact", "forget", "川口市", name)
        assert run.code == 2 and len(run.err.strip().splitlines()) == 1, str(run)
        assert "Traceback" not in run.err


def store_before_sealing(cli_for: type[Cli], tmp_path: Path) -> Cli:
    """A copy of the v10 schema fixture: its contacts recorded before sealing."""
    fixture = Path(__file__).parent.parent / "fixtures" / "schema" / "v10-2026-12-01"
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "banso.sqlite").write_bytes((fixture / "banso.sqlite").read_bytes())
    return cli_for(folder / "banso.sqlite", tmp_path)


def test_a_contact_recorded_before_sealing_is_refused_with_why(
    cli_for: type[Cli], tmp_path: Path
) -> None:
    old = store_before_sealing(cli_for, tmp_path)
    before = old.ok("--json", "timeline", "川口市").json()
    run = old("contact", "forget", "川口市", "高橋健")
    assert run.code == 2 and "暗号化" in run.err and len(run.err.strip().splitlines()) == 1
    assert old.ok("--json", "timeline", "川口市").json() == before  # nothing recorded


def test_a_name_also_recorded_before_sealing_is_erased_where_sealed_and_the_rest_said(
    cli_for: type[Cli], tmp_path: Path
) -> None:
    old = store_before_sealing(cli_for, tmp_path)
    # 佐藤花子 left 川口市 (recorded before sealing) and has come back (recorded sealed)
    old.ok("contact", "assign", "川口市", "佐藤花子", "--role", "DX推進課 課長", "--email", EMAIL)
    run = old.ok("--json", "contact", "forget", "川口市", "佐藤花子")
    assert run.json()["unsealed_remain"] is True and len(run.json()["persons"]) == 1
    assert "注意" in run.err and "佐藤花子" in run.err
    current = old.ok("--json", "muni", "show", "川口市").out
    assert EMAIL not in current and "DX推進課 課長" in current


def test_an_encrypted_store_keeps_the_peoples_keys_encrypted_too(
    cli_for: type[Cli], tmp_path: Path
) -> None:
    cli = cli_for(tmp_path / "store" / "banso.sqlite", tmp_path)
    key = cli.ok("keygen").out.strip().split()[-1]
    cli.env["BANSO_CIPHER_KEY"] = key
    cli.ok("init", "--prefecture", "埼玉県")
    on_record(cli)
    with sqlite3.connect(cli.store) as db:
        (stored,) = db.execute("SELECT key FROM banso_person_keys LIMIT 1").fetchone()
    assert len(stored) > 44  # a 32-byte key is 44 characters of base64: this is more, sealed
    cli.ok("contact", "forget", "川口市", NAME)
    assert NAME not in cli.ok("muni", "show", "川口市").out
    cli.ok("verify")


def test_every_desk_erases_its_read_models_when_it_catches_up(
    store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    store = store_of("sqlite")
    first, second = open_desk(store), open_desk(store)
    first.app.register_prefecture("11")
    first.app.assign_contact("112038", NAME, role="課長", email=EMAIL)
    second.refresh()
    assert NAME.encode() in Path(second.views.path).read_bytes()
    first.app.forget_contact("112038", NAME)
    first.refresh()
    second.refresh()
    for desk in (first, second):
        assert NAME.encode() not in Path(desk.views.path).read_bytes()
        assert EMAIL.encode() not in Path(desk.views.path).read_bytes()


@pytest.mark.parametrize("kind", ["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_forgetting_works_on_every_store_kind(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    desk.app.register_prefecture("11")
    desk.app.assign_contact("112038", NAME, role="課長", email=EMAIL, phone=PHONE)
    number, _ = desk.app.open_case("112038", topic="B", summary="相談", contact=NAME)
    (person,) = desk.app.forget_contact("112038", NAME).persons
    desk.refresh()
    muni = desk.app.municipality("112038")
    assert NAME not in muni.contacts and muni.people[person].startswith("（消去済み ")
    rows = desk.views.conn.execute("SELECT name, email, phone FROM contacts").fetchall()
    assert all(NAME not in row and EMAIL not in row and PHONE not in row for row in rows)
    assert json.dumps(rows, ensure_ascii=False).count("消去済み") >= 1
    assert desk.app.case(number).number == number


def test_an_erased_contact_still_in_post_can_leave_but_gets_no_new_details(
    refusal_store: Cli,
) -> None:
    cli = refusal_store
    cli.ok("contact", "assign", "川口市", NAME, "--role", "課長", "--email", EMAIL)
    cli.ok("contact", "forget", "川口市", NAME)
    timeline = cli.ok("--json", "timeline", "川口市").json()
    assigned = next(
        r for r in timeline if r["kind"] == "contact-assigned" and "消去済み" in r["text"]
    )
    placeholder = assigned["text"].split("（課長）")[0]
    refused = cli("muni", "correct", "川口市", str(assigned["entry"]), "--email", EMAIL_CORRECTED,
                  "--reason", "新しいアドレス")  # fmt: skip
    assert refused.code == 2 and len(refused.err.strip().splitlines()) == 1, str(refused)
    assert "消去済み" in refused.err and "Traceback" not in refused.err
    assert cli.ok("--json", "timeline", "川口市").json() == timeline  # nothing recorded
    cli.ok("contact", "transfer", "川口市", placeholder, "--successor", SUCCESSOR)
    shown = cli.ok("muni", "show", "川口市").out
    assert SUCCESSOR in shown and placeholder in shown
    cli.ok("verify")
