"""The parallel proceedings on the incident form: the police investigation, the coroner and inquest, the child
death review and family proceedings, each with where it stands and its date. Recorded once here; the Rapid
Review report lists them and commissioning a review offers to hold its publication for those still running.
Each button opens a small dialog whose write goes through the ops layer; ``done`` carries the result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from bscp_desktop.domain.rapid_review import ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import Stage
from bscp_desktop.services.incidents.proceedings import ProceedingInput
from bscp_desktop.services.incidents.views import IncidentView, ProceedingView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import hint, record_table
from bscp_desktop.util.dates import uk


class ProceedingsBox(QGroupBox):
    """An incident's parallel proceedings, with buttons to record, change and remove them."""

    done = Signal(object)  # the Op of a write

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Parallel proceedings", parent)
        self.ctx = ctx
        self.view: IncidentView | None = None
        self.dialog: FieldsDialog | None = None
        self.intro = hint("Police, coroner, child death review and family proceedings running beside the reviews. "
                          "When a review is commissioned, those still running can hold its publication.", self)
        self.table = record_table(self, "Parallel proceedings", ("Proceeding", "State", "Date", "Note"), 3,
                                  (150, 90, 130, 180))
        self.add_button = ctx.writes(QPushButton("Record proceeding…", self))
        self.change_button = ctx.writes(QPushButton("Change…", self))
        self.remove_button = ctx.writes(QPushButton("Remove", self))
        self.add_button.clicked.connect(lambda: self.record())
        self.change_button.clicked.connect(lambda: self.change())
        self.remove_button.clicked.connect(lambda: self.remove())
        self.table.doubleClicked.connect(lambda _i: self.change())
        row = QHBoxLayout()
        for b in (self.add_button, self.change_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        self.none_yet = hint("None recorded yet.", self)
        self.none_yet.setAccessibleName("No parallel proceedings")
        lay.addWidget(self.intro)
        lay.addWidget(self.table)
        lay.addWidget(self.none_yet)
        lay.addLayout(row)
        self.setVisible(False)

    def show_incident(self, view: IncidentView) -> None:
        """Show ``view``'s proceedings (the box is for a saved incident)."""
        self.view = view
        self.setVisible(True)
        rows = view.proceedings
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            when = f"{p.state.date_label} {uk(p.state_date)}" if p.state_date else "—"
            for c, text in enumerate((p.kind.label, p.state.label, when, p.note or "—")):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
                                  + max(len(rows), 1) * self.table.verticalHeader().defaultSectionSize() + 2)
        self.table.setVisible(bool(rows))
        self.none_yet.setVisible(not rows)
        is_open = view.stage != Stage.CLOSED
        self.add_button.setVisible(is_open and len(rows) < len(ProceedingKind))
        self.change_button.setVisible(is_open and bool(rows))
        self.remove_button.setVisible(is_open and bool(rows))

    def _selected(self) -> ProceedingView | None:
        assert self.view is not None
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.view.proceedings[rows[0].row()]
        return self.view.proceedings[0] if len(self.view.proceedings) == 1 else None

    def _dialog(self, existing: ProceedingView | None) -> FieldsDialog:
        assert self.view is not None
        vid = self.view.id
        recorded = {p.kind for p in self.view.proceedings}
        kinds = [k for k in ProceedingKind if k not in recorded] if existing is None else [existing.kind]
        specs = [Spec("Proceeding", "choice", kinds[0] if kinds else None, [(k.label, k.value) for k in kinds]),
                 Spec("State", "choice", existing.state if existing else ProceedingState.UNDER_WAY,
                      [(s.label, s.value) for s in ProceedingState], preview=self._date_meaning),
                 Spec("Date", "date", existing.state_date if existing else self.ctx.as_of()),
                 Spec("Note", "text", existing.note if existing else "",
                      placeholder="e.g. the officer in the case, the hearing listed, what the family was told")]
        version = existing.version if existing else None

        def submit(x: dict[str, Any]) -> Any:
            data = ProceedingInput(ProceedingKind.of(x["Proceeding"]), ProceedingState.of(x["State"]), x["Date"],
                                   x["Note"])
            return lambda svc: svc.proceedings.record(vid, data, version)
        title = "Change proceeding" if existing else "Record proceeding"
        dlg = FieldsDialog(self.ctx, f"{title} — {self.view.local_ref}", "Where the proceeding stands. The date is "
                           "when it is expected to start, when it started, or when it concluded.", specs, submit,
                           self.done.emit, lambda: None, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    @staticmethod
    def _date_meaning(state: Any) -> str:
        try:
            s = ProceedingState.of(state)
        except ValueError:
            return ""
        return {ProceedingState.EXPECTED: "Date: when it is expected to start (may be left blank)",
                ProceedingState.UNDER_WAY: "Date: when it started (required)",
                ProceedingState.CONCLUDED: "Date: when it concluded (required)"}.get(s, "Date: may be left blank")

    def record(self) -> FieldsDialog:
        """The dialog to record a proceeding not yet recorded (returned for tests)."""
        return self._dialog(None)

    def change(self) -> FieldsDialog | None:
        """The dialog to change the selected proceeding (returned for tests)."""
        p = self._selected()
        return self._dialog(p) if p is not None else None

    def remove(self) -> None:
        """Remove the selected proceeding, recorded in error."""
        p = self._selected()
        if p is None or not errors.ask(self, "Remove proceeding", f"Remove the {p.kind.label.lower()} from this "
                                       "incident? Do this for one recorded in error; the audit log keeps that it was "
                                       "recorded. A publication hold it started stays on the review."):
            return
        self.ctx.ops.write(self, lambda svc: svc.proceedings.remove(p.id, p.version), self.done.emit)


__all__ = ["ProceedingsBox"]
