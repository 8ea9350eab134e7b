"""Encryption at rest: eventsourcing's AES-GCM cipher over each event's stored state.

With a key (``BANSO_CIPHER_KEY``, or a key file the settings name) the mapper encrypts every
state it stores and decrypts every state it reads (``eventsourcing.cryptography.AESCipher``,
from the ``cryptography`` package: AES-256-GCM, a random 96-bit nonce per event). The hash
chain covers the stored bytes, the ciphertext, so ``verify`` needs no key for the chain and
erasing nothing changes a digest.

A store is either encrypted from its first event or not at all: which, is read from its
first stored states (banso's plain states are JSON objects; a ciphertext never parses as
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


#: How many of the first stored states decide whether a store is encrypted: more than one,
#: so that one altered or unreadable state (``verify``'s to report) decides nothing.
SAMPLE = 8


def check_key(cipher: Cipher | None, states: list[bytes], store: str) -> None:
    """Refuse a key that does not fit the store whose first stored states are ``states``
    (none: an empty store, which takes any key, or none). A store is plain if any of them
    is a JSON object; encrypted with this key if any of them decrypts."""
    if not states:
        return
    plain = any(is_plain(state) for state in states)
    if cipher is None:
        if not plain:
            raise StoreKeyError(store=store, reason="key_needed")
        return
    if any(_decrypts(cipher, state) for state in states):
        return
    if plain:
        raise StoreKeyError(store=store, reason="key_plain")
    raise StoreKeyError(store=store, reason="key_wrong")


def _decrypts(cipher: Cipher, state: bytes) -> bool:
    try:
        cipher.decrypt(state)
    except Exception:  # cryptography's InvalidTag, or a ciphertext too short
        return False
    return True
