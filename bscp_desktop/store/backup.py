"""Consistent copies of a SQLite database, made with SQLite's online backup API (safe while in use, WAL
included): on demand (``backup``), and the copies the program keeps of a register (``store.copies``).

A copy of an encrypted register is encrypted with the same key (SQLCipher refuses to copy it into a plain
file), and a key kept in the credential store is kept for the copy too, so a copy opens like the register."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bscp_desktop.store.engine import Database
from bscp_desktop.store.keys import connect_encrypted, remember_key


class BackupNotSupported(RuntimeError):
    """The database is not a SQLite file; a server database is backed up with the server's own tools."""


def backup_sqlite(db: Database, out: Path) -> Path:
    """Copy the database to ``out`` (a new file; folders are created) and return it."""
    src_path = db.path
    if src_path is None:
        raise BackupNotSupported(
            f"{db.describe()} is a server database: back it up with the server's tools (pg_dump)"
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    tmp.touch()  # a target that cannot be written is told as such (OSError), never as the source's fault
    src = db.engine.raw_connection()  # the register's own connection: read-only registers are read as such
    try:
        dst = connect_encrypted(tmp, db.key) if db.key is not None else sqlite3.connect(tmp)
        try:
            src.driver_connection.backup(dst)  # type: ignore[union-attr]
            # A copy is one file: in the rollback journal's mode, reading it leaves no -wal or -shm beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    if db.key is not None:
        remember_key(tmp, db.key)  # the copy's own salt names it in the credential store
    tmp.replace(out)
    return out
