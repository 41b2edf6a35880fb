"""Privacy on an unattended PC: after some idle minutes (a setting of this PC, 10 by default, 0 for never) the
window shows only a lock panel, every record form and dialog is hidden, and the menus and toolbar go, so a
shared or unattended screen shows no child's data. A register opened with a passphrase asks for it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.ui.widgets.common import FieldError, heading
from bscp_desktop.util.machine_config import MAX_LOCK_MINUTES, Resolved, locked, resolve

LOCK_SETTING = "privacy/lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10
_ACTIVITY = frozenset({QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress,
                       QEvent.Type.Wheel, QEvent.Type.TouchBegin})


def lock_minutes() -> int:
    """The idle minutes after which the window locks on this PC (0: never)."""
    return lock_minutes_setting().value


def lock_minutes_setting() -> Resolved:
    """The idle minutes before the window locks and where they came from: the user's own choice in Settings,
    unless IT set (or locked) them for this PC (``util.machine_config``)."""
    own = None
    if QSettings().contains(LOCK_SETTING):
        try:
            own = max(0, min(MAX_LOCK_MINUTES, int(QSettings().value(LOCK_SETTING))))
        except (TypeError, ValueError):
            own = None
    return resolve("privacy.lock_minutes", DEFAULT_LOCK_MINUTES, user=own)


def set_lock_minutes(minutes: int) -> None:
    """Keep this PC's idle minutes before the window locks (refused where IT locked them: nothing is kept)."""
    if not locked("privacy.lock_minutes"):
        QSettings().setValue(LOCK_SETTING, max(0, min(MAX_LOCK_MINUTES, minutes)))


class LockPanel(QWidget):
    """What a locked window shows: that it is locked, since when, and how to come back."""

    def __init__(self, needs_passphrase: bool, unlock: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unlock = unlock
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading("The register is locked", self, 1.6), 0, Qt.AlignmentFlag.AlignHCenter)
        self.since = QLabel(self)
        self.since.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.since)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("The register's passphrase")
        self.passphrase.setFixedWidth(360)
        self.passphrase.setVisible(needs_passphrase)
        self.passphrase.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.passphrase, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error = FieldError(self)
        self.error.setWordWrap(False)
        layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton("Unlock" if needs_passphrase else "Continue working", self)
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def shown_at(self, minutes: int) -> None:
        """Say since when the window is locked, and clear what was typed."""
        self.since.setText(f"Locked at {dt.datetime.now():%H:%M} after {minutes} minute{'s' if minutes != 1 else ''} "
                           "without use, so that nobody passing sees a child's details.")
        self.passphrase.clear()
        self.error.show_message(None)

    def try_unlock(self) -> None:
        """Unlock when the passphrase (if one is needed) is right; say so when it is not."""
        if self._unlock(self.passphrase.text()):
            return
        self.passphrase.clear()
        self.error.show_message("Passphrase: that is not the register's passphrase")


class ScreenLock(QStackedWidget):
    """The window's central area: the work, or the lock panel in its place once the user has been idle."""

    def __init__(self, window: QMainWindow, work: QWidget, needs_passphrase: bool,
                 passphrase_matches: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.window_ = window
        self._matches = passphrase_matches
        self.needs_passphrase = needs_passphrase
        self.addWidget(work)
        self.panel = LockPanel(needs_passphrase, self._unlock_with, self)
        self.addWidget(self.panel)
        self._hidden: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.minutes = 0
        self.set_minutes(lock_minutes())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        """True while the lock panel is shown."""
        return self.currentWidget() is self.panel

    def set_minutes(self, minutes: int) -> None:
        """Lock after ``minutes`` idle minutes from now on (0: never)."""
        self.minutes = minutes
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _ACTIVITY and self.minutes > 0 and not self.locked:
            self.timer.start(self.minutes * 60_000)
        return False

    def lock(self) -> None:
        """Show only the lock panel: hide every other window of the program, the menus and the toolbar."""
        if self.locked:
            return
        others = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.window_]
        bars = [w for w in (self.window_.menuBar(), *self.window_.findChildren(QToolBar)) if w.isVisible()]
        self._hidden = [*others, *bars]
        for w in self._hidden:
            w.hide()
        self.panel.shown_at(self.minutes)
        self.setCurrentWidget(self.panel)
        (self.panel.passphrase if self.needs_passphrase else self.panel.button).setFocus()

    def _unlock_with(self, passphrase: str) -> bool:
        if self.needs_passphrase and not self._matches(passphrase):
            return False
        self.setCurrentIndex(0)
        for w in self._hidden:
            w.show()
        self._hidden = []
        if self.minutes > 0:
            self.timer.start(self.minutes * 60_000)
        return True
