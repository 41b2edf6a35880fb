"""Retention: the schedule's periods (a box on the Settings page, saved with the other settings) and the
Retention page: the records due for disposal review as of a date, disposing of one (its personal content is
deleted; what the statistics count is kept), legal holds placed and lifted, and the disposal log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import HoldReason, RecordClass, Role
from bscp_desktop.services import Op, Services
from bscp_desktop.services.partnership.settings import DEFAULT_RETENTION_YEARS, MAX_COPY_DAYS, MAX_RETENTION_YEARS
from bscp_desktop.services.trust.retention_schedule import (
    HOLDABLE,
    KEPT,
    NO_STATUTE,
    RETENTION_RULES,
    DisposalView,
    DueRecord,
    LegalHoldView,
)
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import FieldError, heading, hint, record_table
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.dates import uk
from bscp_desktop.util.words import counted


class RetentionScheduleBox(QGroupBox):
    """How long each class of record is kept, beside the suggested period and its basis; saved with the
    settings (``years()``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Retention schedule", parent)
        self.spins: dict[str, QSpinBox] = {}
        lay = QVBoxLayout(self)
        lay.addWidget(hint(f"{NO_STATUTE} Records due are listed on the Retention page.", self))
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, (record_class, rule) in enumerate(RETENTION_RULES.items()):
            spin = QSpinBox(self)
            spin.setRange(1, MAX_RETENTION_YEARS)
            spin.setSuffix(f" years after {rule.after}")
            spin.setAccessibleName(f"Retention: {record_class.label}")
            spin.setToolTip(rule.basis)
            self.spins[record_class.value] = spin
            grid.addWidget(QLabel(f"{record_class.label}:", self), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(hint(rule.basis, self), row, 2)
        self.copy_days = QSpinBox(self)
        self.copy_days.setRange(1, MAX_COPY_DAYS)
        self.copy_days.setSuffix(" days")
        self.copy_days.setAccessibleName("Program copies kept")
        row = len(RETENTION_RULES)
        grid.addWidget(QLabel("The program's copies of the register:", self), row, 0)
        grid.addWidget(self.copy_days, row, 1)
        grid.addWidget(hint("Copies made before an upgrade or a restore (daily copies: the last 14). A disposed "
                            "record can survive in them this long.", self), row, 2)
        lay.addLayout(grid)
        lay.addWidget(hint("Kept for good: " + "; ".join(KEPT) + ".", self))

    def show_years(self, years: dict[str, int]) -> None:
        """Show the periods in force."""
        for key, spin in self.spins.items():
            spin.setValue(years.get(key, DEFAULT_RETENTION_YEARS[key]))

    def years(self) -> dict[str, int]:
        """The periods as shown."""
        return {key: spin.value() for key, spin in self.spins.items()}


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], empty: str) -> None:
    """Rows into ``table``; one greyed line saying ``empty`` when there are none."""
    table.clearSelection()
    if not rows:
        table.setRowCount(1)
        table.setSpan(0, 0, 1, table.columnCount())
        item = QTableWidgetItem(empty)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        table.setItem(0, 0, item)
        return
    table.clearSpans()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


