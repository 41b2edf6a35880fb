"""The settings page's calendar: the office closure days the clocks skip, with adding and removing them, and
the bank holidays of a chosen year."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Op, ValidationError
from bscp_desktop.services.partnership.settings import ClosureView
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.dates import uk


class CalendarParts:
    """The closure days and bank holidays of the settings page (a mixin of ``SettingsPage``, which gives the
    context and the closure days read)."""

    ctx: AppContext
    closures: list[ClosureView]  # the closure days shown, in the table's order

    def as_widget(self) -> QWidget:
        """The page itself, as the parent of the dialogs these parts open."""
        assert isinstance(self, QWidget)
        return self

    def _closures_box(self) -> QGroupBox:
        """The closure days the clocks skip, with adding and removing."""
        self.closure_table = QTableWidget(0, 2, self.as_widget())
        self.closure_table.setAccessibleName("Closure days")
        self.closure_table.setHorizontalHeaderLabels(("Date", "Description"))
        self.closure_table.verticalHeader().setVisible(False)
        self.closure_table.horizontalHeader().setStretchLastSection(True)
        self.closure_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.closure_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.closure_date = DateField("Closure date", self.as_widget())
        self.closure_desc = QLineEdit(self.as_widget())
        self.closure_desc.setPlaceholderText("Office closed")
        self.closure_desc.setAccessibleName("Closure description")
        self.closure_desc.setMinimumWidth(160)
        self.add_closure_button = self.ctx.writes(QPushButton("Add", self.as_widget()), needs=Role.ADMIN)
        self.remove_closure_button = self.ctx.writes(QPushButton("Remove selected", self.as_widget()), needs=Role.ADMIN)
        self.closure_error = FieldError(self.as_widget())
        cbox = QGroupBox("Closure days", self.as_widget())
        cl = QVBoxLayout(cbox)
        cl.addWidget(self.closure_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.closure_date)
        row.addWidget(self.closure_desc, 1)
        row.addWidget(self.add_closure_button)
        row.addWidget(self.remove_closure_button)
        cl.addLayout(row)
        cl.addWidget(self.closure_error)
        self.add_closure_button.clicked.connect(self.add_closure)
        self.remove_closure_button.clicked.connect(self.remove_closure)
        return cbox

    def _holidays_box(self) -> QGroupBox:
        """The England and Wales bank holidays of a chosen year."""
        self.year = QSpinBox(self.as_widget())
        self.year.setRange(1990, 2080)
        self.year.setValue(self.ctx.as_of().year)
        self.year.setAccessibleName("Bank holiday year")
        self.holidays = QTableWidget(0, 2, self.as_widget())
        self.holidays.setAccessibleName("Bank holidays")
        self.holidays.setHorizontalHeaderLabels(("Date", "Bank holiday"))
        self.holidays.verticalHeader().setVisible(False)
        self.holidays.horizontalHeader().setStretchLastSection(True)
        self.holidays.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.holidays.setColumnWidth(0, 130)
        self.holidays.setMinimumHeight(260)
        self.closure_table.setMinimumHeight(150)
        hbox = QGroupBox("England && Wales bank holidays", self.as_widget())
        hl = QVBoxLayout(hbox)
        yr = QHBoxLayout()
        yr.addWidget(QLabel("Year:", self.as_widget()))
        yr.addWidget(self.year)
        yr.addStretch(1)
        hl.addLayout(yr)
        hl.addWidget(self.holidays, 1)
        self.year.valueChanged.connect(self.show_holidays)
        return hbox

    def show_holidays(self) -> None:
        """List the bank holidays of the chosen year."""
        days = self.ctx.calendar.holidays_in(self.year.value())
        self.holidays.setRowCount(len(days))
        for r, d in enumerate(days):
            self.holidays.setItem(r, 0, QTableWidgetItem(f"{d.date:%a} {uk(d.date)}"))
            self.holidays.setItem(r, 1, QTableWidgetItem(d.reason))

    def add_closure(self) -> None:
        """Add the typed closure day."""
        self.closure_error.show_message(None)
        d = self.closure_date.value()
        if d is None:
            self.closure_error.show_message(f"Closure date: {self.closure_date.error() or 'is required'}")
            return
        desc = self.closure_desc.text()
        self.ctx.ops.write(self.as_widget(), lambda svc: svc.settings.add_closure(d, desc), self._closure_done,
                           on_invalid=self._closure_refused)

    def remove_closure(self) -> None:
        """Remove the selected closure day."""
        rows = self.closure_table.selectionModel().selectedRows()
        if not rows:
            self.closure_error.show_message("Select the closure day to remove.")
            return
        c = self.closures[rows[0].row()]
        self.ctx.ops.write(self.as_widget(), lambda svc: svc.settings.remove_closure(c.id, c.version), self._closure_done,
                           on_invalid=self._closure_refused)

    def _closure_done(self, _op: Op[Any]) -> None:
        self.closure_date.set_value(None)
        self.closure_desc.clear()

    def _closure_refused(self, exc: ValidationError) -> None:
        self.closure_error.show_message(str(exc))
