"""The catalogue page's tables: the publications (a row each, its archive state in colour) and the selected
publication's documents, which take files dropped on them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import REVIEW_KINDS, CatalogueStatus
from bscp_desktop.services.catalogue.catalogue import CatalogueRow
from bscp_desktop.services.catalogue.documents import DocumentView
from bscp_desktop.ui.widgets.table_model import ListTableModel
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    pass

COL_TITLE = 1
COL_STATUS = 4


class CatalogueModel(ListTableModel):
    """The catalogue rows (a few hundred at most: the list is read whole, in its order)."""

    HEADERS = ("Reference", "Title", "Kind", "Published", "Status", "Documents")
    RAG_COLUMN = COL_STATUS

    def cells(self, r: CatalogueRow) -> tuple[str, ...]:
        status = r.status_label if r.status != CatalogueStatus.PUBLISHED else (
            f"Archive date {uk(r.archive_date)}" if r.removed is None else f"Taken down {uk(r.removed)}")
        return (r.reference, r.title, REVIEW_KINDS.get(r.kind, r.kind), uk(r.publication_date, "—"), status,
                str(r.documents) if r.documents else "none")

    def rag(self, r: CatalogueRow) -> Rag | None:
        # Past its archive date and still on the website: it must come down.
        return Rag.OVERDUE if r.must_come_down else None


class DocumentsTable(QTableWidget):
    """The selected publication's documents; files dropped on it are added."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels(("Kind", "Title", "File", "Size", "SHA-256"))
        self.setAccessibleName("Documents")
        self.setAcceptDrops(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for i, w in ((0, 110), (2, 180), (3, 80), (4, 120)):
            self.setColumnWidth(i, w)
        self.documents: list[DocumentView] = []

    def set_documents(self, docs: list[DocumentView]) -> None:
        """Show these documents."""
        self.documents = docs
        self.setRowCount(len(docs))
        for r, d in enumerate(docs):
            for c, text in enumerate((d.kind_label, d.title, d.file_name, f"{d.size / 1024:,.0f} KB", d.sha256[:12] + "…")):
                item = QTableWidgetItem(text)
                item.setToolTip(d.sha256 if c == 4 else text)
                self.setItem(r, c, item)

    def selected(self) -> DocumentView | None:
        """The selected document."""
        rows = self.selectionModel().selectedRows()
        return self.documents[rows[0].row()] if rows else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
