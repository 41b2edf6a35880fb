"""``demo`` and ``due``: build a demo register, work out a due date."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bscp_desktop.domain.rules import RULES

if TYPE_CHECKING:
    pass

from bscp_desktop.cli.common import UsageError, check_usable, count_arg, date_arg, open_register

MAX_DEMO_INCIDENTS = 200_000  # twice the largest register measured; a bigger demo only fills the disk


def demo_size(text: str) -> int:
    n = count_arg(text)
    if n > MAX_DEMO_INCIDENTS:
        raise argparse.ArgumentTypeError(f"'{text}' is more than the {MAX_DEMO_INCIDENTS:,} a demo can hold")
    return n


def add_case_commands(sub: Any) -> None:
    """``demo`` and ``due``: build a demo register, work out a due date."""

    d = sub.add_parser("demo", help="build a demo database: the public catalogue plus fictional cases")
    d.add_argument("--db", required=True, default=argparse.SUPPRESS, help="the new database file")
    d.add_argument("--incidents", type=demo_size, default=300, help=f"how many (at most {MAX_DEMO_INCIDENTS:,})")
    d.add_argument("--seed", type=count_arg, default=1)
    d.add_argument("--as-of", type=date_arg, help="the date the demo is built as of (default today)")
    d.add_argument("--replace", action="store_true", help="replace the file if it exists")

    u = sub.add_parser("due", help="print the due date of a rule from a start date")
    u.add_argument("rule", help=f"one of: {', '.join(RULES)}")
    u.add_argument("date", type=date_arg, help="the start date (YYYY-MM-DD or DD/MM/YYYY)")
    u.add_argument("--db", default=argparse.SUPPRESS, help="use this database's closure days and rule amounts")


def demo(args: argparse.Namespace) -> int:
    from bscp_desktop.store.engine import resolve_url, sqlite_path

    check_usable(args.db)
    url = resolve_url(args.db)
    path = sqlite_path(url)
    if args.as_of is not None and not DEMO_YEARS[0] <= args.as_of.year <= DEMO_YEARS[1]:
        raise UsageError(f"--as-of {args.as_of:%d/%m/%Y}: a demo is as of a date in {DEMO_YEARS[0]}–{DEMO_YEARS[1]} "
                         "(its cases reach back years before it and its clocks run on after it)")
    if path is not None and path.exists() and path.stat().st_size > 0 and not args.replace:
        raise UsageError(f"{path} already exists: choose a new file, or add --replace")
    start = time.perf_counter()
    if path is None:  # a server: built in one transaction there
        svc = open_register(args.db, must_exist=False)
        try:
            summary = svc.demo.build(args.incidents, args.seed, args.as_of).value
        finally:
            svc.close()
    else:  # built beside it and moved into place whole: a failure leaves nothing half-built
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(f".{path.name}.building")
        remove_register_files(building)
        try:
            svc = open_register(str(building), must_exist=False)
            try:
                summary = svc.demo.build(args.incidents, args.seed, args.as_of).value
            finally:
                svc.close()
            remove_register_files(path)
            os.replace(building, path)
        finally:
            remove_register_files(building)
    print(f"Demo database {path or svc.db.describe()}: {summary.incidents} fictional incidents, {summary.reviews} "
          f"reviews, as of {summary.as_of:%d/%m/%Y}, seed {summary.seed} ({time.perf_counter() - start:.1f} s)")
    return 0


DEMO_YEARS = (2000, 2070)


def remove_register_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def due(args: argparse.Namespace) -> int:
    from bscp_desktop.domain.rules import due_date, get_rule
    from bscp_desktop.domain.working_days import OutOfRange, WorkingCalendar

    try:
        rule = get_rule(args.rule)
    except KeyError as e:
        raise UsageError(e.args[0]) from None
    if getattr(args, "db", None):
        svc = open_register(args.db)
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
