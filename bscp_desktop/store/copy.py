"""``bscp-desktop copy``: move a unit's data, documents included, from one database to another (typically its
local SQLite file to a PostgreSQL server) in one transaction on the target, verified table by table and row
by row, and every document's bytes against its SHA-256, before it commits. All or nothing: any failure or
mismatch rolls the target back to exactly what it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text

from bscp_desktop.models import Base
from bscp_desktop.store.copies import REGISTER_ID, new_register_id, register_id
from bscp_desktop.store.engine import Database, reset_sequences
from bscp_desktop.store.migrate import newest_revision_file, stored_revision, upgrade

Progress = Callable[[float, str], None]
BATCH = 2000


class CopyRefused(RuntimeError):
    """The copy cannot start (source not current, target not empty) or did not verify; nothing was written."""


@dataclass
class CopyReport:
    """Rows copied per table, and the documents whose bytes were checked."""

    rows: dict[str, int] = field(default_factory=dict)
    documents_checked: int = 0
    # Into PostgreSQL: what setting up the server's roles did, or why it could not (then server-setup is needed),
    # and the users the source register had, who need server logins of their own.
    server_roles: list[str] = field(default_factory=list)
    server_roles_problem: str = ""
    users: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """All rows copied."""
        return sum(self.rows.values())


def _ordered(table: Any) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _rows_of(table: Any) -> Any:
    """A count of the rows a new register's ``table`` should not hold (its own id in the settings aside)."""
    query = select(func.count()).select_from(table)
    return query.where(table.c.key != REGISTER_ID) if table.name == "settings" else query


def copy_database(source: Database, target: Database, progress: Progress | None = None) -> CopyReport:
    """Copy every table from ``source`` to ``target`` (created or upgraded to the current schema first, and
    required to hold no data), verify, and commit; ``CopyRefused`` or the original error otherwise."""
    say = progress or (lambda _f, _m: None)
    if stored_revision(source) != newest_revision_file():
        raise CopyRefused(f"{source.describe()} is not at the current schema: open it with this version of "
                          "bscp-desktop once (it upgrades it, after a backup), then copy it")
    upgrade(target)
    tables = [t for t in Base.metadata.sorted_tables]
    own_id = register_id(target)  # the copy is a register of its own: it keeps the id its creation gave it
    with target.engine.connect() as probe:
        filled = [t.name for t in tables if probe.execute(_rows_of(t)).scalar_one()]
        probe.rollback()
    if filled:
        raise CopyRefused(f"{target.describe()} already holds data (in {', '.join(filled[:4])}"
                          f"{'…' if len(filled) > 4 else ''}): copy only into a new, empty database")
    report = CopyReport()
    with source.engine.connect() as src, target.engine.connect() as dst:
        with dst.begin():
            dst.execute(text("DELETE FROM settings WHERE key = :k"), {"k": REGISTER_ID})  # the source's comes over
            for i, table in enumerate(tables):
                say(0.05 + 0.6 * i / len(tables), f"Copying {table.name}")
                batch: list[dict[str, Any]] = []
                n = 0
                for row in src.execution_options(yield_per=BATCH).execute(_ordered(table)).mappings():
                    batch.append(dict(row))
                    if len(batch) >= BATCH:
                        dst.execute(table.insert(), batch)
                        n += len(batch)
                        batch = []
                if batch:
                    dst.execute(table.insert(), batch)
                    n += len(batch)
                report.rows[table.name] = n
            reset_sequences(dst, tables)
            for i, table in enumerate(tables):
                say(0.65 + 0.3 * i / len(tables), f"Checking {table.name}")
                _verify_table(src, dst, table)
            report.documents_checked = _verify_documents(dst)
            dst.execute(text("UPDATE settings SET value = :v WHERE key = :k"),
                        {"v": own_id or new_register_id(), "k": REGISTER_ID})
            say(0.98, "Committing")
        src.rollback()
    if target.engine.dialect.name == "postgresql":
        _set_up_roles(target, report)
    say(1.0, f"Copied {report.total:,} rows")
    return report


def _set_up_roles(target: Database, report: CopyReport) -> None:
    """A copy into a server ends with the server's roles set up (its own transaction: a copier without the
    right to create roles still has the copy, and is told to run server-setup as the owner)."""
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.store.server_roles import setup_server_roles

    users = Base.metadata.tables["register_users"]
    try:
        with target.engine.begin() as conn:
            report.users = [(u, r) for u, r in conn.execute(select(users.c.login, users.c.role).order_by(users.c.login))]
            report.server_roles = setup_server_roles(conn)
    except DBAPIError as e:
        report.server_roles_problem = str(getattr(e, "orig", e)).strip().splitlines()[0]


def _verify_table(src: Any, dst: Any, table: Any) -> None:
    """Every row of ``table`` in the target equals the source's, in primary-key order."""
    a = src.execute(_ordered(table))
    b = dst.execute(_ordered(table))
    for n, (left, right) in enumerate(zip(a, b, strict=False), start=1):
        if _normal(left) != _normal(right):
            raise CopyRefused(f"{table.name}: row {n} differs after copying ({dict(left._mapping)!r}); "
                              "nothing was written")
    if a.fetchone() is not None or b.fetchone() is not None:
        raise CopyRefused(f"{table.name}: the number of rows differs after copying; nothing was written")


def _normal(row: Any) -> tuple[Any, ...]:
    # Databases may hand back the same value as another type (memoryview for bytes; float for a share).
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _verify_documents(dst: Any) -> int:
    """Every stored document's bytes in the target match its recorded SHA-256."""
    documents = Base.metadata.tables["documents"]
    contents = Base.metadata.tables["document_contents"]
    checked = 0
    for doc_id, sha, data in dst.execute(select(documents.c.id, documents.c.sha256, contents.c.data)
                                         .join(contents, contents.c.document_id == documents.c.id)):
        if hashlib.sha256(bytes(data)).hexdigest() != sha:
            raise CopyRefused(f"document {doc_id} does not match its SHA-256 after copying; nothing was written")
        checked += 1
    return checked
