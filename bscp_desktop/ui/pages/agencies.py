"""The partner agencies list on the Settings page: add one, rename one, or stop offering one that no longer
exists (records that name it keep it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Changes, Op, Services
from bscp_desktop.services.partnership.reference_lists import AgencyView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import hint

IN_USE = [("Yes: offered for Rapid Reviews and actions", True), ("No longer: kept on the records that name it", False)]


class AgenciesBox(QGroupBox):
    """Agencies by name, with Add and Edit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Partner agencies", parent)
        self.ctx = ctx
        self.agencies: list[AgencyView] = []
        self.dialog: FieldsDialog | None = None
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Partner agencies")
        self.table.setHorizontalHeaderLabels(("Agency", "Short name", "In use"))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 420)
        self.table.setColumnWidth(1, 140)
        self.table.setMinimumHeight(220)
        self.table.doubleClicked.connect(lambda _ix: self.edit_agency())
        self.add_button = self.ctx.writes(QPushButton("Add agency…", self), needs=Role.ADMIN)
        self.edit_button = self.ctx.writes(QPushButton("Edit…", self), needs=Role.ADMIN)
        self.add_button.clicked.connect(self.add_agency)
        self.edit_button.clicked.connect(self.edit_agency)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(hint("The agencies that contribute to Rapid Reviews and own actions. An agency that no longer "
                           "exists is marked not in use rather than removed, so older records keep its name.", self))
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        ctx.bus.changed.connect(self._changed)

    def refresh(self) -> None:
        """Read the list in the background."""
        self.ctx.ops.query(self, lambda svc: svc.reference_lists.agencies(active_only=False), self._show, key="agencies")

    def _show(self, agencies: list[AgencyView]) -> None:
        self.agencies = agencies
        self.table.setRowCount(len(agencies))
        for r, a in enumerate(agencies):
            for c, text in enumerate((a.name, a.short_name, "Yes" if a.active else "No longer")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.edit_button.setEnabled(bool(agencies))

    def _changed(self, changes: Changes) -> None:
        if changes.touches("reference"):
            self.refresh()

    def selected(self) -> AgencyView | None:
        """The agency selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.agencies[rows[0].row()] if rows else None

    def add_agency(self) -> FieldsDialog:
        """Add an agency (the dialog is returned for tests)."""
        return self._open("Add agency", None, [Spec("Name", "line", ""), Spec("Short name", "line", "")])

    def edit_agency(self) -> FieldsDialog | None:
        """Rename the selected agency or change whether it is in use."""
        a = self.selected()
        if a is None:
            return None
        return self._open("Edit agency", a, [Spec("Name", "line", a.name), Spec("Short name", "line", a.short_name),
                                             Spec("In use", "choice", a.active, IN_USE)])

    def _open(self, title: str, a: AgencyView | None, specs: list[Spec]) -> FieldsDialog:
        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            name, short, active = x["Name"], x["Short name"], x.get("In use", True)
            return lambda svc: svc.reference_lists.save_agency(a.id if a else None, a.version if a else None, name, short,
                                                         active)

        dlg = FieldsDialog(self.ctx, title, "Agency names appear on Rapid Reviews, actions and reports.", specs,
                           submit, lambda _op: None, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg
