"""``DateField``: a UK date editor (DD/MM/YYYY, ISO accepted too) that may be left empty, with a calendar pop-up
and a clear message for text that is not a date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from bscp_desktop.util.dates import parse_date, uk
from bscp_desktop.util.resources import resources_dir


class DateField(QWidget):
    """A date or nothing. ``changed`` carries the date (or None) whenever the text becomes a valid state;
    ``error()`` says what is wrong with text that is not a date."""

    changed = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None, required: bool = False) -> None:
        super().__init__(parent)
        self.name = name
        self.required = required
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("DD/MM/YYYY")
        self.edit.setAccessibleName(name)
        self.edit.setMaxLength(10)
        self.edit.setMinimumWidth(110)
        self.button = QToolButton(self)
        self.button.setIcon(QIcon(str(resources_dir() / "icons" / "calendar.svg")))
        self.button.setToolTip(f"Choose {name.lower()} from a calendar")
        self.button.setAccessibleName(f"Calendar for {name}")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; Space opens the calendar
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._text_changed)
        self.button.clicked.connect(self.show_calendar)
        self._calendar: QCalendarWidget | None = None

    def set_read_only(self) -> None:
        """Let the date be read and copied, not changed: the text is read-only and the calendar button off."""
        self.edit.setReadOnly(True)
        self.button.setEnabled(False)

    def value(self) -> dt.date | None:
        """The date, or None when empty or not a date (see ``error``)."""
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            return None

    def error(self) -> str | None:
        """Why the text is not acceptable (not a date, or empty when required), or None."""
        text = self.edit.text().strip()
        if not text:
            return "is required" if self.required else None
        try:
            parse_date(text)
        except ValueError as e:
            return str(e)
        return None

    def set_value(self, d: dt.date | None) -> None:
        """Show ``d`` (or nothing) in UK form."""
        self.edit.setText(uk(d))

    def text(self) -> str:
        """The text as typed."""
        return self.edit.text()

    def _text_changed(self, _text: str) -> None:
        if self.error() is None or not self.edit.text().strip():
            self.changed.emit(self.value())
        else:
            self.changed.emit(None)

    def show_calendar(self) -> None:
        """Pop up a calendar below the field; picking a day fills it in."""
        cal = QCalendarWidget()
        cal.setWindowFlags(Qt.WindowType.Popup)
        cal.setGridVisible(True)
        cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        current = self.value() or dt.date.today()
        cal.setSelectedDate(QDate(current.year, current.month, current.day))
        cal.clicked.connect(self._picked)
        cal.activated.connect(self._picked)
        cal.move(self.mapToGlobal(self.rect().bottomLeft()))
        cal.show()
        cal.setFocus(Qt.FocusReason.PopupFocusReason)  # arrows move the day, Enter picks it, Escape closes
        self._calendar = cal

    def _picked(self, qd: QDate) -> None:
        self.set_value(dt.date(qd.year(), qd.month(), qd.day()))
        if self._calendar is not None:
            self._calendar.close()
            self._calendar = None
        self.edit.setFocus()
