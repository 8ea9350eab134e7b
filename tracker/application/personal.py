"""People's details sealed each under that person's own key, so that they can be erased.

The log is append-only: nothing in it can be deleted. So a contact's name, e-mail and phone
(the fields an event lists in its ``personal``) are stored sealed, AES-GCM under a key of
that person alone, and the keys are kept in a table beside the log that *can* be deleted
from (crypto-shredding). Destroying a person's key erases their details from every event
at once, while the events themselves, what happened, stay as they were: the hash chain
covers the stored bytes, the ciphertext, so ``verify`` passes after an erasure as before.
A sealed detail whose key is gone reads as a neutral placeholder.

Keys are made here when an event first seals a person's detail, stored before the event
is (a key without an event, from a write that failed, seals nothing), and read all at once
when first needed. With the whole store encrypted, the keys are stored encrypted with the
store's key too. The cipher is eventsourcing's own AES-GCM (``AESCipher``, the
``cryptography`` package), as for the whole store.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any, Protocol

from eventsourcing.persistence import Cipher
from eventsourcing.utils import Environment

from tracker.application.cipher import new_key
from tracker.domain.erasure import ERASED, erased_name
from tracker.domain.errors import PersonErasedError

#: How a sealed detail is stored in an event's JSON state, in place of its text.
SEALED = "sealed"


class KeyTable(Protocol):
    """Where a store keeps its people's keys: deletable, unlike the log
    (``eventsourcing_compat.person_keys`` makes one for each kind of store). A destroyed
    key leaves a tombstone, the person's id with an empty key, so that no import of an
    older backup can bring it back."""

    def load(self) -> dict[str, str]:
        """Every person's key as stored, by the person's id ("" for one destroyed)."""

    def find(self, person: str) -> str | None:
        """One person's key as stored ("" if destroyed), or None if they have none."""

    def add(self, keys: dict[str, str]) -> None:
        """Store these keys (committed before the events that use them are written)."""

    def delete(self, persons: Iterable[str], *, tombstone: bool = True) -> None:
        """Destroy these people's keys, leaving no copy in the store's files (and, unless
        ``tombstone`` is false, a tombstone in their place)."""


