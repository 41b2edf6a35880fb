"""The task runner under load: thousands of tasks with garbage collection forced between them, every result
delivered, and every Qt object a task or cyclic garbage held destroyed on the UI thread, never on a worker (a Qt
object destroyed on a pool thread was the cause of a rare native crash)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QLabel


class Watched(QObject):
    """A QObject that notes the thread its Python owner releases it on (where Qt then destroys it)."""

    def __init__(self, seen: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


class WatchedDialog(QDialog):
    """The same for a dialog."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def _drain(qtbot: Any, runner: Any) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=30_000)


def test_thousands_of_tasks_release_their_qt_objects_on_the_ui_thread(qtbot: Any) -> None:
    from bscp_desktop.ui.runtime.tasks import TaskRunner
    from bscp_desktop.ui.shell.app import make_app

    make_app()
    runner = TaskRunner()
    destroyed_on: list[str] = []
    delivered: list[int] = []
    errors: list[BaseException] = []
    total = 0
    for _batch in range(60):
        for n in range(50):
            holder = Watched(destroyed_on)  # no parent: owned by the task alone once this loop lets go of it

            def task(_p: Any, holder: Watched = holder, n: int = n) -> Any:
                junk = [[i] for i in range(300)]  # allocations on the worker, as real work makes
                if n % 7 == 0:
                    raise ValueError(f"task {n} failed as planned ({len(junk)})")
                return holder.objectName(), n

            runner.run(task, lambda r: delivered.append(r[1]), errors.append)
            total += 1
            del holder, task
        gc.collect(1)  # forced while workers run (young generations: a full collection of the test
        _drain(qtbot, runner)  # session's heap 120 times would only make the test slow)
        gc.collect(1)
    gc.collect()
    runner.shutdown()
    assert len(delivered) + len(errors) == total == 3000
    assert all(isinstance(e, ValueError) for e in errors) and len(errors) == 60 * 8
    errors.clear()  # their tracebacks hold the failed tasks' frames, and so their objects
    gc.collect()
    assert len(destroyed_on) == total
    assert set(destroyed_on) == {threading.main_thread().name}


def test_cyclic_garbage_with_widgets_is_collected_on_the_ui_thread_only(qtbot: Any) -> None:
    from bscp_desktop.ui.runtime.tasks import TaskRunner
    from bscp_desktop.ui.shell.app import make_app

    app = make_app()
    assert not gc.isenabled()  # the UI-thread collector has taken over
    runner = TaskRunner()
    destroyed_on: list[str] = []
    for _ in range(40):
        dialog = WatchedDialog(destroyed_on)
        QLabel("A closed dialog", dialog)
        dialog.cycle = dialog  # type: ignore[attr-defined]  # reachable only from itself: cyclic garbage
        del dialog
    for _ in range(20):  # workers allocate heavily: with automatic collection, they would collect the cycles
        runner.run(lambda _p: len([[i] for i in range(20_000)]), lambda _r: None)
    _drain(qtbot, runner)
    # nothing collected on a worker; the UI thread's timer may already have collected some while it waited
    assert set(destroyed_on) <= {threading.main_thread().name}
    kept = [[i] for i in range(5_000)]  # the UI's own allocations pass the collector's threshold
    qtbot.waitUntil(lambda: len(destroyed_on) == 40, timeout=30_000)  # the UI thread's timer collects them
    assert set(destroyed_on) == {threading.main_thread().name}
    assert isinstance(app, QApplication) and len(kept) == 5_000


def test_the_window_collects_cyclic_garbage_though_the_command_line_switched_automatic_collection_off(
        qtbot: Any) -> None:
    """``cli.run`` switches the automatic collector off for a command; a window it opens still collects, on the
    UI thread, once the collector's thresholds are passed (a leak over a working day otherwise)."""
    from bscp_desktop.ui.runtime.tasks import MainThreadCollector

    was_enabled = gc.isenabled()
    gc.disable()  # as run() leaves it
    seen: list[str] = []
    collector = MainThreadCollector()
    # Thresholds every tick passes in every generation: the cycle is freed whichever generation it has aged into
    # (another collector may have looked at it while it was still referenced).
    collector.threshold = (0, -1, -1)
    try:
        cycle: list[Any] = [Watched(seen)]
        cycle.append(cycle)  # held only by itself: freed by the cycle collector alone
        del cycle
        qtbot.waitUntil(lambda: seen == [threading.current_thread().name], timeout=5_000)
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()
