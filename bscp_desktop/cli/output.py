"""``report`` and ``calendar``: the reports (PDF, some also Word) and the .ics file of open deadlines."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    pass

from bscp_desktop.cli.common import UsageError, date_arg, not_written, open_register, require_suffix


def add_output_commands(sub: Any) -> None:
    """``report`` and ``calendar``: the PDF reports and the .ics file of open deadlines."""
    r = sub.add_parser("report", help="write a report (PDF; the annual, learning and Rapid Review reports also Word)")
    r.add_argument("kind", help="one of: deadlines, status, catalogue, requests, learning, annual, case, retention, "
                                "rapid-review, notification")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("--out", required=True, type=Path,
                   help="the file to write: .pdf, or .docx for the annual, learning and rapid-review reports")
    r.add_argument("--as-of", type=date_arg, help="the date clocks are shown as of (default today)")
    r.add_argument("--from", dest="start", type=date_arg, help="start of the period (default: 1 April of the year)")
    r.add_argument("--to", dest="end", type=date_arg, help="end of the period (default: the as-of date)")
    r.add_argument("--case", default="", help="for the case, rapid-review and notification reports: the case's "
                                              "reference")

    k = sub.add_parser("calendar", help="write the open deadlines as a calendar file (.ics) for Outlook and others")
    k.add_argument("--db", default=argparse.SUPPRESS)
    k.add_argument("--out", required=True, type=Path, help="the .ics file to write")
    k.add_argument("--as-of", type=date_arg, help="the date the deadlines are described as of (default today)")


def report(args: argparse.Namespace) -> int:

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
    svc = open_register(getattr(args, "db", None))
    try:
        opts = ReportOptions(args.as_of or dt.date.today(), args.start, args.end, args.case)
        try:
            out = render(svc, args.kind, args.out, opts)
        except NotFound:
            raise UsageError(f"no incident or review has the reference '{args.case}'") from None
        except ValueError as e:
            raise UsageError(str(e)) from None
        except OSError as e:
            return not_written(args.out, e)
    finally:
        svc.close()
    print(f"Wrote {out}")
    return 0


def calendar(args: argparse.Namespace) -> int:
    require_suffix(args.out, ".ics")
    svc = open_register(getattr(args, "db", None))
    try:
        done = svc.ics_export.write(args.out, args.as_of)
    except OSError as e:
        return not_written(args.out, e)
    finally:
        svc.close()
    print(f"Wrote {done.path}: {counted(done.clocks, 'statutory clock')} and {counted(done.actions, 'agency action')}")
    return 0
