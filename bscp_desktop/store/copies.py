"""The copies the program keeps of a SQLite register, each filed under the register's own id: the daily copy
made when the window opens (the last fortnight's kept) and the copy made before each upgrade (kept for a set
number of days). One place for their folder, their names and finding them.

A register's id is a random UUID kept in its settings (``register.id``, made by migration 0011 or when the
register is created), so its copies live in ``backups/<id>/``; two registers with the same file name in two
folders never see each other's copies, and ``encrypt`` or ``rekey`` never touches another register's. Each
folder also records where its register was last seen (``register.json``), which is how the copies of a register
too damaged to read its id from are still found.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bscp_desktop.store.engine import Database
from bscp_desktop.store.errors import plain_database_error
from bscp_desktop.util.paths import backup_dir

REGISTER_ID = "register.id"
DAILY_KEEP = 14
PRE_UPGRADE_KEEP_DAYS = 90
_DAILY = re.compile(r".+-(\d{4}-\d{2}-\d{2})\.db")
_BEFORE = re.compile(r".+\.before-\w+\.(\d{8})-\d{6}\.\w+")


@dataclass(frozen=True)
class RegisterCopy:
    """One copy of a register: the file, what kind (``daily``, ``pre-upgrade``, or ``pre-restore``: the register
    as it was before a restore) and the day it was made."""

    path: Path
    kind: str
    made: dt.date


def new_register_id() -> str:
    """A new register's id."""
    return uuid.uuid4().hex


def register_id(db: Database) -> str | None:
    """The register's id (None for a register made before ids, or an empty database)."""
    try:
        with db.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": REGISTER_ID}).scalar()
            conn.rollback()
    except DBAPIError:  # no settings table yet (a new file): no id yet
        return None
    return str(value) if value else None


def copies_folder(register: str, create: bool = True) -> Path:
    """The folder that holds the copies of the register whose id is ``register``."""
    if not re.fullmatch(r"[0-9a-f]{32}", register):
        raise ValueError(f"not a register id: {register!r}")
    folder = backup_dir() / register
    if create:
        (folder / "daily").mkdir(parents=True, exist_ok=True)
    return folder


def note_location(register: str, path: Path) -> None:
    """Record in the register's copies folder where the register is now (read only for a damaged register)."""
    (copies_folder(register) / "register.json").write_text(json.dumps({"register": str(Path(path).resolve())}),
                                                             encoding="utf-8")


def daily_copy_path(register: str, path: Path, day: dt.date) -> Path:
    """Where the daily copy of ``day`` of the register ``path`` goes."""
    return copies_folder(register) / "daily" / f"{Path(path).stem}-{day:%Y-%m-%d}.db"


def pre_upgrade_copy_path(register: str, path: Path, revision: str, when: dt.datetime) -> Path:
    """Where the copy made before upgrading the register ``path`` to ``revision`` goes."""
    return copies_folder(register) / f"{Path(path).stem}.before-{revision}.{when:%Y%m%d-%H%M%S}{Path(path).suffix or '.db'}"


def copies_of(register: str) -> list[RegisterCopy]:
    """Every copy the program made of the register whose id is ``register``, oldest first."""
    folder = copies_folder(register, create=False)
    found: list[RegisterCopy] = []
    if folder.is_dir():
        for p in folder.iterdir():
            m = _BEFORE.fullmatch(p.name)
            if p.is_file() and m:
                kind = "pre-restore" if ".before-restore." in p.name else "pre-upgrade"
                found.append(RegisterCopy(p, kind, dt.datetime.strptime(m.group(1), "%Y%m%d").date()))
    if (folder / "daily").is_dir():
        for p in (folder / "daily").iterdir():
            m = _DAILY.fullmatch(p.name)
            if p.is_file() and m:
                found.append(RegisterCopy(p, "daily", dt.date.fromisoformat(m.group(1))))
    return sorted(found, key=lambda c: (c.made, c.path.name))


