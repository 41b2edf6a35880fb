"""``import``, ``template``, ``copy``, ``check`` and ``backup``: data in and out of a register."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    pass

from bscp_desktop.cli.common import UsageError, check_usable, fail, not_written, open_register, require_suffix


def add_data_commands(sub: Any) -> None:
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


def import_file(args: argparse.Namespace) -> int:
    from bscp_desktop.services.exchange.sheet import SheetError

    if not args.file.exists():
        raise UsageError(f"{args.file} does not exist")
    if args.action_plan is not None and not args.action_plan.strip():
        raise UsageError("--action-plan needs the reference of the review whose action plan the file is")
    svc = open_register(getattr(args, "db", None))
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
            return fail(f"{counted(plan.problem_count, 'problem')} in {args.file.name}: nothing was imported")
        if not plan.rows:
            return fail(f"{args.file.name} has no {what}s to import")
        if args.check:
            print(f"{counted(len(plan.rows), what)} ready to import{into} from {args.file.name}; nothing was written")
            return 0
        done = importer.apply(plan)
    finally:
        svc.close()
    print(f"Imported {counted(done.value, what)}{into} from {args.file.name}")
    return 0


def template(args: argparse.Namespace) -> int:
    from bscp_desktop.services.exchange.templates import TEMPLATES, write_template

    if args.kind not in TEMPLATES:
        raise UsageError(f"unknown template '{args.kind}' (known: {', '.join(TEMPLATES)})")
    require_suffix(args.out, ".xlsx")
    try:
        write_template(args.kind, args.out)
    except OSError as e:
        return not_written(args.out, e)
    print(f"Wrote {args.out}: replace its example row with your own, then import it")
    return 0


def copy(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.store.copies import unusable_message
    from bscp_desktop.store.copy import CopyRefused, copy_database
    from bscp_desktop.store.engine import Database, resolve_url, sqlite_path
    from bscp_desktop.store.errors import StoreUnavailable, unavailable

    check_usable(args.source)
    check_usable(args.target)
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
            return fail(unusable_message(source, e))
        report = copy_database(source, target, lambda f, m: print(f"{f:4.0%}  {m}", file=sys.stderr))
    except (CopyRefused, StoreUnavailable) as e:
        return fail(str(e))
    except DBAPIError as e:
        if unavailable(e):
            return fail(target.unavailable_message(e))
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


def check(args: argparse.Namespace) -> int:
    from bscp_desktop.store.check import check_database

    db = getattr(args, "db", None)
    check_usable(db)
    report = check_database(db)
    for line in report.lines:
        print(line)
    return 0 if report.ok else 1


def backup(args: argparse.Namespace) -> int:
    from bscp_desktop.store.backup import BackupNotSupported, backup_sqlite
    from bscp_desktop.store.engine import Database, resolve_url, sqlite_path

    check_usable(getattr(args, "db", None))
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
        return not_written(args.out, e)
    finally:
        db.dispose()
    print(f"Backed up {db.describe()} to {out} ({os.path.getsize(out):,} bytes)")
    return 0
