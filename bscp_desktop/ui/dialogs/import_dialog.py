"""Importing from spreadsheets: File › Import incidents, and a review's action plan from the Actions page.

A checked file is shown with every problem (nothing can be imported until the file is put right) or with what it
would add; Import adds it all in one transaction. Reading, checking and importing run in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import ACTION_STATUSES, HARMS, REVIEW_KINDS, STAGES
from bscp_desktop.services import Op, Services
from bscp_desktop.services.exchange.action_plan_import import COLUMNS as ACTION_COLUMNS
from bscp_desktop.services.exchange.action_plan_import import REQUIRED as ACTION_REQUIRED
from bscp_desktop.services.exchange.action_plan_import import ActionPlan
from bscp_desktop.services.exchange.catalogue_import import COLUMNS as CATALOGUE_COLUMNS
from bscp_desktop.services.exchange.catalogue_import import REQUIRED as CATALOGUE_REQUIRED
from bscp_desktop.services.exchange.catalogue_import import CataloguePlan
from bscp_desktop.services.exchange.incident_import import COLUMNS as INCIDENT_COLUMNS
from bscp_desktop.services.exchange.incident_import import REQUIRED as INCIDENT_REQUIRED
from bscp_desktop.services.exchange.incident_import import ImportPlan
from bscp_desktop.services.exchange.sheet import SheetPlan
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import fit_on_screen, heading, hint
from bscp_desktop.util.dates import uk
from bscp_desktop.util.words import counted


def choose_sheet(parent: QWidget, title: str = "Import incidents") -> Path | None:
    """Ask for the spreadsheet to import (module-level so tests can answer)."""
    name, _ = QFileDialog.getOpenFileName(parent, title, "", "Spreadsheets (*.xlsx *.csv);;All files (*)")
    return Path(name) if name else None


def choose_folder(parent: QWidget, title: str) -> Path | None:
    """Ask for a folder (module-level so tests can answer)."""
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def choose_review(parent: QWidget, choices: Sequence[tuple[int, str]], current: int | None) -> int | None:
    """Ask which review an action plan belongs to (module-level so tests can answer)."""
    labels = [ref for _, ref in choices]
    at = next((i for i, (rid, _) in enumerate(choices) if rid == current), 0)
    label, ok = QInputDialog.getItem(parent, "Import action plan", "The review whose action plan this is:", labels,
                                     at, False)
    return next((rid for rid, ref in choices if ref == label), None) if ok else None


def columns_help(columns: dict[str, tuple[str, ...]], required: Sequence[str], extra: str) -> str:
    """Which column headings an importer understands."""
    needed = ", ".join(columns[f][0] for f in required)
    optional = ", ".join(a[0] for f, a in columns.items() if f not in required)
    return (f"The first row names the columns. Needed: {needed}. Also read when present: {optional}. Dates as "
            f"DD/MM/YYYY or Excel dates. {extra}")


class ImportDialog(QDialog):
    """Shows a checked file: its problems, or a preview of what it adds; Import adds it all at once."""

    def __init__(self, ctx: AppContext, plan: SheetPlan[Any], title: str, noun: str, headers: list[str],
                 preview: Callable[[Any], tuple[str, ...]], apply: Callable[[Services], Op[int]], help_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.plan, self.noun, self._apply = ctx, plan, noun, apply
        self.imported: int | None = None
        self.setWindowTitle(title)
        fit_on_screen(self, 900, 560)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import summary")
        self.table = QTableWidget(self)
        self.table.setAccessibleName("Problems" if plan.problems else f"{noun.capitalize()}s to import")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(plan.ok)
        self.copy_button = self.buttons.addButton("Copy problems", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copy the list (row, column, problem) to paste beside the spreadsheet")
        self.copy_button.setVisible(bool(plan.problems))
        self.copy_button.clicked.connect(self.copy_problems)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(title, self, 1.1))
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint(help_text, self))
        lay.addWidget(self.buttons)
        self._fill(headers, preview)

    def _fill(self, headers: list[str], preview: Callable[[Any], tuple[str, ...]]) -> None:
        plan, name = self.plan, self.plan.source.name
        rows: list[tuple[str, ...]]
        ignored = f" Columns not read: {', '.join(plan.ignored_columns)}." if plan.ignored_columns else ""
        if plan.problems:
            n = plan.problem_count
            listed = (f" The first {len(plan.problems)} are listed." if plan.problems_not_listed else "")
            self.summary.setText(f"<b>{counted(n, 'problem')}</b> in {name}. Put them right in the file "
                                 f"and import it again: nothing is imported until every row is right.{listed}"
                                 f"{ignored}")
            headers, rows = ["Row", "Column", "Problem"], [(str(p.line), p.field, p.message) for p in plan.problems]
            if plan.problems_not_listed:
                rows.append(("…", "", f"and {counted(plan.problems_not_listed, 'more problem')}"))
        elif plan.rows:
            self.summary.setText(f"<b>{counted(len(plan.rows), self.noun)}</b> ready to import from {name}, each checked "
                                 f"by the rules of the form.{ignored}")
            rows = [preview(r) for r in plan.rows]
        else:
            self.summary.setText(f"{name} has no {self.noun}s to import.{ignored}")
            headers, rows = ["Row"], []
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, cells in enumerate(rows):
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)

    def copy_problems(self) -> None:
        """Put the problems on the clipboard as tab-separated lines (they paste into Excel as columns)."""
        lines = ["Row\tColumn\tProblem"] + [f"{p.line}\t{p.field}\t{p.message}" for p in self.plan.problems]
        QApplication.clipboard().setText("\n".join(lines))

    def run_import(self) -> None:
        """Import the checked rows in the background; the dialog closes when they are in."""
        if not self.plan.ok:
            return
        self.import_button.setEnabled(False)
        apply = self._apply
        self.ctx.ops.long_write(self, "Importing", lambda svc, _p: apply(svc), self._done,
                                after=lambda: self.import_button.setEnabled(self.plan.ok))

    def _done(self, op: Op[int]) -> None:
        self.imported = op.value
        errors.information(self, "Imported", f"{counted(op.value, self.noun)} imported from {self.plan.source.name}.")
        self.accept()


def incident_dialog(ctx: AppContext, plan: ImportPlan, parent: QWidget | None = None) -> ImportDialog:
    """The dialog for an incident register."""
    return ImportDialog(
        ctx, plan, f"Import incidents from {plan.source.name}", "incident",
        ["Row", "Reference", "Pseudonym", "Harm", "Became aware", "Stage"],
        lambda r: (str(r.line), r.reference.text if r.reference else "numbered on import", r.details.pseudonym,
                   HARMS.get(r.details.harm, r.details.harm), uk(r.details.became_aware), STAGES[r.stage]),
        lambda svc: svc.incident_import.apply(plan),
        columns_help(INCIDENT_COLUMNS, INCIDENT_REQUIRED, "Rows keep their reference when the file has one."),
        parent)


def catalogue_dialog(ctx: AppContext, plan: CataloguePlan, parent: QWidget | None = None) -> ImportDialog:
    """The dialog for a partnership's catalogue of published reviews."""
    return ImportDialog(
        ctx, plan, f"Import catalogue from {plan.source.name}", "review",
        ["Row", "Case reference", "Kind", "Title", "Published"],
        lambda r: (str(r.line), r.reference, REVIEW_KINDS.get(r.kind, r.kind), r.title, uk(r.published, "—")),
        lambda svc: svc.catalogue_import.apply(plan),
        columns_help(CATALOGUE_COLUMNS, CATALOGUE_REQUIRED, "One row per published review; the archive date "
                     "follows from the publication date."),
        parent)


def action_plan_dialog(ctx: AppContext, plan: ActionPlan, parent: QWidget | None = None) -> ImportDialog:
    """The dialog for a review's action plan."""
    new = plan.new_recommendations()
    return ImportDialog(
        ctx, plan, f"Import the action plan of {plan.review_reference} from {plan.source.name}", "action",
        ["Row", "Recommendation", "Action", "Owner", "Due", "Status"],
        lambda r: (str(r.line), f"R{r.number}" + (" (new)" if r.number in new else ""), r.action.description,
                   r.action.owner, uk(r.action.due_date), ACTION_STATUSES[r.action.status]),
        lambda svc: svc.action_plan_import.apply(plan),
        columns_help(ACTION_COLUMNS, ACTION_REQUIRED, "One row per action; rows with the same number share the "
                     "recommendation, whose text may be on its first row only."),
        parent)
