"""File › Import incidents: check a spreadsheet of an existing register, show every problem or the incidents it
would add, and import them in one step (all or nothing). Reading and checking run in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.dates import uk
from bscp_desktop.services.incident_import import COLUMNS, REQUIRED, ImportPlan
from bscp_desktop.services.vocab import HARMS, STAGES
from bscp_desktop.ui import errors
from bscp_desktop.ui.context import AppContext
from bscp_desktop.ui.widgets.common import heading, hint


def choose_sheet(parent: QWidget) -> Path | None:
    """Ask for the spreadsheet to import (module-level so tests can answer)."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import incidents", "",
                                          "Spreadsheets (*.xlsx *.csv);;All files (*)")
    return Path(name) if name else None


def columns_help() -> str:
    """Which column headings the importer understands, for the dialog."""
    needed = ", ".join(COLUMNS[f][0] for f in REQUIRED)
    optional = ", ".join(a[0] for f, a in COLUMNS.items() if f not in REQUIRED)
    return (f"The first row names the columns. Needed: {needed}. Also read when present: {optional}. Dates as "
            "DD/MM/YYYY or Excel dates. Rows keep their reference when the file has one.")


class ImportDialog(QDialog):
    """Shows a checked file: its problems (nothing can be imported until the file is put right) or the
    incidents it would add; Import adds them all in one transaction."""

    def __init__(self, ctx: AppContext, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.plan = ctx, plan
        self.imported: int | None = None
        self.setWindowTitle(f"Import incidents from {plan.source.name}")
        self.resize(900, 560)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import summary")
        self.table = QTableWidget(self)
        self.table.setAccessibleName("Problems" if plan.problems else "Incidents to import")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(plan.ok)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle(), self, 1.1))
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint(columns_help(), self))
        lay.addWidget(self.buttons)
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        rows: list[tuple[str, ...]]
        ignored = (f" Columns not read: {', '.join(plan.ignored_columns)}." if plan.ignored_columns else "")
        if plan.problems:
            self.summary.setText(f"<b>{len(plan.problems):,} problem{'s' if len(plan.problems) != 1 else ''}</b> "
                                 f"in {plan.source.name}. Put them right in the file and import it again: nothing "
                                 f"is imported until every row is right.{ignored}")
            rows = [(str(p.line), p.field, p.message) for p in plan.problems]
            headers = ["Row", "Column", "Problem"]
        elif plan.rows:
            self.summary.setText(f"<b>{len(plan.rows):,} incident{'s' if len(plan.rows) != 1 else ''}</b> ready to "
                                 f"import from {plan.source.name}, each checked by the rules of the incident form."
                                 f"{ignored}")
            rows = [(str(r.line), r.reference.text if r.reference else "numbered on import", r.details.pseudonym,
                     HARMS.get(r.details.harm, r.details.harm), uk(r.details.became_aware), STAGES[r.stage])
                    for r in plan.rows]
            headers = ["Row", "Reference", "Pseudonym", "Harm", "Became aware", "Stage"]
        else:
            self.summary.setText(f"{plan.source.name} has no incidents to import.{ignored}")
            rows, headers = [], ["Row"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, cells in enumerate(rows):
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()

    def run_import(self) -> None:
        """Import the checked rows in the background; the dialog closes when they are in."""
        if not self.plan.ok:
            return
        self.import_button.setEnabled(False)
        self.ctx.runner.run(lambda _p: self.ctx.svc.incident_import.apply(self.plan),
                            self.ctx.applied(self._imported_then_close), self._failed,
                            title="Importing incidents", parent=self)

    def _imported_then_close(self) -> None:
        self.imported = len(self.plan.rows)
        errors.information(self, "Imported", f"{self.imported:,} incidents were added to the register from "
                                             f"{self.plan.source.name}.")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(self.plan.ok)
        errors.show_error(self, exc)
