"""What can go wrong with a register, as the program tells it: the typed errors of the store (unreachable, a
password needed, read-only, a value refused, unusable) and the functions that read a driver's error and say it
in words a user can act on (never SQL, driver names or web links)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (server down or refusing, wrong password, connection lost) or stayed
    locked past the timeout. Nothing was saved; the same action can simply be tried again."""


class PasswordNeeded(StoreUnavailable):
    """A PostgreSQL server asked for a password the address did not give, or refused the one it gave. The
    program asks the person for it (``with_password``) and keeps it in memory only, never in a file.
    ``login``: whose password; ``refused``: a password was given and was wrong."""

    def __init__(self, server: str, login: str, refused: bool) -> None:
        self.server, self.login, self.refused = server, login, refused
        why = (f"The server refused the password for {login}" if refused
               else f"The server needs the password of {login}")
        super().__init__(f"{why} ({server}). Type it when asked; it is never saved. Without a terminal, set "
                         "the PGPASSWORD environment variable for the command.")


def password_refused(exc: BaseException) -> bool:
    """True when a PostgreSQL connection failed for want of the right password."""
    text = str(exc).lower()
    return "no password supplied" in text or "password authentication failed" in text


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` in it (in memory: the address kept in settings never holds one)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


class ReadOnlyStore(RuntimeError):
    """A write was asked of a register opened read-only (a read-only file, folder or medium). Nothing was
    written."""


class ValueRefused(ValueError):
    """The database refused a value as out of its range (a number too large for its column, on PostgreSQL).
    Nothing was saved. The forms cannot produce such values; a file or a caller can."""


class RegisterUnusable(RuntimeError):
    """The register cannot be used: damaged, not a register, unreadable. The message says so in plain words and
    what to do; it never carries the driver's text alone."""


def read_only_file(path: Path) -> bool:
    """True when ``path`` exists and cannot be written: a read-only file, a read-only folder (SQLite needs to
    write beside the file) or a read-only medium."""
    return path.exists() and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK))


def plain_database_error(exc: BaseException, where: str) -> str:
    """A database error in words a user can act on, without SQL, driver names or web links; ``where`` names the
    register (its path or server)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else exc.__class__.__name__
    low = text.lower()
    if "file is not a database" in low or "not a database" in low:
        return f"{where} is not a bscp-desktop register: it is not a database this program can read"
    if "malformed" in low or "disk image" in low or "corrupt" in low:
        return f"{where} is damaged: parts of the file cannot be read"
    if "unable to open database file" in low:
        return f"{where} cannot be opened: check that it exists and that you may read it"
    if "readonly" in low or "read-only" in low:
        return f"{where} is read-only: nothing can be written to it"
    if "locked" in low or "busy" in low:
        return (f"{where} is locked by another program or a colleague's long change: try again in a minute "
                "(if it stays locked, close other programs using it)")
    return f"{where} could not be used: {text}"


_STORE_FAULTS = ("not a database", "malformed", "disk image", "corrupt", "unable to open database file", "readonly",
                 "read-only", "locked", "disk i/o error", "database or disk is full")


def store_fault(exc: BaseException) -> bool:
    """True when a database error is about the file or server itself (damaged, unreadable, locked, full),
    rather than a fault in a query: such errors are told in words, not as an unexpected error."""
    orig = getattr(exc, "orig", None) or exc
    return any(m in str(orig).lower() for m in _STORE_FAULTS)


_UNAVAILABLE = ("could not connect", "connection refused", "password authentication failed", "server closed",
                "terminating connection", "connection is closed", "could not translate host", "database is locked",
                "timeout expired", "no route to host", "the database system is")


def unavailable(exc: BaseException) -> bool:
    """True when a database error means the database could not be reached, rather than a fault in a query."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError | InterfaceError) and any(m in text for m in _UNAVAILABLE)
