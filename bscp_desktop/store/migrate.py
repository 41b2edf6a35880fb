"""Schema migrations at start-up: Alembic revisions shipped inside the package.

``upgrade`` runs before any window opens. It copies a SQLite file aside before changing it, refuses a database
written by a newer program, and on SQLite switches foreign keys off *before* the migration's transaction
(batch "recreate" would otherwise cascade deletes silently) and runs ``PRAGMA foreign_key_check`` after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from bscp_desktop.store.backup import backup_sqlite
from bscp_desktop.store.copies import new_register_id, note_location, pre_upgrade_copy_path, register_id
from bscp_desktop.store.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer version of the program than this one."""


class MigrationFailed(RuntimeError):
    """A migration left the database inconsistent; it was rolled back where the database allows."""


@dataclass(frozen=True)
class MigrationResult:
    """What ``upgrade`` did: the revisions before and after, and the backup it made (if any)."""

    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        """True when the schema was created or upgraded."""
        return self.before != self.after


def newest_revision_file() -> str:
    """The newest revision, read from the file names alone (``0003_next_due.py`` → ``0003``).

    Revisions are numbered in order and each file starts with its id (a test checks both against Alembic), so
    a start-up whose database is already current never needs to import Alembic.
    """
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def stored_revision(db: Database) -> str | None:
    """The revision recorded in the database, read with plain SQL (None for an empty database)."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.rollback()
        return value


def alembic_config() -> Config:
    """An Alembic configuration pointing at the revisions inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision this program knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this program knows."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_too_new(db: Database) -> str | None:
    """The current revision; ``DatabaseTooNew`` when it is one this program does not know."""
    current = current_revision(db)
    if current is not None and current not in known_revisions():
        raise DatabaseTooNew(
            f"The database {db.describe()} was written by a newer version of bscp-desktop (schema {current}); "
            f"this version knows schema {head_revision()} at most. Install the newer version to open it."
        )
    return current


def upgrade(db: Database, target: str = "head") -> MigrationResult:
    """Bring the database to ``target`` (normally the newest revision), backing up a SQLite file first."""
    if target == "head":
        stored = stored_revision(db)
        if stored is not None and stored == newest_revision_file():
            return MigrationResult(stored, stored, None)  # the usual start-up: nothing to do, no Alembic import
    from alembic import command

    before = check_not_too_new(db)
    wanted = head_revision() if target == "head" else target
    if before == wanted:
        return MigrationResult(before, wanted, None)
    backup: Path | None = None
    path = db.path
    register = register_id(db) or new_register_id()  # chosen first, so the copy below is filed under it
    if path is not None and path.exists() and path.stat().st_size > 0 and _has_tables(db):
        backup = backup_sqlite(db, pre_upgrade_copy_path(register, path, wanted, dt.datetime.now()))
        note_location(register, path)
    cfg = alembic_config()
    cfg.attributes["register_id"] = register  # migration 0011 gives a register without one this id
    cfg.attributes["user"] = _upgrader(db)  # who an upgrade's own audit entry names (0013)
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            if db.is_sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                conn.rollback()
                if problems:
                    raise MigrationFailed(
                        f"After migrating to {wanted}, {len(problems)} rows break foreign keys "
                        f"(first: table {problems[0][0]}). The copy made before is {backup}."
                    )
        finally:
            if db.is_sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return MigrationResult(before, wanted, backup)


def _upgrader(db: Database) -> str:
    """Who is upgrading: the server login on PostgreSQL, the operating-system account on SQLite."""
    if not db.is_sqlite:
        with db.engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar_one())
    from bscp_desktop.util import os_identity

    try:
        return os_identity.current_login()
    except OSError:
        return "unknown"


def _has_tables(db: Database) -> bool:
    return bool(inspect(db.engine).get_table_names())
