"""Encryption at rest: eventsourcing's AES-GCM cipher over each event's stored state.

With a key (``BANSO_CIPHER_KEY``, or a key file the settings name) the mapper encrypts every
state it stores and decrypts every state it reads (``eventsourcing.cryptography.AESCipher``,
from the ``cryptography`` package: AES-256-GCM, a random 96-bit nonce per event). The hash
chain covers the stored bytes, the ciphertext, so ``verify`` needs no key for the chain and
erasing nothing changes a digest.

A store is either encrypted from its first event or not at all: which, is read from its
first stored state (banso's plain states are JSON objects; a ciphertext never parses as
one). A key given for a plain store, none for an encrypted one, or the wrong one, is refused
before anything is read or recorded.
"""

from __future__ import annotations

import base64
import binascii

from eventsourcing.persistence import Cipher
from pydantic_core import from_json

from tracker.domain.errors import StoreKeyError

#: eventsourcing's AES-GCM cipher, named by topic (imported only when a key is given).
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
KEY_BYTES = 32


def new_key() -> str:
    """A new random AES-256 key, as base64 text (what ``banso keygen`` prints)."""
    from eventsourcing.cryptography import AESCipher

    return AESCipher.create_key(KEY_BYTES)


def checked_key(key: str, store: str) -> str:
    """``key`` stripped, if it is base64 of 16, 24 or 32 bytes; else refused in one line."""
    key = key.strip()
    try:
        raw = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if len(raw) not in (16, 24, 32):
        raise StoreKeyError(store=store, reason="key_malformed")
    return key


def is_plain(state: bytes) -> bool:
    """Whether a stored state is plain JSON (an unencrypted store's), not a ciphertext."""
    if not state.startswith(b"{"):
        return False
    try:
        return isinstance(from_json(state), dict)
    except ValueError:
        return False


def check_key(cipher: Cipher | None, first_state: bytes | None, store: str) -> None:
    """Refuse a key that does not fit the store whose first stored state is ``first_state``
    (None: an empty store, which takes any key, or none)."""
    if first_state is None:
        return
    plain = is_plain(first_state)
    if cipher is None:
        if not plain:
            raise StoreKeyError(store=store, reason="key_needed")
        return
    if plain:
        raise StoreKeyError(store=store, reason="key_plain")
    try:
        cipher.decrypt(first_state)
    except Exception:  # cryptography's InvalidTag, or a ciphertext too short
        raise StoreKeyError(store=store, reason="key_wrong") from None
