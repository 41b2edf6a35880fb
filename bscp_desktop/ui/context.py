"""What every page and form shares: the services, the background runner, the change bus and the "as of" date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal

from bscp_desktop.services import Changes, Services
from bscp_desktop.ui.tasks import TaskRunner


class ChangeBus(QObject):
    """One signal for every write: pages decide from the ``Changes`` whether to refresh."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        """Tell every page what a write changed."""
        if changes:
            self.changed.emit(changes)


class AppContext(QObject):
    """The application's shared state. Lives on the UI thread."""

    def __init__(self, svc: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.runner = TaskRunner(self)
        self.bus = ChangeBus(self)

    def as_of(self) -> dt.date:
        """The date clocks are shown as of: today."""
        return self.svc.today()
