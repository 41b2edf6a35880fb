"""What every page and form shares: the services, the background runner, the change bus and the "as of" date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from bscp_desktop.services import Changes, Op, Services
from bscp_desktop.ui.tasks import TaskRunner
from bscp_desktop.ui.write_guard import guard_write


class ChangeBus(QObject):
    """One signal for every write: pages decide from the ``Changes`` whether to refresh."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        """Tell every page what a write changed."""
        if changes:
            self.changed.emit(changes)


class AppContext(QObject):
    """The application's shared state. Lives on the UI thread.

    Every few seconds it asks the database, off the UI thread, whether other users have saved anything, and
    broadcasts what they changed on the same bus as local writes, so colleagues' work appears by itself.
    """

    POLL_MS = 3000

    def __init__(self, svc: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.write_refusal: str | None = (
            "This register is open read-only: it can be read, printed and exported, not changed"
            if svc.db.read_only else None)
        self.runner = TaskRunner(self)
        self.bus = ChangeBus(self)
        self._seen: int | None = None
        self._polling = False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(self.POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()

    def poll(self) -> None:
        """Check for other users' changes (background; at most one check at a time)."""
        if self._polling:
            return
        self._polling = True
        since = self._seen
        self.runner.run(lambda _p: self.svc.others_changes(since), self._polled, self._poll_failed)

    def _polled(self, got: tuple[int, Changes]) -> None:
        self._polling = False
        self._seen, changes = got
        self.bus.publish(changes)

    def _poll_failed(self, _exc: BaseException) -> None:
        self._polling = False  # the server may be away for a moment: the next poll tries again

    def applied(self, then: Callable[[], object] | None = None) -> Callable[[Op[Any]], None]:
        """The callback for a finished write: broadcast what it changed, then run ``then`` (a refresh)."""
        def done(op: Op[Any]) -> None:
            self.bus.publish(op.changes)
            if then is not None:
                then()
        return done

    def writes[C: (QWidget | QAction)](self, control: C) -> C:
        """Mark a control that changes the register; disabled, with the reason, when writing is refused."""
        return guard_write(control, self.write_refusal)

    def as_of(self) -> dt.date:
        """The date clocks are shown as of: today."""
        return self.svc.today()
