"""Engines and sessions for SQLite (default) and PostgreSQL.

SQLite connections get ``foreign_keys=ON``, ``journal_mode=WAL`` and a ``busy_timeout``. The pragmas are
issued with the driver in autocommit (``isolation_level=None``) and SQLAlchemy emits ``BEGIN`` itself, so
that every transaction — DDL included — is real; write transactions begin ``IMMEDIATE`` to take the write
lock up front instead of failing half-way when two writers meet.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from bscp_desktop.store import network
from bscp_desktop.store.errors import ReadOnlyStore, StoreUnavailable, ValueRefused, read_only_file, unavailable
from bscp_desktop.store.keys import (
    KeyNeeded,
    RegisterKey,
    WrongKey,
    connect_encrypted,
    connection_key,
    create_encrypted,
    file_state,
    find_key,
    key_needed_message,
    sqlcipher_module,
    wrong_key_message,
)
from bscp_desktop.util.machine_config import Resolved, resolve
from bscp_desktop.util.paths import default_database
from bscp_desktop.util.text import clean_text, needs_cleaning

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 15_000
OPEN_TIMEOUT_S = 5.0  # how long opening waits for a register another program holds locked


def database_setting(db: str | os.PathLike[str] | None = None) -> Resolved:
    """The register to open and where that came from: ``--db``, or (``util.machine_config`` has the order) the
    address IT set for this PC, ``BSCP_DATABASE_URL``, or the default database in the data folder."""
    return resolve("register.database_url", default_database(), command_line=db, env_var="BSCP_DATABASE_URL")


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A database URL from ``--db``: a URL passes through; a path becomes ``sqlite:///ABSOLUTE``; None is the
    register ``database_setting`` gives."""
    text = os.fspath(database_setting(db).value)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def unusable_address(url: str) -> str | None:
    """Why ``url`` (from ``resolve_url``) cannot be a register, in one line, or None when it can be tried: only
    a SQLite file that is not a folder, or a PostgreSQL server."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception:  # noqa: BLE001 - SQLAlchemy's parse errors have no common type; the words are ours
        return f"'{url}' is not a database address: give a register file's path or a postgresql:// address"
    if backend not in ("sqlite", "postgresql"):
        return (f"{backend}:// is not a database this program can use: give a register file's path or a "
                "postgresql:// server address")
    path = sqlite_path(url)
    if path is not None and path.is_dir():
        return f"{path} is a folder: give the path of the register file in it"
    return None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database (or an in-memory one)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


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
    cur.execute("PRAGMA secure_delete=ON")  # what a disposal removes is overwritten, not left in free pages
    cur.execute(f"PRAGMA busy_timeout={int(OPEN_TIMEOUT_S * 1000)}")  # a register held locked: say so soon
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _clean_parameters(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                      executemany: bool) -> tuple[str, Any]:
    """Every text bound into a statement, cleaned of lone surrogates and NUL characters (``clean_text``): the one
    place text enters the database, so no service fails with ``UnicodeEncodeError`` on text pasted from a broken
    source, nor PostgreSQL on a NUL."""
    def clean(params: Any) -> Any:  # only text that may need it (not plain ASCII, or holding NUL) is cleaned
        if isinstance(params, dict):
            if any(isinstance(v, str) and needs_cleaning(v) for v in params.values()):
                return {k: clean_text(v) if isinstance(v, str) else v for k, v in params.items()}
            return params
        if isinstance(params, list | tuple):
            if any(isinstance(v, str) and needs_cleaning(v) for v in params):
                return type(params)(clean_text(v) if isinstance(v, str) else v for v in params)
        return params
    if executemany and isinstance(parameters, list):
        return statement, [clean(p) for p in parameters]
    return statement, clean(parameters)


ENCRYPTED_CACHE_KIB = 65_536


def _encrypted_cache(dbapi_connection: Any, _record: Any) -> None:
    """A larger page cache for an encrypted register: SQLCipher decrypts every page it reads from the file, so
    pages kept decrypted in memory (up to 64 MiB a connection, taken only as pages are read) spare the work that
    the operating system's file cache spares a plain register."""
    dbapi_connection.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")


def _mark_program_transaction(conn: Any) -> None:
    """Every transaction the program opens on a server says so, for the server's direct-write triggers."""
    conn.exec_driver_sql("SELECT set_config('bscp.program', 'yes', true)")


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("bscp_write") else "BEGIN")


