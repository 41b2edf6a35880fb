"""The command line (README: "Command line"). It imports no Qt unless it opens a window.

Bad arguments exit with status 2 and one clear line on stderr, never a traceback; an operation that fails
(a database that cannot be opened, a file that cannot be written) exits 1 with one line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import getpass
import io
import os
import sqlite3
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bscp_desktop import APP_NAME, __version__
from bscp_desktop.domain.rules import RULES
from bscp_desktop.store.keys import EncryptionKeyProblem, PassphraseRefused
from bscp_desktop.util.dates import parse_date
from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    from bscp_desktop.services import Services


class UsageError(Exception):
    """Bad arguments: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _date(text: str) -> dt.date:
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


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must not be negative")
    return n


MAX_DEMO_INCIDENTS = 200_000  # twice the largest register measured; a bigger demo only fills the disk


def _demo_size(text: str) -> int:
    n = _positive(text)
    if n > MAX_DEMO_INCIDENTS:
        raise argparse.ArgumentTypeError(f"'{text}' is more than the {MAX_DEMO_INCIDENTS:,} a demo can hold")
    return n


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: the GUI options at the top level, one sub-command per task."""
    p = _Parser(prog=APP_NAME, description="Serious incident register, statutory clocks and publication catalogue.")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    p.add_argument("--db", help="database file or URL (default: the user data folder, or BSCP_DATABASE_URL)")
    p.add_argument("--self-test", action="store_true", help="open the main window, visit every page, exit 0 or 1")
    p.add_argument("--screenshots", type=Path, metavar="DIR", help="with --self-test: save one PNG per page")
    p.add_argument("--size", metavar="WxH", help="with --self-test: the window size (default 1366x768)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo database (demo.db in the user data folder, built on first run), kept apart "
                        "from your own register")
    p.add_argument("--demo-on-first-run", action="store_true",
                   help="when the database does not exist yet, create it as a demo database")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_case_commands(sub)
    _add_output_commands(sub)
    _add_data_commands(sub)
    from bscp_desktop.cli.access import add_access_commands

    add_access_commands(sub, _date, _Parser)
    from bscp_desktop.cli.export import add_export_command

    add_export_command(sub)
    return p


def _add_case_commands(sub: Any) -> None:
    """``demo`` and ``due``: build a demo register, work out a due date."""

    d = sub.add_parser("demo", help="build a demo database: the public catalogue plus fictional cases")
    d.add_argument("--db", required=True, default=argparse.SUPPRESS, help="the new database file")
    d.add_argument("--incidents", type=_demo_size, default=300, help=f"how many (at most {MAX_DEMO_INCIDENTS:,})")
    d.add_argument("--seed", type=_positive, default=1)
    d.add_argument("--as-of", type=_date, help="the date the demo is built as of (default today)")
    d.add_argument("--replace", action="store_true", help="replace the file if it exists")

    u = sub.add_parser("due", help="print the due date of a rule from a start date")
    u.add_argument("rule", help=f"one of: {', '.join(RULES)}")
    u.add_argument("date", type=_date, help="the start date (YYYY-MM-DD or DD/MM/YYYY)")
    u.add_argument("--db", default=argparse.SUPPRESS, help="use this database's closure days and rule amounts")


def _add_output_commands(sub: Any) -> None:
    """``report`` and ``calendar``: the PDF reports and the .ics file of open deadlines."""
    r = sub.add_parser("report", help="write a report (PDF; the annual, learning and Rapid Review reports also Word)")
    r.add_argument("kind", help="one of: deadlines, status, catalogue, requests, learning, annual, case, retention, "
                                "rapid-review, notification")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("--out", required=True, type=Path,
                   help="the file to write: .pdf, or .docx for the annual, learning and rapid-review reports")
    r.add_argument("--as-of", type=_date, help="the date clocks are shown as of (default today)")
    r.add_argument("--from", dest="start", type=_date, help="start of the period (default: 1 April of the year)")
    r.add_argument("--to", dest="end", type=_date, help="end of the period (default: the as-of date)")
    r.add_argument("--case", default="", help="for the case, rapid-review and notification reports: the case's "
                                              "reference")

    k = sub.add_parser("calendar", help="write the open deadlines as a calendar file (.ics) for Outlook and others")
    k.add_argument("--db", default=argparse.SUPPRESS)
    k.add_argument("--out", required=True, type=Path, help="the .ics file to write")
    k.add_argument("--as-of", type=_date, help="the date the deadlines are described as of (default today)")


def _add_data_commands(sub: Any) -> None:
    """``import``, ``template``, ``copy``, ``check`` and ``backup``: data in and out, and the register's health."""
    im = sub.add_parser("import", help="import incidents, a review's action plan or a catalogue from a spreadsheet")
    im.add_argument("file", type=Path, help="the spreadsheet (.xlsx or .csv): its first row names the columns")
    im.add_argument("--db", default=argparse.SUPPRESS)
    what = im.add_mutually_exclusive_group()
    what.add_argument("--action-plan", metavar="REVIEW", help="import the file as the action plan of this review")
    what.add_argument("--catalogue", action="store_true", help="import the file as published reviews")
    im.add_argument("--check", action="store_true", help="check the file and report; import nothing")

    t = sub.add_parser("template", help="write a blank spreadsheet for an import, with an example row")
    t.add_argument("kind", help="one of: incidents, action-plan, catalogue")
    t.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")

    cp = sub.add_parser("copy", help="copy all data, documents included, into a new database (such as a server)")
    cp.add_argument("--from", dest="source", required=True, help="the database to copy (a SQLite file or URL)")
    cp.add_argument("--to", dest="target", required=True, help="the new, empty database (a PostgreSQL URL…)")

    c = sub.add_parser("check", help="migration state and integrity of a database")
    c.add_argument("--db", default=argparse.SUPPRESS)

    b = sub.add_parser("backup", help="copy a SQLite database safely, while it is in use")
    b.add_argument("--db", default=argparse.SUPPRESS)
    b.add_argument("--out", required=True, type=Path)
    _add_key_commands(sub)


