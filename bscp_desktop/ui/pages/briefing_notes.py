"""The Catalogue page's "Learning Lessons" briefing notes: each note, the review it belongs to (link or unlink
it), and its own documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import DocumentKind
from bscp_desktop.services import Op, Services
from bscp_desktop.services.catalogue.documents import FilesAdded
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets import files as file_choosers
from bscp_desktop.ui.widgets.common import FieldError, hint


class BriefingNotesTab(QWidget):
    """Briefing notes and their links to reviews."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notes: list[tuple[int, str, int | None]] = []
        self.reviews: dict[int, str] = {}
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Briefing notes")
        self.table.setHorizontalHeaderLabels(("Briefing note", "Review", "Documents"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 160)
        self.table.setColumnWidth(2, 100)
        self.review = QComboBox(self)
        self.review.setAccessibleName("Review of the briefing note")
        self.link_button = self.ctx.writes(QPushButton("Link to review", self))
        self.add_button = self.ctx.writes(QPushButton("Add document…", self))
        self.error = FieldError(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Review:", self))
        row.addWidget(self.review, 1)
        row.addWidget(self.link_button)
        row.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.addWidget(hint("“Learning Lessons” briefing notes summarise a case's learning for team meetings. Link "
                           "each to its review so that it is listed, and released, with it.", self))
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)
        self.link_button.clicked.connect(self.link)
        self.add_button.clicked.connect(self.add_document)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())

    def refresh(self) -> None:
        """Read the notes, their document counts and the reviews they can link to."""
        def read(svc: Services) -> tuple[Any, dict[int, str], dict[int, int]]:
            notes = svc.catalogue.briefing_notes()
            reviews = {r.id: r.reference for r in svc.catalogue.entries()}
            counts = {n[0]: len(svc.documents.for_briefing_note(n[0])) for n in notes}
            return notes, reviews, counts

        self.ctx.ops.query(self, read, self._loaded, key="notes")

    def _loaded(self, got: tuple[list[tuple[int, str, int | None]], dict[int, str], dict[int, int]]) -> None:
        keep = self.selected()
        self.notes, self.reviews, counts = got
        self.table.setRowCount(len(self.notes))
        for r, (nid, title, rid) in enumerate(self.notes):
            for c, text in enumerate((title, self.reviews.get(rid, "—") if rid else "not linked",
                                      str(counts.get(nid, 0) or "none"))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.review.blockSignals(True)
        self.review.clear()
        self.review.addItem("— not linked —", None)
        for rid, ref in sorted(self.reviews.items(), key=lambda kv: kv[1], reverse=True):
            self.review.addItem(ref, rid)
        self.review.blockSignals(False)
        ids = [n[0] for n in self.notes]
        self.table.selectRow(ids.index(keep) if keep in ids else 0)

    def selected(self) -> int | None:
        """The selected note's id."""
        rows = self.table.selectionModel().selectedRows()
        return self.notes[rows[0].row()][0] if rows and self.notes else None

    def _selected(self) -> None:
        nid = self.selected()
        note = next((n for n in self.notes if n[0] == nid), None)
        self.review.setCurrentIndex(max(0, self.review.findData(note[2] if note else None)))

    def link(self) -> None:
        """Link the selected note to the chosen review (or unlink it)."""
        nid = self.selected()
        if nid is None:
            return
        rid = self.review.currentData()
        self.ctx.ops.write(self, lambda svc: svc.catalogue.link_briefing_note(nid, rid))  # the broadcast refreshes

    def add_document(self) -> None:
        """Add a document to the selected note."""
        nid = self.selected()
        if nid is None:
            return
        paths = file_choosers.choose_documents(self)
        self.error.show_message(None)

        files = [Path(p) for p in paths]

        def added(op: Op[FilesAdded]) -> None:
            self.error.show_message("\n".join(f"{p.name}: {e.problems[0].message}" for p, e in op.value.refused)
                                    or None)
            self.refresh()

        self.ctx.ops.write(self, lambda svc: svc.documents.add_files(files, DocumentKind.BRIEFING_NOTE,
                                                                          briefing_note_id=nid),
                           added)
