"""File › Restore from a copy…: the register's own copies (the daily ones, and those made before an upgrade or a
restore), newest first; the one chosen puts the register back as it was then (``Services.restore_from``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.store.copies import RegisterCopy
from bscp_desktop.ui.widgets.common import heading

KINDS = {"daily": "Daily copy", "pre-upgrade": "Before an upgrade", "pre-restore": "Before a restore"}


class RestoreDialog(QDialog):
    """Choose one of the register's copies to put back."""

    def __init__(self, copies: list[RegisterCopy], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a copy")
        self.copies = copies
        self.table = QTableWidget(len(copies), 3, self)
        self.table.setAccessibleName("Copies of the register")
        self.table.setHorizontalHeaderLabels(["Made on", "Kind", "File"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, c in enumerate(copies):
            for col, value in enumerate((f"{c.made:%d/%m/%Y}", KINDS.get(c.kind, c.kind), c.path.name)):
                item = QTableWidgetItem(value)
                item.setToolTip(str(c.path))
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        if copies:
            self.table.selectRow(0)
        explain = QLabel(
            "The register is put back as the copy was: what was recorded since is not in it. The register as it "
            "is now is kept as a copy first (listed here as “Before a restore”), so this can be undone. The copy "
            "is checked before anything changes, and the restore is recorded in the audit log. Nobody else may "
            "have the register open meanwhile." if copies else
            "The program has made no copy of this register yet: a daily copy is made when the window opens.", self)
        explain.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton("&Restore this copy…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(copies))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        lay = QVBoxLayout(self)
        lay.addWidget(heading("Restore the register from a copy", self, 1.1))
        lay.addWidget(explain)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.buttons)
        self.resize(720, 420)

    def chosen(self) -> Path | None:
        """The copy selected."""
        rows = self.table.selectionModel().selectedRows()
        return self.copies[rows[0].row()].path if rows else None


def choose_copy(parent: QWidget, copies: list[RegisterCopy]) -> Path | None:
    """Show the dialog (module-level so tests can answer it); the copy chosen, or None."""
    dialog = RestoreDialog(copies, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
