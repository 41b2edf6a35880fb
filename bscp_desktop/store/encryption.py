"""``encrypt``, ``decrypt`` and ``rekey``: a register rewritten with another key, safely.

Each works the same way: SQLCipher's ``sqlcipher_export`` writes the register into a new file beside it with the
new key (or none), the new file is verified (SQLite's integrity check, every table's row count against the
original, every document's bytes against its SHA-256) and flushed to disk, and only then is it moved over the
original in one atomic rename. Killed at any moment, the register's path holds either the old file or the new
one, whole: never neither, never a half-written file (a half-written ``.NAME.encrypting`` beside it is removed
by the next run). ``encrypt`` then overwrites the old plain bytes and encrypts the plain copies the program made
of that register (the copies made before each upgrade, the daily copies), so no plaintext copy is left behind.

The register must not be open elsewhere while this runs: SQLite keeps its ``-wal`` and ``-shm`` files beside a
register that any program has open, and their presence after this module has closed its own connection is taken
as "in use" and refused before anything is replaced.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bscp_desktop.store.keys import (
    KeyKind,
    KeyNeeded,
    RegisterKey,
    WrongKey,
    connect_encrypted,
    file_state,
    find_key,
    forget_key,
    forget_salt,
    key_needed_message,
    remember_key,
    salt_of,
    sqlcipher_module,
    wrong_key_message,
)

Step = Callable[[str], None]  # told the name of each step as it starts (the interruption tests stop at each)
STEPS = ("export", "verify", "keep key", "swap", "scrub", "copies")

if TYPE_CHECKING:
    from bscp_desktop.store.engine import Database


class EncryptionRefused(RuntimeError):
    """The rewrite cannot start (the register is missing, in use, already in the state asked for) or did not
    verify; the register was left exactly as it was."""


@dataclass
class RewriteReport:
    """What a rewrite did: the file written, what was verified in it, and the program's copies it also rewrote."""

    path: Path
    tables: int = 0
    rows: int = 0
    documents: int = 0
    copies: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # copies on a key nothing could open, removed


def _no_step(_name: str) -> None:
    return None


