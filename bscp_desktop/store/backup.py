"""Consistent copies of a SQLite database, made with SQLite's online backup API (safe while in use, WAL
included): on demand, and once a day when the program starts (the last fortnight's are kept).

A copy of an encrypted register is encrypted with the same key (SQLCipher refuses to copy it into a plain
file), and a key kept in the credential store is kept for the copy too, so a copy opens like the register."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from bscp_desktop.store.engine import Database
from bscp_desktop.store.keys import connect_encrypted, forget_key, remember_key


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
    src = db.engine.raw_connection()  # the register's own connection: read-only registers are read as such
    try:
        dst = connect_encrypted(tmp, db.key) if db.key is not None else sqlite3.connect(tmp)
        try:
            src.driver_connection.backup(dst)  # type: ignore[union-attr]
        finally:
            dst.close()
    finally:
        src.close()
    if db.key is not None:
        remember_key(tmp, db.key)  # the copy's own salt names it in the credential store
    tmp.replace(out)
    return out


DAILY_KEEP = 14


def copies_of(path: Path) -> list[Path]:
    """The copies the program made of the register ``path`` in the backups folder: the one made before each
    upgrade (``NAME.before-REV.STAMP.db``) and the daily copies (``NAME-YYYY-MM-DD.db``)."""
    from bscp_desktop.store.paths import backup_dir

    stem = re.escape(Path(path).stem)
    before = re.compile(rf"{stem}\.before-\w+\.\d{{8}}-\d{{6}}\.\w+")
    daily = re.compile(rf"{stem}-\d{{4}}-\d{{2}}-\d{{2}}\.db")
    folder = backup_dir()
    found = [p for p in folder.iterdir() if p.is_file() and before.fullmatch(p.name)]
    if (folder / "daily").is_dir():
        found += [p for p in (folder / "daily").iterdir() if p.is_file() and daily.fullmatch(p.name)]
    return sorted(found)


def latest_daily_copy(path: Path) -> Path | None:
    """The newest daily copy of the SQLite file ``path`` in the backups folder, if there is one."""
    from bscp_desktop.store.paths import backup_dir

    folder = backup_dir() / "daily"
    if not folder.is_dir():
        return None
    pattern = re.compile(rf"{re.escape(Path(path).stem)}-\d{{4}}-\d{{2}}-\d{{2}}\.db")
    copies = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))
    return copies[-1] if copies else None


def daily_backup(db: Database, folder: Path, today: dt.date, keep: int = DAILY_KEEP) -> Path | None:
    """Copy a SQLite database into ``folder`` as ``NAME-YYYY-MM-DD.db`` unless today's copy exists, then remove all
    but the newest ``keep`` copies of it. Returns the new copy, or None when there was nothing to do (today's copy
    exists, or the database is on a server, which is backed up with the server's own tools)."""
    if db.path is None:
        return None
    stem = Path(db.path).stem
    out = Path(folder) / f"{stem}-{today:%Y-%m-%d}.db"
    if out.exists():
        return None
    backup_sqlite(db, out)
    pattern = re.compile(rf"{re.escape(stem)}-\d{{4}}-\d{{2}}-\d{{2}}\.db")
    copies = sorted(p for p in out.parent.iterdir() if pattern.fullmatch(p.name))
    for old in copies[:-keep] if keep > 0 else []:
        forget_key(old)
        old.unlink(missing_ok=True)
    return out
