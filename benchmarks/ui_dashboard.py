"""Opens the main window on a 100 000-incident demo database and prints the time to the first painted dashboard
and the time to apply register filters (targets: under 1.5 s; under 100 ms per filter change).

    QT_QPA_PLATFORM=offscreen python benchmarks/ui_dashboard.py [--db PATH] [--incidents N]

"Dashboard" runs from opening the database to the first paint of the dashboard table with its data.
"Filter" runs from a filter change to the register showing the new ids with its visible rows painted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BSCP_SETTINGS_DIR", tempfile.mkdtemp(prefix="bscp-bench-"))

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from bscp_desktop.services import Services
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.shell.app import make_app
from bscp_desktop.ui.shell.main_window import MainWindow

AS_OF = dt.date(2026, 11, 20)


class PaintWatch(QObject):
    """Counts paint events of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def spin(app: QApplication, until, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop until ``until()`` holds. The loop blocks between events, as the real program does,
    instead of spinning processEvents(), which would compete with the worker thread for the GIL."""
    if until():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)
    end = time.monotonic() + timeout

    def check() -> None:
        if until() or time.monotonic() > end:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not until():
        raise TimeoutError("benchmark step did not finish")


def sort_by(table: QTableView, column: int) -> None:
    """Sort by ``column``: ascending, or the other way if the saved view already sorts by it (a change either way)."""
    header = table.horizontalHeader()
    ascending = header.sortIndicatorSection() != column or header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--incidents", type=int, default=100_000)
    args = ap.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"bench-{args.incidents}.db"
    if not path.exists():
        t = time.perf_counter()
        s = Services.open(path, today=lambda: AS_OF)
        s.demo.build(args.incidents, 1, AS_OF)
        s.close()
        print(f"demo database with {args.incidents:,} incidents built in {time.perf_counter() - t:.1f} s")

    app = make_app()
    t0 = time.perf_counter()
    svc = Services.open(path, today=lambda: AS_OF)
    window = MainWindow(AppContext(svc))
    window.resize(1366, 768)
    watch = PaintWatch()
    window.dashboard.table.viewport().installEventFilter(watch)
    window.show_page("Dashboard")
    window.show()
    spin(app, lambda: not window.dashboard.loading)
    painted_before = watch.paints
    spin(app, lambda: watch.paints > painted_before or window.dashboard.clock_stack.currentWidget() is not window.dashboard.table)
    dashboard = time.perf_counter() - t0
    print(f"incidents: {svc.incidents.count():,}; urgent clocks on the dashboard: {len(window.dashboard.clocks.clocks):,}")
    print(f"open database to first painted dashboard: {dashboard:.3f} s   (target < 1.5 s)")

    page = window.incidents
    window.show_page("Incidents")
    spin(app, lambda: not window.ctx.runner.busy)
    page_watch = PaintWatch()
    page.table.viewport().installEventFilter(page_watch)
    changes = [
        ("text 'child a'", lambda: page.search.setText("child a")),
        ("text cleared", lambda: page.search.setText("")),
        ("stage: all", lambda: page.stage.setCurrentIndex(page.stage.findData(""))),
        ("stage: closed", lambda: page.stage.setCurrentIndex(page.stage.findData("closed"))),
        ("stage: open", lambda: page.stage.setCurrentIndex(page.stage.findData("open"))),
        ("RAG: overdue", lambda: page.rag.setCurrentIndex(page.rag.findData("overdue"))),
        ("RAG: all", lambda: page.rag.setCurrentIndex(0)),
        ("year: newest", lambda: page.year.setCurrentIndex(1)),
        ("year: all", lambda: page.year.setCurrentIndex(0)),
        ("sort by due date", lambda: sort_by(page.table, 10)),
        ("text 'si2024'", lambda: page.search.setText("si2024")),
    ]
    resets: list[int] = []  # the paint count at each reset of the model: paints after it show the new rows
    page.model.modelReset.connect(lambda: resets.append(page_watch.paints))
    times = []
    for label, change in changes:
        shown = list(page.model.ids)
        change()
        page._debounce.stop()  # measure the query, not the typing debounce (150 ms)
        if not page.loading:  # typing only started the debounce: run its query now
            page.requery()
        start = time.perf_counter()
        resets.clear()
        spin(app, lambda: not page.loading)
        page.model.data(page.model.index(0, 0)) if page.model.ids else None
        spin(app, lambda: page.model.all_loaded() and not window.ctx.runner.busy)
        if page.model.ids != shown:  # the same rows in the same order need no repaint
            spin(app, lambda: (bool(resets) and page_watch.paints > resets[-1]) or not page.model.ids, timeout=5)
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        print(f"  filter {label:<18} {len(page.model.ids):>7,} rows  {elapsed * 1000:7.1f} ms")
    print(f"register filter change: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms   (target < 100 ms)")
    window.close()
    svc.close()


if __name__ == "__main__":
    main()