def _read_only_connector(path: Path, key: RegisterKey | None) -> Any:
    """A connection factory for a read-only SQLite file: ``mode=ro`` when SQLite may write its shared-memory
    file beside it, ``immutable=1`` when the folder or medium is read-only too (a copy on a CD or a share)."""
    flag = "mode=ro" if os.access(path.parent, os.W_OK) and os.access(path, os.R_OK) else "immutable=1"
    uri = f"file:{quote(str(path))}?{flag}"

    def connect() -> Any:
        if key is not None:
            return connect_encrypted(uri, key, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    return connect


def _engine_url(url: str, path: Path | None, key: RegisterKey | None) -> str | URL:
    """The URL the engine is made with: SQLCipher's dialect, with the key as its password, for an encrypted
    file (the ``url`` kept and shown stays the plain one, with no key in it)."""
    if path is None or key is None:
        return url
    return URL.create("sqlite+pysqlcipher", password=key.pragma, database=str(path))


def _sqlite_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA query_only=ON")


class Database:
    """One database: an engine, Core connections for reading plain columns (``reading``), and ORM read sessions and
    write transactions (``read``, ``write``: the ORM loads with the first of them). Thread-safe; share one per
    process.

    A SQLite file that cannot be written (``read_only_file``) is opened read-only: reads, reports and exports
    work, and ``write`` raises ``ReadOnlyStore`` before touching anything.

    An encrypted SQLite file (SQLCipher) is opened with ``key``, or else the key ``keys.find_key`` finds (the
    credential store's, or ``BSCP_DB_PASSPHRASE``): ``KeyNeeded`` when there is none, ``WrongKey`` when it does
    not open the file. A new file given a ``key`` is created encrypted."""

    def __init__(self, url: str, echo: bool = False, read_only: bool | None = None,
                 key: RegisterKey | None = None) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        path = sqlite_path(url)
        self.key = self._key_for(path, key)
        self.read_only = bool(read_only if read_only is not None else path is not None and read_only_file(path))
        # Why writes are refused, beyond a read-only file: a register on a network share is opened read-only.
        self.read_only_reason: str | None = None
        if path is not None and not self.read_only and (kind := network.network_filesystem(path)) is not None:
            self.read_only, self.read_only_reason = True, network.network_message(path, kind)
        # Connections open with a passphrase's key derived once (``connection_key``); copies (backups) still get
        # ``self.key`` itself, since a copy has a salt of its own.
        opening = connection_key(path, self.key) if self.key is not None and path is not None else None
        kwargs: dict[str, Any] = {"echo": echo}
        engine_url = _engine_url(url, path, opening)
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
            if opening is not None:
                sqlcipher_module()
                kwargs["poolclass"] = QueuePool  # the dialect's default keeps one connection per thread
            if self.read_only and path is not None:
                kwargs = {"echo": echo, "creator": _read_only_connector(path, opening), "poolclass": QueuePool}
                engine_url = URL.create("sqlite+pysqlcipher", password=opening.pragma) if opening else "sqlite://"
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(engine_url, **kwargs)
        if not self.is_sqlite:  # the server tells the program's writes from others' (store.server_audit)
            event.listen(self.engine, "begin", _mark_program_transaction)
        event.listen(self.engine, "before_cursor_execute", _clean_parameters, retval=True)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect_read_only if self.read_only else _sqlite_connect)
            if self.key is not None:
                event.listen(self.engine, "connect", _encrypted_cache)
            event.listen(self.engine, "begin", _sqlite_begin)
        # The ORM's session factories are made when a session is first asked for: a command that only reads
        # plain columns (``reading``) never loads the ORM. ``write_hooks`` are attached to the write factory.
        self._sessions_lock = threading.Lock()
        self._read: sessionmaker[Session] | None = None
        self._write: sessionmaker[Session] | None = None
        self.write_hooks: list[tuple[str, Callable[..., None]]] = []
        # Who is holding the write lock, in words ("Sam Jones is importing 100,000 incidents since 14:03"), or
        # "": the services set it to read the long writes in progress (``Manager.long_write``).
        self.busy_note: Callable[[], str] = lambda: ""
        if self.key is not None and path is not None:
            self._check_key(path, self.key)

    @staticmethod
    def _key_for(path: Path | None, key: RegisterKey | None) -> RegisterKey | None:
        """The key to open ``path`` with: None for a plain file or a server; a new file given a key is created
        encrypted with it; an encrypted file needs a key (``KeyNeeded``)."""
        if path is None:
            return None
        state = file_state(path)
        if state == "encrypted":
            found = key or find_key(path)
            if found is None:
                raise KeyNeeded(key_needed_message(path))
            return found
        if state in ("missing", "empty") and key is not None:
            if state == "empty":
                path.unlink()
            create_encrypted(path, key)
            return key
        return None

    def _check_key(self, path: Path, key: RegisterKey) -> None:
        """Read the file's first page with the key: ``WrongKey`` when it does not open it."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                conn.rollback()
        except DBAPIError as e:
            self.engine.dispose()
            if "not a database" in str(e.orig).lower():
                raise WrongKey(wrong_key_message(path, key)) from None
            raise

    @property
    def encrypted(self) -> bool:
        """True for an encrypted (SQLCipher) register."""
        return self.key is not None

    def add_write_hook(self, name: str, hook: Callable[..., None]) -> None:
        """Call ``hook`` on the session event ``name`` ("before_flush", …) of every write session: the services'
        flush hooks. Attached when the write sessions' factory is made (now, if it already is)."""
        with self._sessions_lock:
            self.write_hooks.append((name, hook))
            if self._write is not None:
                event.listen(self._write, name, hook)

    def _factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """The read and write session factories, made (and the ORM loaded) the first time they are needed."""
        with self._sessions_lock:
            if self._read is None or self._write is None:
                from sqlalchemy.orm import sessionmaker

                self._read = sessionmaker(self.engine, expire_on_commit=False)
                self._write = sessionmaker(self.engine.execution_options(bscp_write=True), expire_on_commit=False)
                for name, hook in self.write_hooks:
                    event.listen(self._write, name, hook)
            return self._read, self._write

    @property
    def write_sessions(self) -> sessionmaker[Session]:
        """The factory of write sessions."""
        return self._factories()[1]

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
        read, _write = self._factories()
        try:
            with read() as s:
                yield s
                s.rollback()
        except DBAPIError as e:
            self._raise_typed(e)
            raise

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reading plain columns with SQLAlchemy Core (``bscp_desktop.schema``'s tables), in one
        transaction rolled back at the end: what hot read paths use, without the ORM. ``StoreUnavailable`` when the
        database cannot be reached."""
        try:
            with self.engine.connect() as conn:
                yield conn
                conn.rollback()
        except DBAPIError as e:
            self._raise_typed(e)
            raise

    def refuse_if_read_only(self) -> None:
        """``ReadOnlyStore`` when the register is open read-only (checked before anything else of a write)."""
        if self.read_only:
            raise ReadOnlyStore(self.read_only_reason or (
                f"{self.describe()} is open read-only: nothing can be changed in it. To work in it, copy it to a "
                "folder you can write to and open the copy."))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back (nothing saved) on any error.
        ``StoreUnavailable`` when the database cannot be reached; ``ReadOnlyStore`` on a read-only register."""
        self.refuse_if_read_only()
        _read, write = self._factories()
        try:
            with write() as s, s.begin():
                yield s
        except DBAPIError as e:
            self._raise_typed(e)
            raise

    def _raise_typed(self, e: DBAPIError) -> None:
        """Raise the typed error a database error means, if it has one: ``StoreUnavailable``, ``ValueRefused``."""
        if unavailable(e):
            raise StoreUnavailable(self._unavailable_message(e)) from e
        if str(getattr(e.orig, "sqlstate", "") or "").startswith("22"):  # SQL's class 22: data exception
            detail = str(e.orig).strip().splitlines()[0] if str(e.orig).strip() else "a value is out of range"
            raise ValueRefused(f"The database refused a value ({detail}). Nothing was saved: check the numbers "
                               "and text given.") from e

    def unavailable_message(self, e: BaseException) -> str:
        """What to tell the user when the database cannot be reached."""
        return self._unavailable_message(e)

    def _unavailable_message(self, e: BaseException) -> str:
        detail = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(getattr(e, "orig", e)).strip() else ""
        if "locked" in detail.lower() or "busy" in detail.lower():
            try:
                running = self.busy_note()
            except Exception:  # noqa: BLE001 - the note only adds to the message; without it the message stands
                running = ""
            held = f"{running} and holds" if running else "Another program or a colleague's long change holds"
            return (f"{held} the database {self.describe()}. Nothing was saved: try again in a minute, when it "
                    "has finished.")
        return (f"The database {self.describe()} cannot be reached or is busy ({detail}). Nothing was saved: "
                "check the connection and try again.")

    def dispose(self) -> None:
        """Close every pooled connection (before copying or replacing the file)."""
        self.engine.dispose()
