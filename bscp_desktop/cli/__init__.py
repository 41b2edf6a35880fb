"""The command line (README: "Command line"). It imports no Qt unless it opens a window.

Bad arguments exit with status 2 and one clear line on stderr, never a traceback; an operation that fails
(a database that cannot be opened, a file that cannot be written) exits 1 with one line.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bscp_desktop import APP_NAME, __version__
from bscp_desktop.cli import access, cases, data, export, keys, output
from bscp_desktop.cli.common import Parser, UsageError, date_arg, fail, one_line
from bscp_desktop.store.keys import EncryptionKeyProblem, PassphraseRefused

# Each command's function, by the name typed.
COMMANDS = {
    "demo": cases.demo, "due": cases.due, "report": output.report, "calendar": output.calendar,
    "import": data.import_file, "template": data.template, "copy": data.copy, "check": data.check,
    "backup": data.backup, "encrypt": keys.encrypt, "decrypt": keys.decrypt, "rekey": keys.rekey,
    "restore": keys.restore, "server-setup": access.server_setup, "users": access.users,
    "retention": access.retention, "export": export.export,
}


class VersionAction(argparse.Action):
    """``--version``: the program's version on the first line (as scripts read it), then each part's."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from bscp_desktop.store.migrate import newest_revision_file
        from bscp_desktop.util.components import versions

        print(f"{APP_NAME} {__version__}")
        for part, version in versions(newest_revision_file())[1:]:
            print(f"  {part}: {version}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: the GUI options at the top level, one sub-command per task."""
    p = Parser(prog=APP_NAME, description="Serious incident register, statutory clocks and publication catalogue.")
    p.add_argument("--version", action=VersionAction, nargs=0,
                   help="show the version, the schema it writes, and the Python, Qt and SQLCipher versions")
    p.add_argument("--db", help="database file or URL (default: the user data folder, or BSCP_DATABASE_URL)")
    p.add_argument("--self-test", action="store_true", help="open the main window, visit every page, exit 0 or 1")
    p.add_argument("--screenshots", type=Path, metavar="DIR", help="with --self-test: save one PNG per page")
    p.add_argument("--size", metavar="WxH", help="with --self-test: the window size (default 1366x768)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo database (demo.db in the user data folder, built on first run), kept apart "
                        "from your own register")
    p.add_argument("--demo-on-first-run", action="store_true",
                   help="when the database does not exist yet, create it as a demo database")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    cases.add_case_commands(sub)
    output.add_output_commands(sub)
    data.add_data_commands(sub)
    keys.add_key_commands(sub)
    access.add_access_commands(sub, date_arg, Parser)
    export.add_export_command(sub)
    return p


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
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"{APP_NAME}: error: {e}", file=sys.stderr)
        return 2
    except (EncryptionKeyProblem, PassphraseRefused) as e:  # no key, a wrong one, one too short: one line, 2
        print(f"{APP_NAME}: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - one plain line for the user, the details in the log
        return fail(one_line(e, getattr(args, "db", None) or getattr(args, "source", None)))


def run() -> NoReturn:
    """The process entry point (``bscp-desktop``, ``python -m bscp_desktop``): ``main``, then exit.

    A command is a short process that allocates hundreds of thousands of long-lived objects while it imports
    SQLAlchemy and reportlab, and almost everything it makes is freed by reference counting: the cycle collector
    only walks those objects again and again (and once more while the interpreter shuts down). So a command runs
    with it switched off: ``report deadlines`` on the 10,000-case demo takes 20 ms less
    (``benchmarks/report_vs_libreoffice.py``), and the demo build, an export and the annual report peak at the
    same memory either way. The window, which runs for hours, collects on the UI thread
    (``ui.runtime.tasks.MainThreadCollector``) whenever these thresholds say it would have. ``main`` itself leaves
    the collector alone, so callers in another process (the tests) keep their own settings.
    """
    gc.set_threshold(10_000, 20, 20)  # the window's collector collects on these
    gc.disable()
    status = main()
    gc.freeze()  # nothing left to collect: the database is closed and every file written
    sys.exit(status)
