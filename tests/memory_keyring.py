"""A credential store in memory, for tests: these machines have no keyring backend, and a test must never
write to a real user's credential store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dictionary, gone with the test. Never chosen by keyring's own discovery (which would
    otherwise make it every test's credential store): only ``memory_keyring`` puts it in place."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - keyring's class property
        raise RuntimeError("set explicitly by memory_keyring() only")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Use a fresh in-memory credential store for the block, then put the previous one back."""
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    try:
        yield store
    finally:
        keyring.set_keyring(previous)
