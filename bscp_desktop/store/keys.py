"""The keys of encrypted registers (SQLCipher 4), and where they are kept.

A register is encrypted with one of two kinds of key:

- a random 256-bit key, created with the register and kept in the operating system's credential store
  (Windows Credential Manager, macOS Keychain, Secret Service) through ``keyring``: staff open the register
  without typing anything, on the PC that holds the key;
- a passphrase the user chose (for a register moved between PCs), typed in a dialog at start, or given to the
  command line and tests in ``BSCP_DB_PASSPHRASE``.

An encrypted file has no readable header: its first 16 bytes are SQLCipher's random salt, which is not secret.
The credential store holds each key under that salt (``register-<salt in hex>``), so a register renamed or
moved on the same PC still opens, and every copy the program makes (daily copies, backups) gets an entry of its
own. Without the key the data cannot be read by anyone: there is no recovery.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
KEYRING_SERVICE = "bscp-desktop"
PASSPHRASE_VARIABLE = "BSCP_DB_PASSPHRASE"
MIN_PASSPHRASE = 10


class KeyKind(StrEnum):
    """Where an encrypted register's key comes from."""

    KEYRING = "keyring"
    PASSPHRASE = "passphrase"
    DERIVED = "derived"  # a passphrase's key, derived once for one file (``connection_key``); never stored


KDF_ITERATIONS = 256_000  # SQLCipher 4's default PBKDF2-HMAC-SHA512 rounds, which every register uses


@dataclass(frozen=True)
class RegisterKey:
    """The key of an encrypted register: a raw 256-bit key (kept in the credential store) or a passphrase."""

    kind: KeyKind
    secret: str  # 64 hexadecimal digits for a keyring key; the passphrase itself otherwise

    def __repr__(self) -> str:  # never the secret, in a log or a traceback
        return f"RegisterKey({self.kind.value})"

    @classmethod
    def new_random(cls) -> RegisterKey:
        """A new random 256-bit key, to be kept in the credential store."""
        return cls(KeyKind.KEYRING, secrets.token_hex(32))

    @classmethod
    def passphrase(cls, text: str) -> RegisterKey:
        """A key from a passphrase (SQLCipher derives the key from it with PBKDF2)."""
        return cls(KeyKind.PASSPHRASE, text)

    @property
    def pragma(self) -> str:
        """The value for ``PRAGMA key``: ``x'…'`` for a raw key (no key derivation), the passphrase otherwise."""
        return self.secret if self.kind is KeyKind.PASSPHRASE else f"x'{self.secret}'"

    @property
    def described(self) -> str:
        """Where the key lives, in words."""
        if self.kind is KeyKind.KEYRING:
            return "its key is kept in this PC's credential store"
        return "it opens with a passphrase"


class EncryptionKeyProblem(RuntimeError):
    """An encrypted register could not be opened for want of its key; nothing was read or changed."""


class KeyNeeded(EncryptionKeyProblem):
    """The register is encrypted and neither the credential store nor ``BSCP_DB_PASSPHRASE`` has its key."""


class WrongKey(EncryptionKeyProblem):
    """The key given does not open the register (a wrong passphrase, or a damaged file)."""


class KeyringUnavailable(RuntimeError):
    """This PC has no credential store the program can use (a passphrase can be used instead)."""


class PassphraseRefused(ValueError):
    """A passphrase chosen for a register is too short."""


def check_new_passphrase(text: str) -> str:
    """The passphrase, when it is long enough to choose; ``PassphraseRefused`` naming the rule otherwise."""
    if len(text) < MIN_PASSPHRASE:
        raise PassphraseRefused(f"Passphrase: must be at least {MIN_PASSPHRASE} characters long (a few words "
                                "are easier to remember than symbols)")
    return text


def file_state(path: Path) -> str:
    """``"missing"``, ``"empty"``, ``"plain"`` (a readable SQLite header), ``"encrypted"`` (no header, and whole
    pages of 512 bytes or more, as SQLCipher writes) or ``"other"`` (a file that is not a database at all)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    if head == SQLITE_HEADER:
        return "plain"
    return "encrypted" if size >= 512 and size % 512 == 0 else "other"


def is_encrypted(path: Path) -> bool:
    """True when ``path`` holds bytes that are not a plain SQLite file (an encrypted register)."""
    return file_state(path) == "encrypted"


def salt_of(path: Path) -> str:
    """The register's SQLCipher salt in hex: its first 16 bytes, which name its key in the credential store."""
    with open(path, "rb") as f:
        return f.read(16).hex()


def _keyring() -> Any:
    import keyring

    return keyring


def keyring_usable() -> bool:
    """True when this PC has a credential store the program can use."""
    try:
        backend = _keyring().get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring set-up is the same as none
        return False
    from keyring.backends import fail, null

    return not isinstance(backend, fail.Keyring | null.Keyring)


def keyring_key(path: Path) -> RegisterKey | None:
    """The key the credential store keeps for this register, if any."""
    if not keyring_usable():
        return None
    from keyring.errors import KeyringError

    try:
        secret = _keyring().get_password(KEYRING_SERVICE, f"register-{salt_of(path)}")
    except (KeyringError, OSError):
        return None
    return RegisterKey(KeyKind.KEYRING, secret) if secret else None