class DictKeys:
    """A key table in a dict: an in-memory store's, or a backup file's keys."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys

    def load(self) -> dict[str, str]:
        return dict(self.keys)

    def find(self, person: str) -> str | None:
        return self.keys.get(person)

    def add(self, keys: dict[str, str]) -> None:
        for person, key in keys.items():
            self.keys.setdefault(person, key)

    def delete(self, persons: Iterable[str], *, tombstone: bool = True) -> None:
        for person in persons:
            if tombstone:
                self.keys[person] = ""
            else:
                self.keys.pop(person, None)


class Keyring:
    """The people's keys of one store: made, read, exported, restored and destroyed."""

    def __init__(self, table: KeyTable, store_cipher: Cipher | None) -> None:
        self.table = table
        self.store_cipher = store_cipher
        self._keys: dict[str, str] | None = None
        self._ciphers: dict[str, Cipher] = {}
        self._destroyed: set[str] = set()
        self._gone: set[str] = set()  # looked for since the table was last read: no key

    # ---- sealing ------------------------------------------------------------------------

    def seal(self, person: str, text: str) -> dict[str, str] | str:
        """``text`` sealed under ``person``'s key (made and stored now if they have none).
        An erased person's placeholder is no detail of theirs: kept as it is (a transfer
        of an erased contact names them so); any other detail of theirs is refused."""
        cipher = self._cipher(person)
        if cipher is None and person not in self._destroyed:
            self.restore({person: new_key()})
            # another process may have stored a key for this id first (a write that then
            # lost to this one's, or the other way round): seal with the key the table holds
            self._forget_cached([person])
            cipher = self._cipher(person)
        if cipher is None:  # destroyed, here or by another process
            if text in (erased_name(person), ERASED):
                return text
            raise PersonErasedError(person=erased_name(person))
        sealed = cipher.encrypt(text.encode("utf-8"))
        return {SEALED: base64.b64encode(sealed).decode("ascii")}

    def unseal(self, person: str | None, sealed: dict[str, Any]) -> str | None:
        """The text sealed in ``sealed``, or None if ``person``'s key is gone."""
        cipher = None if person is None else self._cipher(str(person))
        if cipher is None:
            return None
        return cipher.decrypt(base64.b64decode(sealed[SEALED])).decode("utf-8")

    def _cipher(self, person: str) -> Cipher | None:
        found = self._ciphers.get(person)
        if found is None:
            keys = self._plain_keys()
            key = keys.get(person)
            if key is None and person not in self._gone:
                stored = self.table.find(person)  # made by another process since?
                if stored:
                    key = keys[person] = self._opened(stored)
                elif stored == "":
                    self._destroyed.add(person)
            if key is None:
                self._gone.add(person)  # none, or destroyed: a key is made once for an id
                return None
            found = self._ciphers[person] = _aes(key)
        return found

    # ---- the keys as a whole ------------------------------------------------------------

    def reload(self) -> None:
        """Forget every key read so far: the next use reads the table again (after another
        process destroyed some)."""
        self._keys, self._ciphers, self._gone = None, {}, set()

    def _plain_keys(self) -> dict[str, str]:
        if self._keys is None:
            stored = self.table.load()
            self._destroyed = {p for p, k in stored.items() if not k}
            self._keys = {p: self._opened(k) for p, k in stored.items() if k}
        return self._keys

    def living_keys(self) -> dict[str, str]:
        """Every living person's key as stored: in the clear, or in an encrypted store
        encrypted with its key (what an export carries, byte for byte)."""
        return {p: k for p, k in self.table.load().items() if k}

    def restore(self, keys: dict[str, str], *, closed: dict[str, str] | None = None) -> list[str]:
        """Store the keys of ``keys`` not held yet, and not destroyed here before (an
        erasure stands), as ``closed`` gives them stored if it does; returns the people
        they were for."""
        held = self._plain_keys()
        new = {p: k for p, k in keys.items() if p not in held and p not in self._destroyed}
        if new:
            closed = closed or {}
            self.table.add({p: closed.get(p) or self._closed(k) for p, k in new.items()})
            held.update(new)
            self._gone.difference_update(new)
        return list(new)

    def destroy(self, persons: Iterable[str]) -> None:
        """Destroy these people's keys: their details can never be read again."""
        self._drop(persons, tombstone=True)

    def withdraw(self, persons: Iterable[str]) -> None:
        """Take back keys just restored for an import that was then refused."""
        self._drop(persons, tombstone=False)

    def _drop(self, persons: Iterable[str], *, tombstone: bool) -> None:
        persons = [str(p) for p in persons]
        if not persons:
            return
        self.table.delete(persons, tombstone=tombstone)
        self._forget_cached(persons)
        if tombstone:
            self._destroyed.update(persons)

    def _forget_cached(self, persons: list[str]) -> None:
        """Read these people's keys from the table again on their next use."""
        for person in persons:
            self._ciphers.pop(person, None)
            self._gone.discard(person)
            if self._keys is not None:
                self._keys.pop(person, None)

    def _closed(self, key: str) -> str:
        """A key as stored: encrypted with the store's key when the store is encrypted."""
        if self.store_cipher is None:
            return key
        return base64.b64encode(self.store_cipher.encrypt(key.encode("ascii"))).decode("ascii")

    def _opened(self, stored: str) -> str:
        """A key as stored, in the clear (an encrypted store's refused by another key)."""
        if self.store_cipher is None:
            return stored
        return self.store_cipher.decrypt(base64.b64decode(stored)).decode("ascii")


def _aes(key: str) -> Cipher:
    from eventsourcing.cryptography import AESCipher

    return AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))


# ---- an event's state -----------------------------------------------------------------------


def _place(state: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    """The dict holding the detail at ``path`` (``changes.email``: in ``changes``), and its key."""
    head, _, key = path.rpartition(".")
    holder = state.get(head) if head else state
    return (holder if isinstance(holder, dict) else None), key


def seal_state(personal: dict[str, str], state: dict[str, Any], keyring: Keyring | None) -> None:
    """Seal, in place, each detail of ``state`` whose person is named (by their id)."""
    for path, id_field in personal.items():
        person = state.get(id_field)
        holder, key = _place(state, path)
        if person is None or holder is None or not isinstance(holder.get(key), str):
            continue  # no person named (an entry from before sealing), or no detail given
        if keyring is None:
            raise RuntimeError("no keyring to seal a person's details with")
        holder[key] = keyring.seal(str(person), holder[key])


def unseal_state(personal: dict[str, str], state: dict[str, Any], keyring: Keyring | None) -> None:
    """Open, in place, each sealed detail of ``state``: its text, or a placeholder once
    its person's key is destroyed (a name: one per person; other details: one for all)."""
    for path, id_field in personal.items():
        holder, key = _place(state, path)
        sealed = None if holder is None else holder.get(key)
        if not isinstance(sealed, dict):
            continue
        assert holder is not None
        person = state.get(id_field)
        opened = None if keyring is None else keyring.unseal(person, sealed)
        if opened is None:  # the placeholder, worked out only then (a rebuild opens 80,000)
            opened = erased_name(person) if key in ("name", "successor", "contact") else ERASED
        holder[key] = opened