def _add_key_commands(sub: Any) -> None:
    """``encrypt``, ``decrypt`` and ``rekey``: a SQLite register encrypted at rest, and its key."""
    e = sub.add_parser("encrypt", help="encrypt a plain register in place (and the program's copies of it)")
    e.add_argument("--db", default=argparse.SUPPRESS)
    e.add_argument("--passphrase", action="store_true",
                   help="open it with a passphrase (typed, or BSCP_DB_PASSPHRASE) rather than a key kept in this "
                        "PC's credential store")

    d = sub.add_parser("decrypt", help="write a plain copy of an encrypted register (for a records manager)")
    d.add_argument("--db", default=argparse.SUPPRESS)
    d.add_argument("--out", required=True, type=Path, help="the new, plain file")

    back = sub.add_parser("restore", help="list the program's copies of a register, or put it back as one was")
    back.add_argument("--db", default=argparse.SUPPRESS)
    back.add_argument("--from", dest="copy", type=Path, help="the copy to put back (one that --db's list shows)")

    r = sub.add_parser("rekey", help="change an encrypted register's passphrase, or where its key is kept")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("--to", choices=("passphrase", "keyring"), default="passphrase",
                   help="passphrase (typed, or BSCP_NEW_DB_PASSPHRASE) or keyring (a new key kept in this PC's "
                        "credential store); default passphrase")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from bscp_desktop.util.paths import keep_files_private

    keep_files_private()  # before anything is written: every file the program makes is the user's alone
    parser = build_parser()
    args: argparse.Namespace | None = None
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is shown escaped, never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = parser.parse_args(argv)
        if args.demo and args.db:
            raise UsageError("--demo opens the demo database: leave out --db")
        if args.screenshots and not args.self_test:
            raise UsageError("--screenshots needs --self-test")
        if args.size is not None:
            if not args.self_test:
                raise UsageError("--size needs --self-test")
            try:
                w, h = (int(x) for x in args.size.lower().split("x"))
            except ValueError:
                raise UsageError(f"--size '{args.size}' is not WIDTHxHEIGHT, such as 1920x1080") from None
            if not (640 <= w <= 7680 and 480 <= h <= 4320):
                raise UsageError(f"--size {args.size} is outside 640x480 to 7680x4320")
            args.size = (w, h)
        if args.command is None:
            from bscp_desktop.ui.shell.app import run_gui  # Qt is imported only here

            return run_gui(args)
        from bscp_desktop.cli import access as cli_access
        from bscp_desktop.cli import export as cli_export

        return {"demo": _demo, "due": _due, "check": _check, "backup": _backup, "report": _report,
                "calendar": _calendar, "import": _import, "template": _template, "copy": _copy,
                "encrypt": _encrypt, "decrypt": _decrypt, "rekey": _rekey, "restore": _restore, "server-setup": cli_access.server_setup,
                "users": cli_access.users, "retention": cli_access.retention,
                "export": cli_export.export}[args.command](args)
    except UsageError as e:
        print(f"{APP_NAME}: error: {e}", file=sys.stderr)
        return 2
    except (EncryptionKeyProblem, PassphraseRefused) as e:  # no key, a wrong one, one too short: one line, 2
        print(f"{APP_NAME}: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - one plain line for the user, the details in the log
        return _fail(_one_line(e, getattr(args, "db", None) or getattr(args, "source", None)))


def _one_line(exc: BaseException, db: str | None) -> str:
    """An operation's failure as one plain line: the store's own words, a database error in words (never
    SQL or a web link), anything else with its details kept in the log file."""
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.services import ServiceError
    from bscp_desktop.store.engine import ReadOnlyStore, RegisterUnusable, StoreUnavailable, plain_database_error

    if isinstance(exc, RegisterUnusable | ReadOnlyStore | StoreUnavailable | ServiceError):
        return str(exc).splitlines()[0]
    if isinstance(exc, DBAPIError | sqlite3.DatabaseError):
        where = str(db) if db else "the register"
        return plain_database_error(exc, where)
    from bscp_desktop.util.log_file import log, setup_logging

    path = setup_logging()
    log.error("Command failed", exc_info=exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"unexpected error ({exc.__class__.__name__}{': ' + first if first else ''}); details are in {path}"


def run() -> NoReturn:
    """The process entry point (``bscp-desktop``, ``python -m bscp_desktop``): ``main``, then exit.

    A command is a short process that allocates hundreds of thousands of long-lived objects while it imports
    SQLAlchemy and reportlab. With Python's default thresholds the cycle collector walks them again and again,
    and once more while the interpreter shuts down. Collecting young objects less often, and freezing what is
    left before exit, takes a fifth off a report's time (``benchmarks/report_vs_libreoffice.py``) and uses no
    more memory: almost everything is freed by reference counting (the window, which runs for hours, collects
    on the same thresholds). ``main`` itself leaves the collector alone, so callers in another process (the
    tests) keep their own settings.
    """
    gc.set_threshold(10_000, 20, 20)
    status = main()
    gc.freeze()  # nothing left to collect: the database is closed and every file written
    sys.exit(status)


def _fail(message: str) -> int:
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    return 1


def _require_suffix(out: Path, suffix: str) -> None:
    if out.suffix.lower() != suffix:
        raise UsageError(f"--out {out} must be a {suffix} file")


def _not_written(out: Path, e: OSError) -> int:
    print(f"{APP_NAME}: could not write {out}: {e.strerror or e}", file=sys.stderr)
    return 2


def _usable(db: str | None) -> None:
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


def _open(db: str | None, migrate: bool = True, must_exist: bool = True) -> Services:
    from bscp_desktop.services import Services
    from bscp_desktop.store.engine import resolve_url, sqlite_path
    from bscp_desktop.store.migrate import DatabaseTooNew

    _usable(db)
    path = sqlite_path(resolve_url(db))
    if must_exist and path is not None and not path.exists():
        raise UsageError(f"{path} does not exist")

    from bscp_desktop.store.engine import PasswordNeeded, StoreUnavailable, with_password

    address: str | None = db
    asked = 0
    while True:  # a server that wants a password: asked for at the terminal (three tries), kept in memory only
        try:
            return Services.open(address, migrate=migrate)
        except DatabaseTooNew as e:
            raise UsageError(str(e)) from None
        except PasswordNeeded as e:
            if not sys.stdin.isatty() or asked == 3:
                raise SystemExit(_fail(str(e))) from None
            if e.refused and asked:
                print("That password was refused.", file=sys.stderr)
            address = with_password(resolve_url(db), getpass.getpass(f"Password for {e.login} ({e.server}): "))
            asked += 1
        except StoreUnavailable as e:
            raise SystemExit(_fail(str(e))) from None


def _demo(args: argparse.Namespace) -> int:
    from bscp_desktop.store.engine import resolve_url, sqlite_path

    _usable(args.db)
    url = resolve_url(args.db)
    path = sqlite_path(url)
    if args.as_of is not None and not DEMO_YEARS[0] <= args.as_of.year <= DEMO_YEARS[1]:
        raise UsageError(f"--as-of {args.as_of:%d/%m/%Y}: a demo is as of a date in {DEMO_YEARS[0]}–{DEMO_YEARS[1]} "
                         "(its cases reach back years before it and its clocks run on after it)")
    if path is not None and path.exists() and path.stat().st_size > 0 and not args.replace:
        raise UsageError(f"{path} already exists: choose a new file, or add --replace")
    start = time.perf_counter()
    if path is None:  # a server: built in one transaction there
        svc = _open(args.db, must_exist=False)
        try:
            summary = svc.demo.build(args.incidents, args.seed, args.as_of).value
        finally:
            svc.close()
    else:  # built beside it and moved into place whole: a failure leaves nothing half-built
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(f".{path.name}.building")
        _remove_register_files(building)
        try:
            svc = _open(str(building), must_exist=False)
            try:
                summary = svc.demo.build(args.incidents, args.seed, args.as_of).value
            finally:
                svc.close()
            _remove_register_files(path)
            os.replace(building, path)
        finally:
            _remove_register_files(building)
    print(f"Demo database {path or svc.db.describe()}: {summary.incidents} fictional incidents, {summary.reviews} "
          f"reviews, as of {summary.as_of:%d/%m/%Y}, seed {summary.seed} ({time.perf_counter() - start:.1f} s)")
    return 0


DEMO_YEARS = (2000, 2070)


def _remove_register_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _due(args: argparse.Namespace) -> int:
    from bscp_desktop.domain.rules import due_date, get_rule
    from bscp_desktop.domain.working_days import OutOfRange, WorkingCalendar

    try:
        rule = get_rule(args.rule)
    except KeyError as e:
        raise UsageError(e.args[0]) from None
    if getattr(args, "db", None):
        svc = _open(args.db)
        try:
            cal, amount = svc.calendar(), svc.settings.get().amount(rule.id)
        finally:
            svc.close()
    else:
        cal, amount = WorkingCalendar(), rule.default
    try:
        print(due_date(rule, args.date, cal, amount).isoformat())
    except OutOfRange as e:
        raise UsageError(str(e)) from None
    return 0


def _report(args: argparse.Namespace) -> int:
    import datetime as dt

    from bscp_desktop.reports import CASE_REPORTS, REPORTS, ReportOptions, render, suffixes
    from bscp_desktop.services import NotFound

    if args.kind not in REPORTS:
        raise UsageError(f"unknown report '{args.kind}' (known: {', '.join(REPORTS)})")
    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--from {args.start:%d/%m/%Y} is after --to {args.end:%d/%m/%Y}")
    if args.kind in CASE_REPORTS and not args.case.strip():
        raise UsageError(f"the {args.kind} report needs --case REFERENCE "
                         f"({'an incident or review' if args.kind == 'case' else 'an incident'} reference)")
    if args.out.suffix.lower() not in suffixes(args.kind):
        raise UsageError(f"the {args.kind} report is written as {' or '.join(suffixes(args.kind))}: "
                         f"{args.out.name} is not")
    svc = _open(getattr(args, "db", None))
    try:
        opts = ReportOptions(args.as_of or dt.date.today(), args.start, args.end, args.case)
        try:
            out = render(svc, args.kind, args.out, opts)
        except NotFound:
            raise UsageError(f"no incident or review has the reference '{args.case}'") from None
        except ValueError as e:
            raise UsageError(str(e)) from None
        except OSError as e:
            return _not_written(args.out, e)
    finally:
        svc.close()
    print(f"Wrote {out}")
    return 0


def _calendar(args: argparse.Namespace) -> int:
    _require_suffix(args.out, ".ics")
    svc = _open(getattr(args, "db", None))
    try:
        done = svc.ics_export.write(args.out, args.as_of)
    except OSError as e:
        return _not_written(args.out, e)
    finally:
        svc.close()
    print(f"Wrote {done.path}: {counted(done.clocks, 'statutory clock')} and {counted(done.actions, 'agency action')}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from bscp_desktop.services.exchange.sheet import SheetError

    if not args.file.exists():
        raise UsageError(f"{args.file} does not exist")
    if args.action_plan is not None and not args.action_plan.strip():
        raise UsageError("--action-plan needs the reference of the review whose action plan the file is")
    svc = _open(getattr(args, "db", None))
    try:
        importer: Any  # each importer checks a file into a plan and applies it
        if args.action_plan is not None:
            review = svc.reviews.by_reference(args.action_plan)
            if review is None:
                raise UsageError(f"no review has the reference '{args.action_plan}'")
            what, into, importer = "action", f" into {review.case_reference}", svc.action_plan_import
            check = partial(importer.check, args.file, review.id)
        else:
            importer = svc.catalogue_import if args.catalogue else svc.incident_import
            what, into = ("review", " into the catalogue") if args.catalogue else ("incident", "")
            check = partial(importer.check, args.file)
        try:
            plan = check()
        except SheetError as e:
            raise UsageError(str(e)) from None
        except OSError as e:
            raise UsageError(f"{args.file} cannot be read: {e.strerror or e}") from None
        if plan.ignored_columns:
            print(f"Columns not imported: {', '.join(plan.ignored_columns)}", file=sys.stderr)
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        if plan.problems_not_listed:
            print(f"… and {counted(plan.problems_not_listed, 'more problem')} after these", file=sys.stderr)
        if plan.problems:
            return _fail(f"{counted(plan.problem_count, 'problem')} in {args.file.name}: nothing was imported")
        if not plan.rows:
            return _fail(f"{args.file.name} has no {what}s to import")
        if args.check:
            print(f"{counted(len(plan.rows), what)} ready to import{into} from {args.file.name}; nothing was written")
            return 0
        done = importer.apply(plan)
    finally:
        svc.close()
    print(f"Imported {counted(done.value, what)}{into} from {args.file.name}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from bscp_desktop.services.exchange.templates import TEMPLATES, write_template

    if args.kind not in TEMPLATES:
        raise UsageError(f"unknown template '{args.kind}' (known: {', '.join(TEMPLATES)})")
    _require_suffix(args.out, ".xlsx")
    try:
        write_template(args.kind, args.out)
    except OSError as e:
        return _not_written(args.out, e)
    print(f"Wrote {args.out}: replace its example row with your own, then import it")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.store.copy import CopyRefused, copy_database
    from bscp_desktop.store.engine import (
        Database,
        StoreUnavailable,
        resolve_url,
        sqlite_path,
        unavailable,
        unusable_message,
    )

    _usable(args.source)
    _usable(args.target)
    src_url, dst_url = resolve_url(args.source), resolve_url(args.target)
    path = sqlite_path(src_url)
    if path is not None and not path.exists():
        raise UsageError(f"{path} does not exist")
    if src_url == dst_url:
        raise UsageError("--from and --to name the same database")
    source = Database(src_url)
    target_path = sqlite_path(dst_url)
    new_file = target_path is not None and not target_path.exists()
    # A copy of an encrypted register into a new file is encrypted with the same key: never a plain copy.
    target = Database(dst_url, key=source.key if new_file else None)
    try:
        try:  # the source first, so that its problem is told with its own name
            with source.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1 FROM alembic_version")
        except DBAPIError as e:
            return _fail(unusable_message(source, e))
        report = copy_database(source, target, lambda f, m: print(f"{f:4.0%}  {m}", file=sys.stderr))
    except (CopyRefused, StoreUnavailable) as e:
        return _fail(str(e))
    except DBAPIError as e:
        if unavailable(e):
            return _fail(target.unavailable_message(e))
        raise
    finally:
        source.dispose()
        target.dispose()
    print(f"Copied {report.total:,} rows ({', '.join(f'{k} {v:,}' for k, v in report.rows.items() if v)}) and "
          f"checked {report.documents_checked:,} documents' SHA-256 into {target.describe()}")
    for line in report.server_roles:
        print(f"Server roles: {line}")
    if report.server_roles_problem:
        print(f"The server's roles are not set up ({report.server_roles_problem}): the database owner should run "
              f"bscp-desktop server-setup --db {target.describe()}")
    if report.users:
        print("Each user of the copied register needs a server login of their own; an administrator adds them with "
              f"bscp-desktop users --db {target.describe()} add LOGIN --role ROLE:")
        for login, role in report.users:
            print(f"  {login} ({role})")
    return 0


def _check(args: argparse.Namespace) -> int:
    from bscp_desktop.store.check import check_database

    db = getattr(args, "db", None)
    _usable(db)
    report = check_database(db)
    for line in report.lines:
        print(line)
    return 0 if report.ok else 1


def _backup(args: argparse.Namespace) -> int:
    from bscp_desktop.store.backup import BackupNotSupported, backup_sqlite
    from bscp_desktop.store.engine import Database, resolve_url, sqlite_path

    _usable(getattr(args, "db", None))
    url = resolve_url(getattr(args, "db", None))
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise UsageError(f"{path} does not exist")
    if args.out.exists():
        raise UsageError(f"{args.out} already exists: choose a new file")
    db = Database(url)
    try:
        out = backup_sqlite(db, args.out)
    except BackupNotSupported as e:
        raise UsageError(str(e)) from None
    except OSError as e:
        return _not_written(args.out, e)
    finally:
        db.dispose()
    print(f"Backed up {db.describe()} to {out} ({os.path.getsize(out):,} bytes)")
    return 0


def _register_file(args: argparse.Namespace) -> Path:
    """The SQLite file ``--db`` names (it must exist); a server is refused in words."""
    from bscp_desktop.store.engine import resolve_url, sqlite_path

    _usable(getattr(args, "db", None))
    url = resolve_url(getattr(args, "db", None))
    path = sqlite_path(url)
    if path is None:
        raise UsageError(f"{url.split('@')[-1]} is a server database: the server's own encryption applies to it")
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    return path


def _administrator_only(path: Path, action: str) -> None:
    """Refuse (``PermissionDenied``, audited in the register) unless the user administers the register at
    ``path``: encrypting it, changing its key and writing a plain copy of it are administrators' tasks."""
    from bscp_desktop.domain.vocab import Role

    svc = _open(str(path))
    try:
        svc.users.check(Role.ADMIN, action)
    finally:
        svc.close()


def _typed_passphrase(variable: str, what: str) -> str:
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


def _chosen_key(kind: str, variable: str, what: str) -> Any:
    from bscp_desktop.store.keys import RegisterKey, keyring_usable

    if kind == "passphrase":
        return RegisterKey.passphrase(_typed_passphrase(variable, what))
    if not keyring_usable():
        raise UsageError("this PC has no credential store to keep the key in: use a passphrase instead")
    return RegisterKey.new_random()


def _encrypt(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, encrypt_register
    from bscp_desktop.store.keys import is_encrypted, keyring_usable

    path = _register_file(args)
    already = is_encrypted(path)
    if not already:
        _administrator_only(path, "encrypt the register")
    if already:
        key: Any = None
    elif args.passphrase or not keyring_usable():
        if not args.passphrase and not os.environ.get("BSCP_DB_PASSPHRASE"):
            raise UsageError("this PC has no credential store to keep the key in: add --passphrase to choose one")
        key = _chosen_key("passphrase", "BSCP_DB_PASSPHRASE", "Passphrase for the register")
    else:
        key = _chosen_key("keyring", "", "")
    try:
        report = encrypt_register(path, key)
    except EncryptionRefused as e:
        return _fail(str(e))
    copies = f"; {counted(len(report.copies), 'plain copy', 'plain copies')} in the backups folder encrypted too"
    if already:
        print(f"{path} is already encrypted{copies if report.copies else ''}")
        return 0
    print(f"Encrypted {path} with SQLCipher ({key.described}): {counted(report.tables, 'table')}, "
          f"{counted(report.rows, 'row')} and {counted(report.documents, 'document')} verified; the plain bytes were "
          f"overwritten{copies if report.copies else ''}")
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, decrypt_register

    path = _register_file(args)
    _administrator_only(path, "write a plain copy of the register")
    try:
        report = decrypt_register(path, args.out)
    except EncryptionRefused as e:
        return _fail(str(e))
    print(f"Wrote a plain copy of {path} to {args.out}: {counted(report.rows, 'row')} and "
          f"{counted(report.documents, 'document')} verified. Anyone with this file can read it: keep it safe and "
          "delete it when done")
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, rekey_register
    from bscp_desktop.store.keys import RegisterKey

    path = _register_file(args)
    _administrator_only(path, "change the register's key")
    key = _chosen_key(args.to, "BSCP_NEW_DB_PASSPHRASE", "New passphrase for the register")
    earlier = os.environ.get("BSCP_OLD_DB_PASSPHRASE")  # opens copies made under an earlier passphrase
    try:
        report = rekey_register(path, key, old_copy_key=RegisterKey.passphrase(earlier) if earlier else None)
    except EncryptionRefused as e:
        return _fail(str(e))
    copies = f"; {counted(len(report.copies), 'copy', 'copies')} in the backups folder re-keyed too"
    print(f"Re-keyed {path}: {key.described}{copies if report.copies else ''}")
    if report.removed:
        print(f"Removed {counted(len(report.removed), 'copy', 'copies')} of it that no key held here opens (made "
              f"under an earlier key): {', '.join(str(p) for p in report.removed)}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    """``restore --db FILE``: the register's own copies; ``--from COPY``: put the register back as it was."""
    from bscp_desktop.services.core.base import os_login
    from bscp_desktop.store.keys import file_state, find_key
    from bscp_desktop.store.restore import RestoreRefused, restorable_copies, restore_register

    path = _register_file(args)
    key = find_key(path) if file_state(path) == "encrypted" else None
    if file_state(path) == "encrypted" and key is None:
        from bscp_desktop.store.keys import KeyNeeded, key_needed_message

        raise KeyNeeded(key_needed_message(path))
    if args.copy is None:
        copies = restorable_copies(path, key)
        if not copies:
            print(f"The program has made no copy of {path} yet (a daily copy is made when the window opens)")
        for c in copies:
            print(f"{c.made:%d/%m/%Y}  {c.kind:<11}  {c.path}")
        return 0
    _administrator_only(path, "restore the register from a copy")
    try:
        done = restore_register(path, key, args.copy, os_login())
    except RestoreRefused as e:
        raise UsageError(str(e)) from None
    print(f"Restored {path} from the {done.copy.kind} copy of {done.copy.made:%d/%m/%Y}; the register as it was is "
          f"kept as {done.kept}. Its audit log now has {done.entries:,} entries (the restore is the last)")
    return 0