def remember_key(path: Path, key: RegisterKey) -> None:
    """Keep a keyring key in the credential store under the register's salt (a passphrase is never stored)."""
    if key.kind is not KeyKind.KEYRING:
        return
    if not keyring_usable():
        raise KeyringUnavailable("This PC has no credential store to keep the register's key in: use a passphrase")
    from keyring.errors import KeyringError

    try:
        _keyring().set_password(KEYRING_SERVICE, f"register-{salt_of(path)}", key.secret)
    except KeyringError as e:
        raise KeyringUnavailable(f"The credential store refused to keep the register's key ({e})") from e


def forget_key(path: Path) -> None:
    """Remove the credential store's entry for an encrypted file about to be deleted (if it has one)."""
    if path.exists() and is_encrypted(path):
        forget_salt(salt_of(path))


def forget_salt(salt: str) -> None:
    """Remove the credential store's entry for the file with this salt (a file replaced or deleted)."""
    if not keyring_usable():
        return
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        _keyring().delete_password(KEYRING_SERVICE, f"register-{salt}")
    except (PasswordDeleteError, KeyringError):
        pass


def connection_key(path: Path, key: RegisterKey) -> RegisterKey:
    """The key each connection to the encrypted file ``path`` opens it with. A passphrase is turned into its raw
    key here, once, as SQLCipher 4 would (PBKDF2-HMAC-SHA512 over the file's salt), so that further connections
    open at once instead of deriving it again (a third of a second each); a raw key is used as it is."""
    if key.kind is not KeyKind.PASSPHRASE:
        return key
    raw = hashlib.pbkdf2_hmac("sha512", key.secret.encode("utf-8"), bytes.fromhex(salt_of(path)), KDF_ITERATIONS, 32)
    return RegisterKey(KeyKind.DERIVED, raw.hex())


def env_passphrase() -> RegisterKey | None:
    """The passphrase in ``BSCP_DB_PASSPHRASE``, if set."""
    text = os.environ.get(PASSPHRASE_VARIABLE)
    return RegisterKey.passphrase(text) if text else None


def find_key(path: Path) -> RegisterKey | None:
    """The key for an encrypted register: the credential store's, else ``BSCP_DB_PASSPHRASE``, else None."""
    return keyring_key(path) or env_passphrase()


def new_register_key() -> RegisterKey | None:
    """The key a new register is encrypted with: the passphrase in ``BSCP_DB_PASSPHRASE`` when set, else a new
    random key for the credential store, else None (this PC has neither: the caller asks for a passphrase)."""
    chosen = env_passphrase()
    if chosen is not None:
        return chosen
    return RegisterKey.new_random() if keyring_usable() else None


def key_needed_message(path: Path) -> str:
    """What to say when an encrypted register's key is missing, and how to open it."""
    return (f"{path} is encrypted and this PC's credential store does not hold its key: open it with its "
            f"passphrase (the command line reads it from {PASSPHRASE_VARIABLE})")


def wrong_key_message(path: Path, key: RegisterKey) -> str:
    """What to say when a key does not open an encrypted register."""
    if key.kind is KeyKind.PASSPHRASE:
        return f"the passphrase does not open {path}: check it and try again (or the file is damaged)"
    return (f"the key in this PC's credential store does not open {path}: the file is damaged, or was replaced; "
            "restore it from a copy")


_silenced = False


def sqlcipher_module() -> Any:
    """The SQLCipher driver (``sqlcipher3``), with its own error log silenced for the whole process (it would
    print to stderr on a wrong key): failures are told in words instead."""
    global _silenced
    import sqlcipher3

    if not _silenced:
        probe = sqlcipher3.connect(":memory:")
        probe.execute("PRAGMA cipher_log_level = NONE")
        probe.close()
        _silenced = True
    return sqlcipher3


def connect_encrypted(path: Path | str, key: RegisterKey | None, **kwargs: Any) -> Any:
    """A raw SQLCipher connection to ``path`` opened with ``key`` (None: a plain file, through the same driver)."""
    conn = sqlcipher_module().connect(str(path), **kwargs)
    apply_key(conn, key)
    return conn


def apply_key(conn: Any, key: RegisterKey | None) -> None:
    """Give a SQLCipher connection its key (None: leave it plain)."""
    if key is not None:
        conn.execute(f"PRAGMA key = {quote_key(key)}")


def quote_key(key: RegisterKey) -> str:
    """The key as a quoted SQL literal for ``PRAGMA key`` / ``ATTACH … KEY``."""
    return "'" + key.pragma.replace("'", "''") + "'" if key.kind is KeyKind.PASSPHRASE else f"\"{key.pragma}\""


def create_encrypted(path: Path, key: RegisterKey) -> None:
    """Create a new, empty encrypted register file (its header and salt written) and keep a keyring key in the
    credential store; the schema is created by the migrations afterwards."""
    if key.kind is KeyKind.KEYRING and not keyring_usable():
        raise KeyringUnavailable("This PC has no credential store to keep the register's key in: use a passphrase")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect_encrypted(path, key, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE bscp_new_register (x)")  # writes page 1: the salt is on disk from now on
        conn.execute("DROP TABLE bscp_new_register")
    finally:
        conn.close()
    try:
        remember_key(path, key)
    except KeyringUnavailable:
        path.unlink(missing_ok=True)
        raise