def _tables(conn: Any, schema: str = "main") -> list[str]:
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def export_copy(source: Path, source_key: RegisterKey | None, target: Path, target_key: RegisterKey | None) -> None:
    """Write the whole of ``source`` into the new file ``target`` with ``target_key`` (None: plain)."""
    conn = connect_encrypted(source, source_key, isolation_level=None)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher_module().DatabaseError as e:  # "file is not a database": told in words
            if source_key is not None and "not a database" in str(e).lower():
                raise WrongKey(wrong_key_message(source, source_key)) from None
            raise
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), target_key.pragma if target_key else ""))
        conn.execute("SELECT sqlcipher_export('target')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(version)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()


def verify_copy(source: Path, source_key: RegisterKey | None, target: Path, target_key: RegisterKey | None,
                report: RewriteReport) -> None:
    """The copy passes SQLite's integrity check, holds as many rows in every table as the source, and every
    document's bytes match its SHA-256; ``EncryptionRefused`` otherwise."""
    src = connect_encrypted(source, source_key, isolation_level=None)
    dst = connect_encrypted(target, target_key, isolation_level=None)
    try:
        integrity = [r[0] for r in dst.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise EncryptionRefused(f"the new file did not pass SQLite's integrity check ({integrity[0]}); "
                                    f"{source} was left as it was")
        tables = _tables(src)
        if tables != _tables(dst):
            raise EncryptionRefused(f"the new file does not hold the same tables; {source} was left as it was")
        for table in tables:
            a = src.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            b = dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if a != b:
                raise EncryptionRefused(f"{table}: {b} rows in the new file, {a} in {source}; it was left as it was")
            report.rows += a
        report.tables = len(tables)
        if "documents" in tables and "document_contents" in tables:
            for doc_id, sha, data in dst.execute(
                    "SELECT d.id, d.sha256, c.data FROM documents d JOIN document_contents c ON c.document_id = d.id"):
                if hashlib.sha256(bytes(data)).hexdigest() != sha:
                    raise EncryptionRefused(f"document {doc_id} does not match its SHA-256 in the new file; "
                                            f"{source} was left as it was")
                report.documents += 1
    finally:
        src.close()
        dst.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":  # a rename is durable once its folder is flushed (Windows has no such call)
        _fsync(folder)


def _refuse_if_in_use(path: Path, key: RegisterKey | None, probe: bool = True) -> None:
    """``EncryptionRefused`` when another program has the register open: its ``-wal``/``-shm`` files stay after a
    connection of ours has opened and closed it (which removes files a crash left behind, when nobody else has
    it open)."""
    if probe and any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")):
        connect_encrypted(path, key, isolation_level=None).close()
    for suffix in ("-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            raise EncryptionRefused(f"{path} is in use (another window or a colleague has it open): close "
                                    "bscp-desktop wherever it is open, then try again. Nothing was changed.")


def _scrub(handle: Any) -> None:
    """Overwrite a replaced plain file's bytes through a handle kept open across the rename."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    block = b"\0" * (1 << 20)
    for _ in range(0, size, len(block)):
        handle.write(block)
    handle.flush()
    os.fsync(handle.fileno())


def _work_file(path: Path, suffix: str) -> Path:
    work = path.with_name(f".{path.name}.{suffix}")
    work.unlink(missing_ok=True)  # left by an interrupted run: never the register itself
    return work


def rewrite_in_place(path: Path, old_key: RegisterKey | None, new_key: RegisterKey | None,
                     step: Step = _no_step) -> RewriteReport:
    """Rewrite ``path`` from ``old_key`` to ``new_key`` (None: plain) through a verified copy and an atomic
    rename; the old bytes are overwritten when they were plain (POSIX, where the file stays open across the
    rename). The credential store's entry is moved to the new file."""
    report = RewriteReport(path)
    _refuse_if_in_use(path, old_key)
    work = _work_file(path, "encrypting")
    try:
        step("export")
        export_copy(path, old_key, work, new_key)
        _refuse_if_in_use(path, old_key, probe=False)  # nobody opened it meanwhile
        step("verify")
        verify_copy(path, old_key, work, new_key, report)
        _fsync(work)
        step("keep key")
        if new_key is not None:
            remember_key(work, new_key)
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    old_salt = salt_of(path) if old_key is not None else None
    plain_handle = open(path, "r+b") if old_key is None and os.name == "posix" else None
    try:
        step("swap")
        os.replace(work, path)
        _fsync_folder(path.parent)
        if old_salt is not None and old_key is not None and old_key.kind is KeyKind.KEYRING:
            forget_salt(old_salt)
        step("scrub")
        if plain_handle is not None:
            _scrub(plain_handle)
    finally:
        if plain_handle is not None:
            plain_handle.close()
    return report


def _copies(path: Path, key: RegisterKey | None) -> list[Path]:
    """The copies the program made of the register file ``path`` (found by its register id, read with ``key``)."""
    from bscp_desktop.store.copies import copies_of, register_id_of_file

    register = register_id_of_file(path, key)
    return [c.path for c in copies_of(register)] if register else []


def encrypt_register(path: Path, key: RegisterKey | None, step: Step = _no_step) -> RewriteReport:
    """Encrypt a plain register in place with ``key``, then the plain copies the program made of it. A register
    already encrypted is left as it is, and any plain copies of it still left are encrypted with its key (``key``,
    or the one ``find_key`` finds)."""
    state = file_state(path)
    if state in ("missing", "empty"):
        raise EncryptionRefused(f"{path} does not exist or is empty: there is nothing to encrypt")
    if state == "other":
        raise EncryptionRefused(f"{path} is not a bscp-desktop register: it is not a database this program can read")
    if state == "encrypted":
        key = key or _key_of(path)
        report = RewriteReport(path)
    elif key is None:
        raise EncryptionRefused(f"{path} is not encrypted: choose its key first")
    else:
        report = rewrite_in_place(path, None, key, step)
    step("copies")
    for copy in _copies(path, key):
        if file_state(copy) == "plain":
            rewrite_in_place(copy, None, key)
            report.copies.append(copy)
    return report


def _key_of(path: Path) -> RegisterKey:
    key = find_key(path)
    if key is None:
        raise KeyNeeded(key_needed_message(path))
    return key


def opens_with(path: Path, key: RegisterKey) -> bool:
    """Whether ``path`` is an encrypted register that ``key`` opens (an empty or cut-short file is not)."""
    if file_state(path) != "encrypted":
        return False
    try:
        conn = connect_encrypted(path, key, isolation_level=None)
    except sqlcipher_module().DatabaseError:
        return False
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlcipher_module().DatabaseError:
        return False
    finally:
        conn.close()


REKEYED = "rekeyed"  # a copy re-keyed ahead of its register waits beside it as ".NAME.rekeyed"


def rekey_register(path: Path, new_key: RegisterKey, step: Step = _no_step,
                   old_copy_key: RegisterKey | None = None) -> RewriteReport:
    """Give an encrypted register a new key (a new passphrase, or a move between the credential store and a
    passphrase), and every copy the program made of it.

    The copies are re-keyed first, each into a verified file beside it (``.NAME.rekeyed``); then the register
    is rewritten; then each prepared copy takes its copy's place (``settle_rekeyed_copies``, which the next
    opening of the register also runs). Killed at any moment, every copy opens with the key the register has
    then: before the register's swap the copies are untouched, after it the prepared files (which open with the
    register's new key) finish the job. A copy on an earlier key is re-keyed when the credential store or
    ``old_copy_key`` opens it, and removed when nothing does (it could never be opened again); the report says
    which."""
    if file_state(path) != "encrypted":
        raise EncryptionRefused(f"{path} is not encrypted: encrypt it first (bscp-desktop encrypt)")
    from bscp_desktop.store.copies import copies_folder_of_file

    old_key = _key_of(path)
    folder = copies_folder_of_file(path, old_key)
    settle_rekeyed_copies(folder, old_key)  # what an interrupted run left: finished or cleared first
    report = RewriteReport(path)
    step("copies")
    for copy in _copies(path, old_key):
        if file_state(copy) != "encrypted" or opens_with(copy, new_key):
            continue
        key = next((k for k in (old_key, find_key(copy), old_copy_key) if k is not None and opens_with(copy, k)),
                   None)
        if key is None:
            remove_copy(copy)
            report.removed.append(copy)
            continue
        side, work = _side_file(copy), _work_file(copy, "rekeying")
        try:  # written and verified under a working name, and only then named as ready
            export_copy(copy, key, work, new_key)
            verify_copy(copy, key, work, new_key, RewriteReport(copy))
            _fsync(work)
            remember_key(work, new_key)
            os.replace(work, side)
        except BaseException:
            work.unlink(missing_ok=True)
            raise
        report.copies.append(copy)
    rewritten = rewrite_in_place(path, old_key, new_key, step)
    report.tables, report.rows, report.documents = rewritten.tables, rewritten.rows, rewritten.documents
    settle_rekeyed_copies(folder, new_key)
    return report


def _side_file(copy: Path) -> Path:
    side = copy.with_name(f".{copy.name}.{REKEYED}")
    side.unlink(missing_ok=True)
    return side


def remove_copy(copy: Path) -> None:
    """Remove one of the program's copies of a register, and its key in the credential store."""
    forget_key(copy)
    copy.unlink(missing_ok=True)


def settle_register_copies(database: Database) -> None:
    """Finish what an interrupted ``rekey`` left among an encrypted register's copies, so none is left on a key
    the register no longer has (``settle_rekeyed_copies``)."""
    from bscp_desktop.store.copies import copies_folder, register_id

    register = register_id(database)
    if register is not None and database.key is not None:
        settle_rekeyed_copies(copies_folder(register, create=False), database.key)


def settle_rekeyed_copies(folder: Path | None, key: RegisterKey) -> int:
    """Finish a ``rekey`` that was interrupted: each copy re-keyed ahead of the register takes its copy's place
    when it opens with the register's key ``key`` (the register was swapped), and is removed otherwise (it was
    not); what an interrupted rewrite left beside a copy (``.encrypting`` and ``-journal`` files) goes too.
    ``folder``: the register's copies folder (``copies.copies_folder``). Returns how many copies were replaced.
    Cheap when there is nothing to do: one look at the folder."""
    if folder is None or not folder.is_dir():
        return 0
    replaced = 0
    for side in [*folder.glob(f".*.{REKEYED}"), *folder.glob(f"daily/.*.{REKEYED}")]:
        target = side.with_name(side.name[1:-len(REKEYED) - 1])
        if target.exists() and opens_with(side, key):
            forget_key(target)
            os.replace(side, target)
            _fsync_folder(target.parent)
            replaced += 1
        else:
            forget_key(side)
            side.unlink(missing_ok=True)
    for pattern in (".*.encrypting", ".*.encrypting-journal", ".*.rekeying", ".*.rekeying-journal",
                    f".*.{REKEYED}-journal"):
        for leftover in [*folder.glob(pattern), *folder.glob(f"daily/{pattern}")]:
            leftover.unlink(missing_ok=True)
    return replaced


def copies_on_another_key(path: Path, key: RegisterKey) -> list[Path]:
    """The program's copies of the encrypted register ``path`` that its key ``key`` does not open (plain ones
    included), for ``check``."""
    return [c for c in _copies(path, key) if file_state(c) != "encrypted" or not opens_with(c, key)]


def decrypt_register(path: Path, out: Path, step: Step = _no_step) -> RewriteReport:
    """Write a plain, verified copy of an encrypted register to the new file ``out`` (for a records manager)."""
    if file_state(path) != "encrypted":
        raise EncryptionRefused(f"{path} is not encrypted: it can be copied as it is (bscp-desktop backup)")
    if out.exists():
        raise EncryptionRefused(f"{out} already exists: choose a new file")
    key = _key_of(path)
    report = RewriteReport(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = _work_file(out, "part")
    step("export")
    export_copy(path, key, work, None)
    step("verify")
    verify_copy(path, key, work, None, report)
    _fsync(work)
    step("swap")
    os.replace(work, out)
    _fsync_folder(out.parent)
    return report
