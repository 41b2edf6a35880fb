"""What every command shares: the argument parser that exits 2 with one line, argument types, opening a
register (asking a server's password at the terminal), one-line failures, and the key and file checks."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bscp_desktop import APP_NAME
from bscp_desktop.util.dates import parse_date

if TYPE_CHECKING:
    from bscp_desktop.services import Services


class UsageError(Exception):
    """Bad arguments: exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def date_arg(text: str) -> dt.date:
    """A date argument, within the years the working calendar covers with room for the clocks after it."""
    from bscp_desktop.domain.working_days import FIRST_YEAR, LAST_YEAR

    try:
        day = parse_date(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if not FIRST_YEAR < day.year < LAST_YEAR:
        raise argparse.ArgumentTypeError(f"'{text}' is outside the years this program's calendar covers "
                                         f"({FIRST_YEAR + 1}–{LAST_YEAR - 1})")
    return day


def count_arg(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must not be negative")
    return n


def fail(message: str) -> int:
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    return 1


def require_suffix(out: Path, suffix: str) -> None:
    if out.suffix.lower() != suffix:
        raise UsageError(f"--out {out} must be a {suffix} file")


def not_written(out: Path, e: OSError) -> int:
    print(f"{APP_NAME}: could not write {out}: {e.strerror or e}", file=sys.stderr)
    return 2


def check_usable(db: str | None) -> None:
    """``UsageError`` for a ``--db`` that cannot be a register at all (a folder, another kind of database)."""
    from bscp_desktop.store.engine import resolve_url, sqlite_path, unusable_address
    from bscp_desktop.store.keys import file_state

    url = resolve_url(db)
    problem = unusable_address(url)
    if problem is not None:
        raise UsageError(problem)
    path = sqlite_path(url)
    if path is not None and path.is_file() and file_state(path) == "other":
        raise UsageError(f"{path} is not a bscp-desktop register (not a database this program can read)")


def open_register(db: str | None, migrate: bool = True, must_exist: bool = True) -> Services:
    from bscp_desktop.services import Services
    from bscp_desktop.store.engine import resolve_url, sqlite_path
    from bscp_desktop.store.migrate import DatabaseTooNew

    check_usable(db)
    path = sqlite_path(resolve_url(db))
    if must_exist and path is not None and not path.exists():
        raise UsageError(f"{path} does not exist")

    from bscp_desktop.store.errors import PasswordNeeded, StoreUnavailable, with_password

    address: str | None = db
    asked = 0
    while True:  # a server that wants a password: asked for at the terminal (three tries), kept in memory only
        try:
            return Services.open(address, migrate=migrate)
        except DatabaseTooNew as e:
            raise UsageError(str(e)) from None
        except PasswordNeeded as e:
            if not sys.stdin.isatty() or asked == 3:
                raise SystemExit(fail(str(e))) from None
            if e.refused and asked:
                print("That password was refused.", file=sys.stderr)
            address = with_password(resolve_url(db), getpass.getpass(f"Password for {e.login} ({e.server}): "))
            asked += 1
        except StoreUnavailable as e:
            raise SystemExit(fail(str(e))) from None


def register_file(args: argparse.Namespace) -> Path:
    """The SQLite file ``--db`` names (it must exist); a server is refused in words."""
    from bscp_desktop.store.engine import resolve_url, sqlite_path

    check_usable(getattr(args, "db", None))
    url = resolve_url(getattr(args, "db", None))
    path = sqlite_path(url)
    if path is None:
        raise UsageError(f"{url.split('@')[-1]} is a server database: the server's own encryption applies to it")
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    return path


def administrator_only(path: Path, action: str) -> None:
    """Refuse (``PermissionDenied``, audited in the register) unless the user administers the register at
    ``path``: encrypting it, changing its key and writing a plain copy of it are administrators' tasks."""
    from bscp_desktop.domain.vocab import Role

    svc = open_register(str(path))
    try:
        svc.users.check(Role.ADMIN, action)
    finally:
        svc.close()


def typed_passphrase(variable: str, what: str) -> str:
    """A passphrase to choose: from ``variable`` when set, else typed twice at the terminal."""
    from bscp_desktop.store.keys import check_new_passphrase

    text = os.environ.get(variable)
    if text:
        return check_new_passphrase(text)
    if not sys.stdin.isatty():
        raise UsageError(f"{what}: give it in {variable}, or run the command in a terminal to type it")
    first = check_new_passphrase(getpass.getpass(f"{what}: "))
    if getpass.getpass("The same again: ") != first:
        raise UsageError("the two passphrases typed differ: nothing was changed")
    return first


def chosen_key(kind: str, variable: str, what: str) -> Any:
    from bscp_desktop.store.keys import RegisterKey, keyring_usable

    if kind == "passphrase":
        return RegisterKey.passphrase(typed_passphrase(variable, what))
    if not keyring_usable():
        raise UsageError("this PC has no credential store to keep the key in: use a passphrase instead")
    return RegisterKey.new_random()


def one_line(exc: BaseException, db: str | None) -> str:
    """An operation's failure as one plain line: the store's own words, a database error in words (never
    SQL or a web link), anything else with its details kept in the log file."""
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.services import ServiceError
    from bscp_desktop.store.errors import ReadOnlyStore, RegisterUnusable, StoreUnavailable, plain_database_error
    from bscp_desktop.util.machine_config import MachineConfigError

    if isinstance(exc, RegisterUnusable | ReadOnlyStore | StoreUnavailable | ServiceError | MachineConfigError):
        return str(exc).splitlines()[0]
    if isinstance(exc, DBAPIError | sqlite3.DatabaseError):
        where = str(db) if db else "the register"
        return plain_database_error(exc, where)
    from bscp_desktop.util.log_file import log, setup_logging

    path = setup_logging()
    log.error("Command failed", exc_info=exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"unexpected error ({exc.__class__.__name__}{': ' + first if first else ''}); details are in {path}"
