"""Personal data (APPI) in files that are handed around: contacts' e-mail and phone are left
out of CSV and workbook exports and briefings unless ``--include-personal`` is given."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

EMAIL, PHONE = "sato.hanako@city.kawaguchi.example.jp", "048-258-1110"


@pytest.fixture
def desk_with_contact(refusal_store: Cli) -> Cli:
    refusal_store.ok(
        *("contact", "assign", "川口市", "鈴木一郎", "--role", "DX推進課 課長"),
        *("--email", EMAIL, "--phone", PHONE, "--on", "2025-04-01"),
    )
    return refusal_store


def files_written(cli: Cli, folder: Path, *extra: str) -> dict[str, bytes]:
    written = {
        "contacts.csv": ("export-csv", "contacts"),
        "book.xlsx": ("export-xlsx",),
        "briefing.md": ("briefing", "川口市"),
        "briefing.html": ("briefing", "川口市", "--format", "html"),
    }
    for name, args in written.items():
        cli.ok(*args, "-o", str(folder / name), *extra)
    return {name: (folder / name).read_bytes() for name in written}


def test_exports_and_briefings_leave_contacts_email_and_phone_out(
    desk_with_contact: Cli, tmp_path: Path
) -> None:
    for name, data in files_written(desk_with_contact, tmp_path).items():
        assert EMAIL.encode() not in data and PHONE.encode() not in data, name
    contacts = (tmp_path / "contacts.csv").read_text(encoding="utf-8-sig")
    assert "鈴木一郎" in contacts  # the person and the role stay: who to ask for
    assert "鈴木一郎" in desk_with_contact.ok("briefing", "川口市").out


def test_include_personal_puts_them_in(desk_with_contact: Cli, tmp_path: Path) -> None:
    written = files_written(desk_with_contact, tmp_path, "--include-personal")
    for name in ("contacts.csv", "briefing.md", "briefing.html"):
        assert EMAIL.encode() in written[name] and PHONE.encode() in written[name], name
    printed = desk_with_contact.ok("briefing", "川口市", "--include-personal").out
    assert EMAIL in printed
