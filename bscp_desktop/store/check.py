"""``bscp-desktop check``: migration state and integrity of a database, without changing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from bscp_desktop.schema import incidents, reviews
from bscp_desktop.store.audit_chain import verify_chain
from bscp_desktop.store.engine import Database, resolve_url, sqlite_path
from bscp_desktop.store.migrate import current_revision as _current
from bscp_desktop.store.migrate import head_revision, known_revisions
from bscp_desktop.util.paths import readable_by_others


@dataclass
class CheckReport:
    """Lines to print and whether everything was in order."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def bad(self, line: str) -> None:
        """Record a problem."""
        self.lines.append(line)
        self.ok = False


def encryption_state(db: Database) -> str:
    """Whether the register is encrypted at rest, and how it opens, in words."""
    if not db.is_sqlite:
        return "a server database: the server's own disk encryption applies"
    if db.key is not None:
        with db.engine.connect() as conn:
            version = conn.exec_driver_sql("PRAGMA cipher_version").scalar() or "SQLCipher"
            conn.rollback()
        return f"encrypted (SQLCipher {str(version).split()[0]}); {db.key.described}"
    return "not encrypted: anyone with the file can read it (bscp-desktop encrypt --db FILE encrypts it)"


def file_access(db: Database, path: Path) -> str:
    """Whether the register file, its WAL and the program's copies of it are private to their owner (POSIX), as
    a line for ``check``: a warning naming those other accounts can read."""
    from bscp_desktop.store.copies import copies_of_database

    files = (path, Path(f"{path}-wal"), *(c.path for c in copies_of_database(db)))
    exposed = [p for p in files if p.exists() and readable_by_others(p)]
    if not exposed:
        return "file access: private to their owner (the register and the program's copies of it)"
    names = ", ".join(str(p) for p in exposed[:3]) + (f" and {len(exposed) - 3} more" if len(exposed) > 3 else "")
    return (f"file access: WARNING: other accounts on this computer can read {names}; make them private "
            "(chmod 600) or move them to a folder only you can open")


def copies_on_another_key_lines(db: Database, path: Path) -> list[str]:
    """A warning for each of an encrypted register's copies that its key does not open."""
    if db.key is None:
        return []
    from bscp_desktop.store.encryption import copies_on_another_key

    return [f"copy: WARNING: {copy} does not open with the register's key (plain, or made under an earlier key); "
            "bscp-desktop rekey re-keys or removes it" for copy in copies_on_another_key(path, db.key)]


def _check_sqlite(conn: Connection, report: CheckReport) -> None:
    """SQLite's own integrity and foreign-key checks."""
    integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if integrity == ["ok"]:
        report.lines.append("integrity: ok")
    else:
        report.bad(f"integrity: {'; '.join(integrity[:5])}")
    fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if fk:
        report.bad(f"foreign keys: {len(fk)} rows point at missing rows (first in table {fk[0][0]})")
    else:
        report.lines.append("foreign keys: ok")


def _check_audit_chain(conn: Connection, report: CheckReport) -> None:
    """Verify the audit log's hash chain: its entries and head hash (for a board to minute), or the first break."""
    chain = verify_chain(conn)
    if chain.ok:
        report.lines.append(f"audit log: {chain.entries:,} entries, chain intact; head {chain.head}")
    else:
        to = f"verified to entry {chain.verified_to}" if chain.verified_to else "no entry verified"
        report.bad(f"audit log: {chain.problem} ({to}; {chain.entries:,} entries)")


def check_database(db_arg: str | None) -> CheckReport:
    """Check the schema revision, SQLite's integrity and foreign keys, and count the main tables."""
    report = CheckReport()
    url = resolve_url(db_arg)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        report.bad(f"database: {path} does not exist")
        return report
    if path is not None:
        from bscp_desktop.store.keys import file_state

        if file_state(path) == "other":
            report.bad(f"database: {path} is not a bscp-desktop register (not a database this program can read)")
            return report
    db = Database(url)
    try:
        report.lines.append(f"database: {db.describe()}")
        report.lines.append(f"encryption: {encryption_state(db)}")
        if path is not None:
            report.lines.append(file_access(db, path))
            report.lines += copies_on_another_key_lines(db, path)
        current = _current(db)
        head = head_revision()
        if current is None:
            report.bad("schema: empty (no bscp-desktop tables): open it with the app to create them")
            return report
        if current not in known_revisions():
            report.bad(f"schema: {current} is newer than this program ({head}): install the newer version")
            return report
        if current != head:
            report.bad(f"schema: {current}, behind {head}: opening it with the app upgrades it (after a backup)")
        else:
            report.lines.append(f"schema: {current} (up to date)")
        with db.engine.connect() as conn:
            if db.is_sqlite:
                _check_sqlite(conn, report)
            tables = set(inspect(conn).get_table_names())
            for label, table in (("incidents", incidents), ("reviews", reviews)):
                if table.name in tables:
                    n = conn.execute(select(func.count()).select_from(table)).scalar_one()
                    report.lines.append(f"{label}: {n:,}")
            if current == head:
                _check_audit_chain(conn, report)
    except SQLAlchemyError as e:
        report.bad(f"database: cannot be read ({e.__class__.__name__}: {e.orig if hasattr(e, 'orig') else e!s})")
    finally:
        db.dispose()
    return report
