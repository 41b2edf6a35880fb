"""Background work: database and PDF work run on a thread pool, never on the UI thread.

A task is a plain function ``fn(progress)`` where ``progress(fraction, message)`` reports progress and raises
``Aborted`` once the user has cancelled. Results and errors come back on the UI thread through queued
signals. Widgets are never touched from a worker.

Object lifetimes across threads (the cause of a rare native crash, fixed here): a Python object that owns a Qt
object must be released on the UI thread, or Qt destroys the object on a pool thread, where it may not.
Two things used to release such objects on a pool thread:

- the job: ``QThreadPool`` deletes an auto-deleting ``QRunnable`` on the worker thread as soon as ``run``
  returns, and the job held the task's closure (pages, forms, dialogs), its result and its exception's
  traceback; when the UI had already dropped its own references, the last one went on the worker;
- Python's cycle collector, which runs in whichever thread happens to allocate, so cyclic garbage holding a
  closed dialog or a page's connected lambdas was collected, and its widgets destroyed, on a worker.

So the job a worker runs holds only its number: the task, its callbacks and its outcome are kept by the runner
on the UI thread, which releases them after delivery. ``MainThreadCollector`` moves the cycle collector to the
UI thread.
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

Progress = Callable[[float, str], None]


class Aborted(Exception):
    """The user cancelled the task."""


class _Signals(QObject):
    """Signals emitted from workers, delivered on the UI thread. They carry numbers only, never objects."""

    finished = Signal(int)
    progress = Signal(int, float, str)


class _Inbox:
    """What workers and the UI thread share: each task's function (kept by the UI thread until delivery) and
    each finished task's outcome. Plain Python, long-lived; guarded by a lock."""

    def __init__(self, signals: _Signals) -> None:
        self.signals = signals
        self.lock = threading.Lock()
        self.tasks: dict[int, tuple[Callable[[Progress], Any], threading.Event]] = {}
        self.outcomes: dict[int, tuple[Any, BaseException | None]] = {}


class _Job(QRunnable):
    """One task, as a worker sees it: its number and the inbox, nothing that owns a Qt object, so that Qt may
    delete it on the worker thread."""

    def __init__(self, job_id: int, inbox: _Inbox) -> None:
        super().__init__()
        self.job_id, self.inbox = job_id, inbox

    def run(self) -> None:
        inbox, job_id = self.inbox, self.job_id
        with inbox.lock:
            fn, abort = inbox.tasks[job_id]

        def progress(fraction: float, message: str) -> None:
            if abort.is_set():
                raise Aborted()
            inbox.signals.progress.emit(job_id, fraction, message)

        result: Any = None
        error: BaseException | None = None
        try:
            result = fn(progress)
        except BaseException as e:  # noqa: BLE001 - delivered to the UI thread, which decides
            error = e
        del fn  # the UI thread still holds the task: this is never the last reference
        with inbox.lock:
            inbox.outcomes[job_id] = (result, error)
        del result, error
        inbox.signals.finished.emit(job_id)


@dataclass
class _Pending:
    """A task started and not yet delivered: what to do with its outcome."""

    on_done: Callable[[Any], object]
    on_error: Callable[[BaseException], object] | None
    dialog: QProgressDialog | None
    abort: threading.Event


class TaskRunner(QObject):
    """Runs tasks on a thread pool and calls back on the UI thread. ``busy`` is True while any task runs."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._inbox = _Inbox(self._signals)

    @property
    def busy(self) -> bool:
        """True while any task is running or its result is waiting to be delivered."""
        return bool(self._pending)

    def run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], object],
            on_error: Callable[[BaseException], object] | None = None, *, title: str | None = None,
            parent: QWidget | None = None, cancellable: bool = True) -> int:
        """Start ``fn`` in the background; with ``title``, show a progress dialog over ``parent`` (with a Cancel
        button unless the work must not stop half-way)."""
        job_id = next(self._ids)
        abort = threading.Event()
        dialog = None
        if title:
            dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(abort.set)
            if not cancellable:
                dialog.setCancelButton(None)
        was_busy = self.busy
        self._pending[job_id] = _Pending(on_done, on_error, dialog, abort)
        with self._inbox.lock:
            self._inbox.tasks[job_id] = (fn, abort)
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(_Job(job_id, self._inbox))
        return job_id

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the pool is idle (for start-up, self-test and tests); results still arrive by events."""
        return self.pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """At window close: stop what has not started, wait for what runs, and drop undelivered results here,
        on the UI thread."""
        for pending in self._pending.values():
            pending.abort.set()
        self.pool.clear()
        self.pool.waitForDone(timeout_ms)
        for job_id in list(self._pending):
            self._finish(job_id)
        with self._inbox.lock:
            left = list(self._inbox.outcomes.values())
            self._inbox.outcomes.clear()
        del left

    @Slot(int, float, str)
    def _progress(self, job_id: int, fraction: float, message: str) -> None:
        pending = self._pending.get(job_id)
        if pending and pending.dialog is not None:
            pending.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            pending.dialog.setLabelText(message)

    @Slot(int)
    def _finished(self, job_id: int) -> None:
        pending = self._finish(job_id)
        if pending is None:
            return
        with self._inbox.lock:
            result, error = self._inbox.outcomes.pop(job_id, (None, None))
        if error is None:
            pending.on_done(result)
        elif isinstance(error, Aborted):
            return
        elif pending.on_error is not None:
            pending.on_error(error)
        else:
            from bscp_desktop.ui.runtime.errors import show_error

            show_error(pending.dialog.parentWidget() if pending.dialog else None, error)

    def _finish(self, job_id: int) -> _Pending | None:
        """Forget a task here, on the UI thread: its function, callbacks and progress dialog."""
        with self._inbox.lock:
            task = self._inbox.tasks.pop(job_id, None)
        del task
        pending = self._pending.pop(job_id, None)
        if pending is None:
            return None
        if pending.dialog is not None:
            pending.dialog.close()
            pending.dialog.deleteLater()
        if not self._pending:
            self.busy_changed.emit(False)
        return pending


class MainThreadCollector(QObject):
    """Runs Python's cycle collector on the UI thread only.

    Automatic collection is switched off, and a timer on the UI thread collects whenever the collector's own
    thresholds say it would have, so no Qt object held in cyclic garbage is ever destroyed on a worker.
    """

    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts have passed their thresholds (as the automatic collector
        would)."""
        counts = gc.get_count()
        if counts[0] <= self.threshold[0]:
            return
        generation = 0
        if counts[1] > self.threshold[1]:
            generation = 1
            if counts[2] > self.threshold[2]:
                generation = 2
        gc.collect(generation)


_collector: MainThreadCollector | None = None


def install_main_thread_collector(app: QApplication) -> MainThreadCollector:
    """Install the UI-thread collector once per application (see ``MainThreadCollector``)."""
    global _collector
    if _collector is None:
        _collector = MainThreadCollector(app)
    return _collector
