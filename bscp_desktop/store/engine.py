"""Engines and sessions for SQLite (default) and PostgreSQL.

SQLite connections get ``foreign_keys=ON``, ``journal_mode=WAL`` and a ``busy_timeout``. The pragmas are
issued with the driver in autocommit (``isolation_level=None``) and SQLAlchemy emits ``BEGIN`` itself, so
that every transaction — DDL included — is real; write transactions begin ``IMMEDIATE`` to take the write
lock up front instead of failing half-way when two writers meet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bscp_desktop.store.paths import default_database

BUSY_TIMEOUT_MS = 15_000


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A database URL from ``--db``: a URL passes through; a path becomes ``sqlite:///ABSOLUTE``; None is the
    ``BSCP_DATABASE_URL`` variable or the default database in the user data folder."""
    if db is None:
        db = os.environ.get("BSCP_DATABASE_URL") or default_database()
    text = os.fspath(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database (or an in-memory one)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (server down or refusing, wrong password, connection lost) or stayed
    locked past the timeout. Nothing was saved; the same action can simply be tried again."""


_UNAVAILABLE = ("could not connect", "connection refused", "password authentication failed", "server closed",
                "terminating connection", "connection is closed", "could not translate host", "database is locked",
                "timeout expired", "no route to host", "the database system is")


def unavailable(exc: BaseException) -> bool:
    """True when a database error means the database could not be reached, rather than a fault in a query."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError | InterfaceError) and any(m in text for m in _UNAVAILABLE)


def insert_ignoring_conflict(s: Session, model: Any, values: dict[str, Any]) -> Any:
    """An INSERT that does nothing when the row's key already exists (PostgreSQL and SQLite alike)."""
    name = s.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).values(**values).on_conflict_do_nothing()


def reset_sequences(conn: Any, tables: list[Any]) -> None:
    """After rows were written with explicit ids, move PostgreSQL's id sequences past them (SQLite needs
    nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c and table.c.id.primary_key:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # driver autocommit: pragmas apply; BEGIN comes from _sqlite_begin
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("bscp_write") else "BEGIN")


class Database:
    """One database: an engine, read sessions and write transactions. Thread-safe; share one per process."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(bscp_write=True), expire_on_commit=False)

    @property
    def write_sessions(self) -> sessionmaker[Session]:
        """The factory of write sessions (services attach their flush hooks to it)."""
        return self._write

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return sqlite_path(self.url)

    def describe(self) -> str:
        """What to show a user: the file path, or the server URL without its password."""
        p = self.path
        return str(p) if p else make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; whatever it did is rolled back at the end. ``StoreUnavailable`` when the
        database cannot be reached."""
        try:
            with self._read() as s:
                yield s
                s.rollback()
        except DBAPIError as e:
            if unavailable(e):
                raise StoreUnavailable(self._unavailable_message(e)) from e
            raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back (nothing saved) on any error.
        ``StoreUnavailable`` when the database cannot be reached."""
        try:
            with self._write() as s, s.begin():
                yield s
        except DBAPIError as e:
            if unavailable(e):
                raise StoreUnavailable(self._unavailable_message(e)) from e
            raise

    def unavailable_message(self, e: BaseException) -> str:
        """What to tell the user when the database cannot be reached."""
        return self._unavailable_message(e)

    def _unavailable_message(self, e: BaseException) -> str:
        detail = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(getattr(e, "orig", e)).strip() else ""
        return (f"The database {self.describe()} cannot be reached or is busy ({detail}). Nothing was saved: "
                "check the connection and try again.")

    def dispose(self) -> None:
        """Close every pooled connection (before copying or replacing the file)."""
        self.engine.dispose()