class RetentionPage(QWidget):
    """Due for disposal review, legal holds and the disposal log."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.due: list[DueRecord] = []
        self.holds: list[LegalHoldView] = []
        self.disposals: list[DisposalView] = []
        self.rules: list[str] = []
        self.dialog: FieldsDialog | None = None
        self.as_of = DateField("As of", self)
        self.as_of.set_value(ctx.as_of())
        self.rules_label = hint("", self)
        self.due_table = record_table(self, "Due for disposal review", ("Class of record", "Reference",
                                                                        "Retention from", "Due", "Legal hold"),
                                      4, (260, 130, 120, 100))
        self.dispose_button = ctx.writes(QPushButton("Dispose of selected…", self), needs=Role.ADMIN)
        self.hold_button = QPushButton("Place legal hold…", self)
        self.hold_button.setToolTip("Place a legal hold on any incident, archive request or review")
        ctx.writes(self.hold_button, needs=Role.ADMIN)
        self.holds_table = record_table(self, "Legal holds", ("Record", "Reason", "Details", "Placed by",
                                                              "Placed on", "Lifted"), 2, (130, 130, 0, 110, 100))
        self.lift_button = ctx.writes(QPushButton("Lift selected hold…", self), needs=Role.ADMIN)
        self.log_table = record_table(self, "Disposal log", ("Disposed on", "Class of record", "Reference",
                                                             "Rule applied", "Approved by"), 3, (100, 260, 130))
        self.problem = FieldError(self)
        self.summary = QLabel(self)
        self._lay_out()
        self.as_of.changed.connect(lambda _d: self.refresh())
        self.due_table.itemSelectionChanged.connect(self._selection_changed)
        self.holds_table.itemSelectionChanged.connect(self._selection_changed)
        self.dispose_button.clicked.connect(self.dispose_selected)
        self.hold_button.clicked.connect(self.place_legal_hold)
        self.lift_button.clicked.connect(self.lift_selected)
        ctx.bus.changed.connect(lambda ch: self.refresh() if ch.touches("incident", "request", "review",
                                                                        "settings") else None)
        self._selection_changed()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("As of:", self))
        top.addWidget(self.as_of)
        top.addWidget(self.summary, 1)
        due_buttons = QHBoxLayout()
        due_buttons.addWidget(self.dispose_button)
        due_buttons.addWidget(self.hold_button)
        due_buttons.addStretch(1)
        hold_buttons = QHBoxLayout()
        hold_buttons.addWidget(self.lift_button)
        hold_buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(heading("Retention", self))
        lay.addWidget(hint("Records whose retention period has ended, for an administrator to review. Disposing "
                           "of one deletes its personal content (pseudonym, narrative, names, addresses) and keeps "
                           "what the statistics count; the disposal log records it. A record under a legal hold "
                           "cannot be disposed of until the hold is lifted.", self))
        lay.addWidget(self.rules_label)
        lay.addLayout(top)
        lay.addWidget(self.due_table, 3)
        lay.addLayout(due_buttons)
        lay.addWidget(self.problem)
        lay.addWidget(heading("Legal holds", self, 1.1))
        lay.addWidget(self.holds_table, 2)
        lay.addLayout(hold_buttons)
        lay.addWidget(heading("Disposal log", self, 1.1))
        lay.addWidget(self.log_table, 2)

    # -- reading ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the due list, the holds and the log in the background."""
        as_of = self.as_of.value() or self.ctx.as_of()
        self.loading = True

        def read(svc: Services) -> tuple[list[DueRecord], list[LegalHoldView], list[DisposalView], list[str]]:
            r = svc.retention
            return r.due(as_of), r.holds(), r.disposals(), [r.rule_text(c) for c in RETENTION_RULES]
        self.ctx.ops.query(self, read, self._loaded, key="retention")

    def _loaded(self, got: tuple[list[DueRecord], list[LegalHoldView], list[DisposalView], list[str]]) -> None:
        self.due, self.holds, self.disposals, self.rules = got
        as_of = self.as_of.value() or self.ctx.as_of()
        self.rules_label.setText("Rules in force: " + "; ".join(self.rules) + " (Settings › Retention schedule).")
        held = sum(1 for d in self.due if d.held)
        self.summary.setText(f"{counted(len(self.due), 'record')} due for disposal review"
                             + (f", {held} under a legal hold" if held else ""))
        _fill(self.due_table, [(d.record_class.label, d.reference, uk(d.since), uk(d.due), d.hold or "—")
                               for d in self.due], f"No record is due for disposal review as of {uk(as_of)}.")
        _fill(self.holds_table, [(h.reference, h.reason.label, h.details or "—", h.placed_by,
                                  uk(h.placed_at.astimezone().date()),
                                  f"{uk(h.lifted_at.astimezone().date())} by {h.lifted_by}: {h.lift_reason}"
                                  if h.lifted_at else "Active") for h in self.holds],
              "There are no legal holds.")
        _fill(self.log_table, [(uk(d.disposed_at.astimezone().date()), d.record_class.label, d.reference, d.rule,
                                d.approved_by) for d in self.disposals], "No record has been disposed of.")
        self._selection_changed()
        self.loading = False

    def selected_due(self) -> DueRecord | None:
        """The due record whose row is selected."""
        rows = self.due_table.selectionModel().selectedRows()
        return self.due[rows[0].row()] if rows and rows[0].row() < len(self.due) else None

    def selected_hold(self) -> LegalHoldView | None:
        """The legal hold whose row is selected."""
        rows = self.holds_table.selectionModel().selectedRows()
        return self.holds[rows[0].row()] if rows and rows[0].row() < len(self.holds) else None

    def _selection_changed(self) -> None:
        due = self.selected_due()
        self.dispose_button.setEnabled(due is not None and not due.held)
        if self.ctx.can(Role.ADMIN):  # otherwise the tooltip says which role disposal needs
            self.dispose_button.setToolTip("This record is under a legal hold: lift the hold first"
                                           if due is not None and due.held else "")
        hold = self.selected_hold()
        self.lift_button.setEnabled(hold is not None and hold.active)

    # -- writing ---------------------------------------------------------------------------------------------
    def dispose_selected(self) -> None:
        """Dispose of the selected record, after the administrator confirms what will be deleted."""
        due = self.selected_due()
        if due is None:
            return
        self.problem.show_message(None)
        what = ("its pseudonym, notes, lead officer, closure reason and the Rapid Review's reasons and learning"
                if due.record_class is RecordClass.INCIDENT else
                "the requester's name, organisation, role, e-mail, purpose and notes, and the recipients in the "
                "disclosure log")
        if not errors.ask(self, "Dispose of record",
                          f"Dispose of {due.reference} ({due.record_class.label.lower()}, due {uk(due.due)} under "
                          f"“{due.rule}”)?\n\nThis deletes {what}. Its dates and the figures the statistics count "
                          "are kept, and the disposal log records that you approved it. It cannot be undone."):
            return
        self.ctx.ops.write(self, lambda svc: svc.retention.dispose(due.record_class, due.entity_id),
                           self._written)

    def place_legal_hold(self) -> FieldsDialog:
        """Ask for the record, the reason and the details of a legal hold (returned for tests)."""
        due = self.selected_due()
        specs = [Spec("Reference", "line", due.reference if due else "",
                      placeholder="an incident, archive request or review reference"),
                 Spec("Reason", "choice", HoldReason.INQUIRY, [(r.label, r) for r in HoldReason]),
                 Spec("Details", "text", placeholder="which inquiry, claim or request; who asked, and when")]

        def submit(values: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            ref, reason, details = str(values["Reference"]), HoldReason.of(values["Reason"]), str(values["Details"])

            def call(svc: Services) -> Op[LegalHoldView]:
                entity, entity_id, _ref = svc.retention.find(ref)
                return svc.retention.place_legal_hold(entity, entity_id, reason, details)
            return call
        dlg = FieldsDialog(self.ctx, "Place legal hold",
                           f"A legal hold on a record ({', '.join(HOLDABLE.values())}) stops it being disposed of "
                           "until the hold is lifted.", specs, submit, self._written, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def lift_selected(self) -> FieldsDialog | None:
        """Ask why the selected hold is lifted, then lift it (returned for tests)."""
        hold = self.selected_hold()
        if hold is None or not hold.active:
            return None

        def submit(values: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            reason = str(values["Reason for lifting"])
            return lambda svc: svc.retention.lift_legal_hold(hold.id, hold.version, reason)
        dlg = FieldsDialog(self.ctx, f"Lift the legal hold on {hold.reference}",
                           f"{hold.reason.label}{': ' + hold.details if hold.details else ''}. Placed by "
                           f"{hold.placed_by} on {uk(hold.placed_at.astimezone().date())}.",
                           [Spec("Reason for lifting", "text", placeholder="the inquiry reported, the claim settled")],
                           submit, self._written, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def _written(self, _op: Op[Any]) -> None:
        self.refresh()
