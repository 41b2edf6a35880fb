"""From starting the process to a painted dashboard, beside a bare Qt window's process, in one run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/start_to_dashboard.py [--incidents 300] [--runs 5]

"Ours" runs the program's own entry point (``bscp_desktop.cli.main``, as ``bscp-desktop --db …`` does) on a demo
register and stops at the first paint of the dashboard's clock table once its rows are loaded. "Bare Qt" is a
process that imports Qt, opens a window with a table and stops at its first paint. "Qt and SQLAlchemy" is the
bare window that first reads twenty rows of the register through SQLAlchemy Core: the least any program built on
these two fixed choices can cost before it paints data, whatever it does besides. Each is timed from just before
the process is started (wall clock, the same machine) to that paint; the three run interleaved, and the medians
are printed. Targets: ours at most 1.0 s and at most 3× the bare window.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bscp_desktop
from bscp_desktop.services import Services

AS_OF = dt.date(2026, 11, 20)

# Runs the program as its entry point does (nothing of Qt imported before the program imports it) and stops it at
# the dashboard's first paint with its rows loaded, printing the wall-clock time then. The paint is watched from
# the moment the window is shown: the program's ``show_window`` is wrapped as its module is first imported.
OURS_WATCH = """
import importlib.util, sys, time

def started(): pass
def imported(): pass

def watch(shell_app):
    from PySide6.QtCore import QEvent, QObject
    show_window = shell_app.show_window
    class FirstPaint(QObject):
        def __init__(self, app, window):
            super().__init__(app)
            self.app, self.window = app, window
        def eventFilter(self, obj, event):
            page = self.window.dashboard
            if event.type() == QEvent.Type.Paint and not page.loading and obj is page.table.viewport():
                print(time.time(), flush=True)
                self.app.exit(0)
            return False
    def show_and_watch(app, window):
        app.installEventFilter(FirstPaint(app, window))
        show_window(app, window)
    shell_app.show_window = show_and_watch
"""

# Runs the program's entry point on the register named first; before, ``watch(module)`` (and the marks ``started()``,
# as the window's module begins to load, and ``imported()``, once the command line is) must be defined: ``watch``
# is given the window's module (``bscp_desktop.ui.shell.app``) as soon as it has run, before the window is made.
WATCHED_START = """
class WhenImported:
    name = "bscp_desktop.ui.shell.app"
    def find_spec(self, name, path, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        started()
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module
        def exec_module(module):
            run_module(module)
            watch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, WhenImported())
from bscp_desktop.cli import main
imported()
sys.exit(main(["--db", sys.argv[1]]))
"""

OURS = OURS_WATCH + WATCHED_START

# A bare Qt window with a table: the least any Qt program's start can cost here.
BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(20, 6)
window.setCentralWidget(table)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is table.viewport():
            print(time.time(), flush=True)
            app.exit(0)
        return False
watch = FirstPaint()
app.installEventFilter(watch)
window.resize(1366, 768)
window.show()
sys.exit(app.exec())
"""

# The bare window, reading twenty rows through SQLAlchemy Core first (SQLAlchemy imported before Qt, its faster
# order: PySide6 inspects every module imported after it).
WITH_SQLALCHEMY = """
import sys
import sqlalchemy as sa
incidents = sa.Table("incidents", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("local_ref", sa.String))
with sa.create_engine("sqlite:///" + sys.argv[1]).connect() as connection:
    rows = connection.execute(sa.select(incidents.c.id, incidents.c.local_ref).limit(20)).all()
""" + BARE.replace("table = QTableWidget(20, 6)\n", """table = QTableWidget(20, 6)
from PySide6.QtWidgets import QTableWidgetItem
for i, row in enumerate(rows):
    table.setItem(i, 0, QTableWidgetItem(row.local_ref))
""")


def demo_register(work: Path, incidents: int) -> Path:
    """A demo register of ``incidents`` cases as of ``AS_OF`` in ``work``, and the program compiled to bytecode (an
    installed copy runs from it, as pip and PyInstaller leave it)."""
    db = work / "demo.db"
    svc = Services.open(db, today=lambda: AS_OF)
    svc.demo.build(incidents, 1, AS_OF)
    svc.close()
    compileall.compile_dir(Path(bscp_desktop.__file__).parent, quiet=1)
    return db


def program_env(work: Path) -> dict[str, str]:
    """The environment a timed process runs in: offscreen unless told, its own folders under ``work``, bytecode
    written."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "BSCP_DATA_DIR": str(work / "data"), "BSCP_LOG_DIR": str(work / "log"),
           "BSCP_CACHE_DIR": str(work / "cache"), "BSCP_SETTINGS_DIR": str(work / "settings")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(code: str, *args: str, env: dict[str, str]) -> float:
    """Seconds from just before the process starts to the paint it reports."""
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
                         env=env, timeout=120)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bscp-bench-"))
    db, env = demo_register(work, args.incidents), program_env(work)
    timed(OURS, str(db), env=env)  # the first start warms the disk cache for both
    ours, bare, floor = [], [], []
    for _ in range(args.runs):
        ours.append(timed(OURS, str(db), env=env))
        bare.append(timed(BARE, env=env))
        floor.append(timed(WITH_SQLALCHEMY, str(db), env=env))
    o, b, f = statistics.median(ours), statistics.median(bare), statistics.median(floor)
    print(f"demo database: {args.incidents:,} incidents; medians of {args.runs} runs each, interleaved")
    print(f"process start to painted dashboard: {o:.2f} s   (target ≤ 1.0 s)")
    print(f"process start to a bare Qt window:  {b:.2f} s")
    print(f"process start to Qt and SQLAlchemy: {f:.2f} s   ({f / b:.1f}× the bare window: any program on both)")
    print(f"ratio: {o / b:.1f}× the bare window   (target ≤ 3×)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
