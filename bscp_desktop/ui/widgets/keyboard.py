"""Working by keyboard alone, the same in every window: a table or list is one Tab stop (arrow keys move inside
it, Enter opens the row), and the widget with the focus is ringed by a 2-pixel outline in the highlight colour,
drawn by one focus frame that follows the focus. ``install_keyboard_policy`` sets both up for the application.

The window's start installs it once the window is shown (``catch_up`` then sets the views already shown): an
application-wide event filter runs for every event, and the ten thousand a window makes while it is built cost
its first paint some 30 ms.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFocusFrame,
    QHeaderView,
    QWidget,
)
from shiboken6 import isValid

OUTLINE = 2  # pixels


class FocusOutline(QFocusFrame):
    """A 2-pixel outline around the widget with the focus (painted outside the widget, over its neighbours'
    margins, so no layout moves when the focus does)."""

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), OUTLINE)
        painter.setPen(pen)
        half = OUTLINE / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)
        painter.end()

    def follow(self, widget: QWidget | None) -> None:
        """Ring ``widget`` (nothing for a window, a popup or no widget)."""
        if widget is None or widget.isWindow() or isinstance(widget.window(), QComboBox) or \
                widget.window().windowType() == Qt.WindowType.Popup:
            self.setWidget(None)  # type: ignore[arg-type]  # Qt takes None: ring nothing
            self.hide()
            return
        self.setWidget(widget)
        self.show()


class KeyboardPolicy(QObject):
    """Makes every item view one Tab stop as it is first shown, whoever made it, and moves the focus outline to
    the widget that takes the focus."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._outline: FocusOutline | None = None
        app.installEventFilter(self)
        app.focusChanged.connect(self._focus_changed)

    @property
    def outline(self) -> FocusOutline:
        """The outline (a new one when the window that last held it has gone, taking it along)."""
        if self._outline is None or not isValid(self._outline):
            self._outline = FocusOutline()
            self._outline.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return self._outline

    def catch_up(self) -> None:
        """Apply the policy to what was shown before it was installed: every item view made so far, and the
        outline to the widget with the focus."""
        for widget in QApplication.allWidgets():
            if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
                widget.setTabKeyNavigation(False)
        if (focus := QApplication.focusWidget()) is not None:
            self.outline.follow(focus)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self.outline.follow(new)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Polish and isinstance(obj, QAbstractItemView) \
                and not isinstance(obj, QHeaderView):
            obj.setTabKeyNavigation(False)
        return False


def install_keyboard_policy(app: QApplication) -> KeyboardPolicy:
    """Set the policy up once for ``app`` and return it."""
    existing = app.findChild(KeyboardPolicy)
    return existing if isinstance(existing, KeyboardPolicy) else KeyboardPolicy(app)
