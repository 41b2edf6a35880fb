"""Tools menu windows: the deadline calculator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.rules import RULES, Unit, due_date
from bscp_desktop.domain.working_days import OutOfRange
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import heading, hint
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.dates import uk, uk_long
from bscp_desktop.util.words import counted


class DeadlineCalculator(QDialog):
    """Pick a rule and a start date; see the due date and every non-working day it skipped."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Deadline calculator")
        self.resize(560, 520)
        self.rule = QComboBox(self)
        self.rule.setAccessibleName("Rule")
        for r in RULES.values():
            self.rule.addItem(r.label, r.id)
        self.start = DateField("Start date", self)
        self.start.set_value(ctx.as_of())
        self.amount = QSpinBox(self)
        self.amount.setAccessibleName("Amount")
        self.amount.setRange(1, 60)
        self.starts = hint("", self)
        self.result_label = heading("", self, 1.2)
        self.result_label.setAccessibleName("Due date")
        self.result_label.setWordWrap(True)
        self.skipped_label = QLabel(self)
        self.skipped = QListWidget(self)
        self.skipped.setAccessibleName("Non-working days skipped")
        form = QFormLayout()
        form.addRow("Rule:", self.rule)
        form.addRow("", self.starts)
        form.addRow("Start date:", self.start)
        form.addRow("Amount:", self.amount)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.result_label)
        lay.addWidget(self.skipped_label)
        lay.addWidget(self.skipped, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.start.changed.connect(lambda _d: self.compute())
        self.amount.valueChanged.connect(lambda _v: self.compute())
        self._rule_changed()

    def _rule_changed(self) -> None:
        rule = RULES[self.rule.currentData()]
        self.amount.blockSignals(True)
        self.amount.setRange(1, rule.max_amount)
        self.amount.setSuffix(f" {rule.unit.value}")
        self.amount.setValue(self.ctx.settings.amount(rule.id))
        self.amount.blockSignals(False)
        self.starts.setText(f"Starts at the {rule.starts}; {rule.describe()} by default ({rule.basis}).")
        self.compute()

    def compute(self) -> None:
        """Show the due date for the chosen rule, start and amount."""
        rule = RULES[self.rule.currentData()]
        d = self.start.value()
        self.skipped.clear()
        if d is None:
            self.result_label.setText(f"Start date: {self.start.error() or 'enter a date'}")
            self.skipped_label.setText("")
            return
        cal = self.ctx.calendar
        try:
            due = due_date(rule, d, cal, self.amount.value())
        except OutOfRange as e:
            self.result_label.setText(str(e))
            return
        verb = "Last day to send" if rule.before else "Due"
        self.result_label.setText(f"{verb}: {uk_long(due)}")
        if rule.unit is Unit.WORKING_DAYS:
            days = cal.skipped(d, due)
            self.skipped_label.setText(f"{counted(len(days), 'non-working day')} skipped "
                                       f"between {uk(min(d, due))} and {uk(max(d, due))}:")
            for nd in days:
                self.skipped.addItem(f"{nd.date:%a} {uk(nd.date)} — {nd.reason}")
        else:
            self.skipped_label.setText("Calendar months and years: the same day of the month, or the month's last "
                                       "day when it is shorter.")
