"""Consistent copies of a SQLite database, made with SQLite's online backup API (safe while in use, WAL
included)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bscp_desktop.store.engine import Database


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
    src = sqlite3.connect(src_path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(out)
    return out
