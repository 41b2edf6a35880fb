"""Where the window's start goes: milliseconds from the process's first line to each step of one start.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/start_timeline.py [--incidents 300] [--runs 3]

Runs the program's entry point (``bscp_desktop.cli.main``, as ``bscp-desktop --db …`` does) on a demo register
and prints, per run, when the command line was imported, when Qt for Python was (with ``bscp_desktop.ui``), when
the window's module finished importing (SQLAlchemy, the services, the window's own modules), the register opened, the window was built and
shown, the first paint, the dashboard's rows arrived and were painted. ``start_to_dashboard.py`` gives the totals
against a bare Qt window; this shows which step to look at.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.start_to_dashboard import WATCHED_START, demo_register, program_env

# The program, with a mark printed (to stderr) at each step; the wrappers are put in as the window's module loads.
TIMELINE = """
import importlib.util, sys, time
T0 = time.perf_counter()

def mark(step):
    print(f"{(time.perf_counter() - T0) * 1000:6.0f} ms  {step}", file=sys.stderr, flush=True)

def watch(shell_app):
    from PySide6.QtCore import QEvent, QObject
    mark("window's module imported (SQLAlchemy, the services, the window's own modules)")
    open_services, show_window, main_window = shell_app.open_services, shell_app.show_window, shell_app.MainWindow
    def opened(*args, **kwargs):
        mark("app made; opening the register")
        services = open_services(*args, **kwargs)
        mark("register open")
        return services
    class Window(main_window):
        def __init__(self, ctx):
            super().__init__(ctx)
            mark("window built")
    class Paints(QObject):
        def __init__(self, app, window):
            super().__init__(app)
            self.app, self.window, self.first = app, window, True
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                if self.first:
                    mark("first paint")
                    self.first = False
                page = self.window.dashboard
                if not page.loading and obj is page.table.viewport():
                    mark("dashboard painted with its rows")
                    self.app.exit(0)
            return False
    def shown(app, window):
        app.installEventFilter(Paints(app, window))
        show = window.dashboard._show
        def rows_arrived(*args):
            mark("dashboard's rows arrived")
            show(*args)
        window.dashboard._show = rows_arrived
        show_window(app, window)
        mark("window shown")
    shell_app.open_services, shell_app.show_window, shell_app.MainWindow = opened, shown, Window

def started():
    mark("Qt for Python imported (with bscp_desktop.ui); importing the window's module")

def imported():
    mark("command line imported")
""" + WATCHED_START


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bscp-bench-"))
    try:
        db, env = demo_register(work, args.incidents), program_env(work)
        subprocess.run([sys.executable, "-c", TIMELINE, str(db)], check=True, capture_output=True, env=env,
                       timeout=120)  # the first start warms the disk cache
        print(f"demo database: {args.incidents:,} incidents; one start per run")
        for run in range(1, args.runs + 1):
            out = subprocess.run([sys.executable, "-c", TIMELINE, str(db)], check=True, capture_output=True,
                                 text=True, env=env, timeout=120)
            print(f"\nrun {run}")
            print("\n".join(line for line in out.stderr.splitlines() if " ms  " in line))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
