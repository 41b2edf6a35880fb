"""Background work: database and PDF work run on a thread pool, never on the UI thread.

A task is a plain function ``fn(progress)`` where ``progress(fraction, message)`` reports progress and raises
``Aborted`` once the user has cancelled. Results and errors come back on the UI thread through queued
signals. Widgets are never touched from a worker.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[float, str], None]


class Aborted(Exception):
    """The user cancelled the task."""


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, float, str)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[Progress], Any], signals: _Signals, abort: threading.Event) -> None:
        super().__init__()
        self.job_id, self.fn, self.signals, self.abort = job_id, fn, signals, abort

    def run(self) -> None:
        def progress(fraction: float, message: str) -> None:
            if self.abort.is_set():
                raise Aborted()
            self.signals.progress.emit(self.job_id, fraction, message)

        try:
            result = self.fn(progress)
        except BaseException as e:  # noqa: BLE001 - delivered to the UI thread, which decides
            self.signals.failed.emit(self.job_id, e)
        else:
            self.signals.done.emit(self.job_id, result)


class TaskRunner(QObject):
    """Runs tasks on a thread pool and calls back on the UI thread. ``busy`` is True while any task runs."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._signals = _Signals()
        self._signals.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[Callable[[Any], object], Callable[[BaseException], object] | None,
                                    QProgressDialog | None, threading.Event]] = {}

    @property
    def busy(self) -> bool:
        """True while any task is running or its result is waiting to be delivered."""
        return bool(self._jobs)

    def run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], object],
            on_error: Callable[[BaseException], object] | None = None, *, title: str | None = None,
            parent: QWidget | None = None) -> int:
        """Start ``fn`` in the background; with ``title``, show a cancellable progress dialog over ``parent``."""
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
        was_busy = self.busy
        self._jobs[job_id] = (on_done, on_error, dialog, abort)
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(_Job(job_id, fn, self._signals, abort))
        return job_id

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the pool is idle (for start-up, self-test and tests); results still arrive by events."""
        return self.pool.waitForDone(timeout_ms)

    @Slot(int, float, str)
    def _progress(self, job_id: int, fraction: float, message: str) -> None:
        job = self._jobs.get(job_id)
        if job and job[2] is not None:
            job[2].setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            job[2].setLabelText(message)

    @Slot(int, object)
    def _done(self, job_id: int, result: Any) -> None:
        on_done, *_ = self._finish(job_id)
        on_done(result)

    @Slot(int, object)
    def _failed(self, job_id: int, exc: BaseException) -> None:
        _, on_error, dialog, _ = self._finish(job_id)
        if isinstance(exc, Aborted):
            return
        if on_error is not None:
            on_error(exc)
        else:
            from bscp_desktop.ui.errors import show_error

            show_error(dialog.parentWidget() if dialog else None, exc)

    def _finish(self, job_id: int) -> tuple[Any, Any, Any, Any]:
        job = self._jobs.pop(job_id)
        if job[2] is not None:
            job[2].close()
            job[2].deleteLater()
        if not self._jobs:
            self.busy_changed.emit(False)
        return job