def copies_of_database(db: Database) -> list[RegisterCopy]:
    """The copies of ``db`` (none for a server database, or a register without an id)."""
    register = register_id(db) if db.path is not None else None
    return copies_of(register) if register else []


def register_id_of_file(path: Path, key: object = None) -> str | None:
    """The id of the register file ``path`` (opened with ``key``, a ``RegisterKey``, and closed again)."""
    from bscp_desktop.store.engine import resolve_url

    db = Database(resolve_url(path), key=key)  # type: ignore[arg-type]
    try:
        return register_id(db)
    finally:
        db.dispose()


def copies_folder_of_file(path: Path, key: object = None) -> Path | None:
    """The copies folder of the register file ``path`` (opened with ``key``), if it has one."""
    register = register_id_of_file(path, key)
    return copies_folder(register, create=False) if register else None


def latest_daily_copy(path: Path) -> Path | None:
    """The newest daily copy of the register file ``path``, found by where its copies folder last saw it (for a
    register too damaged to read its id from)."""
    where = str(Path(path).resolve())
    daily: list[RegisterCopy] = []
    root = backup_dir()
    for note in root.glob("*/register.json"):
        try:
            seen = json.loads(note.read_text(encoding="utf-8")).get("register")
        except (OSError, ValueError):
            continue
        if seen == where:
            daily += [c for c in copies_of(note.parent.name) if c.kind == "daily"]
    return max(daily, key=lambda c: (c.made, c.path.name)).path if daily else None


def daily_backup(db: Database, today: dt.date, keep: int = DAILY_KEEP,
                 keep_pre_upgrade_days: int = PRE_UPGRADE_KEEP_DAYS) -> Path | None:
    """Copy a SQLite register into its copies folder as ``NAME-YYYY-MM-DD.db`` unless today's copy exists, then
    prune its old copies (``prune``). Returns the new copy, or None when there was nothing to do (today's copy
    exists, or the register is on a server, which is backed up with the server's own tools)."""
    from bscp_desktop.store.backup import backup_sqlite

    register = register_id(db) if db.path is not None else None
    if db.path is None or register is None:
        return None
    note_location(register, db.path)
    out = daily_copy_path(register, db.path, today)
    made = None if out.exists() else backup_sqlite(db, out)
    prune(register, today, keep, keep_pre_upgrade_days)
    return made


def prune(register: str, today: dt.date, keep_daily: int = DAILY_KEEP,
          keep_pre_upgrade_days: int = PRE_UPGRADE_KEEP_DAYS) -> list[Path]:
    """Remove all but the newest ``keep_daily`` daily copies, and the pre-upgrade copies older than
    ``keep_pre_upgrade_days``; returns what was removed."""
    from bscp_desktop.store.keys import forget_key

    copies = copies_of(register)
    daily = [c for c in copies if c.kind == "daily"]
    old = daily[:-keep_daily] if keep_daily > 0 else daily
    old += [c for c in copies if c.kind != "daily" and (today - c.made).days > keep_pre_upgrade_days]
    for c in old:
        forget_key(c.path)
        c.path.unlink(missing_ok=True)
    return [c.path for c in old]


def unusable_message(db: Database, exc: BaseException) -> str:
    """Why a register cannot be used, and what to do: for a damaged SQLite file, restore the latest daily copy
    (named, when there is one)."""
    if db.read_only_reason:  # opened read-only for a reason of its own (a network share): that is the cause
        return db.read_only_reason
    message = plain_database_error(exc, db.describe())
    path = db.path
    if path is not None and ("damaged" in message or "not a bscp-desktop register" in message):
        copy = latest_daily_copy(path)
        if copy is not None:
            message += f". Restore the latest daily copy, {copy}, by copying it over the damaged file"
        else:
            message += ". Restore it from your latest backup copy"
    return message + "."

