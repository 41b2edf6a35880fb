"""The Catalogue page: every published review and briefing note with its status under the three-year rule,
searchable and filterable; the selected publication's documents (add by file picker or by dropping files,
open with the system viewer, save a copy, remove), its briefing notes, themes and repository link."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.case_numbers import financial_year_label, financial_year_start
from bscp_desktop.domain.vocab import DOCUMENT_KINDS, REVIEW_KINDS, CatalogueStatus
from bscp_desktop.services import Changes, Op
from bscp_desktop.services.catalogue.catalogue import CatalogueFilter, CatalogueRow
from bscp_desktop.services.catalogue.documents import DocumentView, FilesAdded
from bscp_desktop.services.core.errors import DuplicateDocument
from bscp_desktop.ui.pages import register
from bscp_desktop.ui.pages.briefing_notes import BriefingNotesTab
from bscp_desktop.ui.pages.catalogue_tables import COL_TITLE, CatalogueModel, DocumentsTable
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets import files
from bscp_desktop.ui.widgets.common import (
    FieldError,
    heading,
    heading_row,
    hint,
    leads_to,
    list_over_detail,
    make_combo,
    open_file,
    refill,
    row_table,
    search_field,
)
from bscp_desktop.ui.widgets.table_model import reselect
from bscp_desktop.util.dates import uk

if TYPE_CHECKING:
    from bscp_desktop.services.exchange.catalogue_import import CataloguePlan
    from bscp_desktop.ui.dialogs.import_dialog import ImportDialog


# Column positions the page refers to (the model's HEADERS give every column).


class CataloguePage(QWidget):
    """The publication catalogue."""

    open_review = Signal(int)
    take_down = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.current: CatalogueRow | None = None
        self.notes_tab = BriefingNotesTab(ctx, self)
        self._build_list()
        self._build_detail()
        self._lay_out()

    def _build_list(self) -> None:
        """The search, the filters and the table of publications."""
        self.search = search_field(self, "Search the catalogue", "Search reference, title, summary, themes, recommendations…")
        self.kind = make_combo(self, "Kind", [("All kinds", "")] + [(v, k) for k, v in REVIEW_KINDS.items()])
        self.status = make_combo(self, "Status", [("All statuses", ""), ("On the website", CatalogueStatus.PUBLISHED),
                                             ("Archived", CatalogueStatus.ARCHIVED),
                                             ("Not published", CatalogueStatus.UNPUBLISHED)])
        self.theme = make_combo(self, "Theme", [("All themes", None)])
        self.year = make_combo(self, "Published in", [("All years", None)])
        self.count = QLabel(self)
        self.model = CatalogueModel()
        self.table = row_table(self, self.model, "Catalogue")
        leads_to(self.search, self.table)
        self.table.setWordWrap(False)
        for i, w in enumerate((120, 300, 120, 90, 200, 85)):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda ix: self.open_review.emit(self.model.rows[ix.row()].id))

    def _emit_for_current(self, signal: Any) -> None:
        """Ask the window to act on the selected publication (open it, record its removal)."""
        if self.current is not None:
            signal.emit(self.current.id)

    def _build_detail(self) -> None:
        """The selected publication: its facts, buttons and documents."""
        self.title = heading("", self, 1.1)
        self.title.setWordWrap(True)
        self.facts = QFormLayout()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.themes_label = QLabel(self)
        self.themes_label.setWordWrap(True)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.repo_label = QLabel(self)
        self.repo_label.setOpenExternalLinks(True)
        self.repo_label.setWordWrap(True)
        for label, fact in (("Status", self.status_label), ("Themes", self.themes_label),
                            ("Briefing notes", self.notes_label), ("National repository", self.repo_label)):
            self.facts.addRow(f"{label}:", fact)
        self.open_button = QPushButton("Open review…", self)
        self.open_button.clicked.connect(lambda: self._emit_for_current(self.open_review))
        self.take_down_button = self.ctx.writes(QPushButton("Record removal from website…", self))
        self.take_down_button.clicked.connect(lambda: self._emit_for_current(self.take_down))
        docs_box = self._documents_box()
        self.detail = QWidget(self)
        det = QVBoxLayout(self.detail)
        det.addWidget(self.title)
        det.addLayout(self.facts)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.take_down_button)
        buttons.addStretch(1)
        det.addLayout(buttons)
        det.addWidget(docs_box, 1)
        self.detail_hint = hint("Choose a publication to see its documents.", self)
        det.addWidget(self.detail_hint)

    def _documents_box(self) -> QGroupBox:
        """The selected publication's documents, with adding (by the picker or by dropping), opening, saving a
        copy and removing."""
        self.documents = DocumentsTable(self)
        self.documents.files_dropped.connect(self.add_files)
        self.documents.doubleClicked.connect(lambda _ix: self.open_document())
        self.add_kind = make_combo(self, "Add as", [("Kind from the file name", None)]
                                    + [(v, k) for k, v in DOCUMENT_KINDS.items()])
        self.add_button = self.ctx.writes(QPushButton("Add…", self))
        self.view_button = QPushButton("Open", self)
        self.save_button = QPushButton("Save copy…", self)
        self.remove_button = self.ctx.writes(QPushButton("Remove", self))
        self.add_button.clicked.connect(lambda: self.add_files(files.choose_documents(self)))
        self.view_button.clicked.connect(self.open_document)
        self.save_button.clicked.connect(self.save_document)
        self.remove_button.clicked.connect(self.remove_document)
        self.doc_error = FieldError(self)
        docs_box = QGroupBox("Documents (drop files here to add them)", self)
        dl = QVBoxLayout(docs_box)
        dl.addWidget(self.documents, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Add as:", self))
        row.addWidget(self.add_kind)
        for b in (self.add_button, self.view_button, self.save_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        dl.addLayout(row)
        dl.addWidget(self.doc_error)
        return docs_box

    def _lay_out(self) -> None:
        """The filters over the list, the detail below it, and the briefing notes tab."""
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for box in (self.kind, self.status, self.theme, self.year):
            bar.addWidget(box, 1)
        self.import_button = self.ctx.writes(QPushButton("Import catalogue…", self))
        self.import_button.setToolTip("Add published reviews listed in a spreadsheet (.xlsx or .csv): a "
                                      "partnership's own catalogue")
        self.import_button.clicked.connect(self.import_catalogue)
        self.importer: ImportDialog | None = None
        top = heading_row("Catalogue", self, self.count, self.import_button)
        split = list_over_detail(self, self.table, self.detail)
        publications = QWidget(self)
        pl = QVBoxLayout(publications)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addLayout(bar)
        pl.addWidget(split, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(publications, "Publications")
        self.tabs.addTab(self.notes_tab, "Briefing notes")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.kind, self.status, self.theme, self.year):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.ctx.bus.changed.connect(self._changed)
        self._show_detail(None)

    # -- loading ----------------------------------------------------------------------------------------
    def filter(self) -> CatalogueFilter:
        """The filter the controls describe."""
        return CatalogueFilter(self.search.text(), self.kind.currentData() or "", self.status.currentData() or "",
                               self.theme.currentData(), self.year.currentData())

    def refresh(self) -> None:
        """Read the catalogue (and the theme and year lists) in the background."""
        self.loading = True
        f, as_of = self.filter(), self.ctx.as_of()
        self.ctx.ops.query(self, lambda svc: (svc.catalogue.entries(f, as_of), svc.reference_lists.themes(),
                                              svc.catalogue.entries(None, as_of)), self._loaded, key="catalogue")
        self.notes_tab.refresh()

    def _loaded(self, got: tuple[list[CatalogueRow], list[Any], list[CatalogueRow]]) -> None:
        rows, themes, everything = got
        keep = self.current.id if self.current else None
        refill(self.theme, [(t.name, t.id) for t in themes], "All themes")
        years = sorted({financial_year_start(r.publication_date) for r in everything if r.publication_date},
                       reverse=True)
        refill(self.year, [(financial_year_label(y), y) for y in years], "All years")
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows):,} publication{'' if len(rows) == 1 else 's'}")
        self.loading = False
        if not reselect(self.table, [r.id for r in rows], keep):
            self._show_detail(None)

    def select_reference(self, reference: str) -> bool:
        """Select a publication by reference (True when it is listed)."""
        for i, r in enumerate(self.model.rows):
            if r.reference == reference:
                self.table.selectRow(i)
                return True
        return False

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_detail(self.model.rows[rows[0].row()] if rows else None)

    def _show_detail(self, r: CatalogueRow | None) -> None:
        self.current = r
        for w in (self.title, self.open_button, self.documents, self.add_button, self.add_kind):
            w.setEnabled(r is not None)
        self.take_down_button.setVisible(r is not None and r.can_take_down)
        self.detail_hint.setVisible(r is None)
        if r is None:
            self.title.setText("")
            for lab in (self.status_label, self.themes_label, self.notes_label, self.repo_label):
                lab.setText("")
            self.documents.set_documents([])
            self._doc_buttons()
            return
        self.title.setText(f"{r.reference} — {r.title}")
        if r.status == CatalogueStatus.PUBLISHED:
            text = (f"Published {uk(r.publication_date)}; on the website until its archive date, "
                    f"{uk(r.archive_date)}." if r.removed is None else f"Published {uk(r.publication_date)}; "
                    f"taken down from the website on {uk(r.removed)}.")
        elif r.status == CatalogueStatus.ARCHIVED:
            text = r.status_label + (" — still on the website: take it down and record that on the review."
                                     if r.must_come_down else "; available on request.")
        else:
            text = r.status_label
        self.status_label.setText(text)
        self.themes_label.setText(", ".join(r.themes) or "—")
        self.notes_label.setText("\n".join(f"‘{t}’" if not t.startswith("‘") else t for _, t in r.briefing_notes) or "—")
        url = r.national_repository_url
        self.repo_label.setText(f'<a href="{url}">{url}</a>' if url else "— (add the link on the review)")
        self._read_documents(r.id)

    def _read_documents(self, review_id: int) -> None:
        self.ctx.ops.query(self, lambda svc: svc.documents.for_review(review_id), self._documents, key="documents")

    def _documents(self, docs: list[DocumentView]) -> None:
        self.documents.set_documents(docs)
        self._doc_buttons()
        self.documents.selectionModel().selectionChanged.connect(lambda *_a: self._doc_buttons())

    def _doc_buttons(self) -> None:
        has = self.documents.selected() is not None
        for b in (self.view_button, self.save_button, self.remove_button):
            b.setEnabled(has)

    def _changed(self, changes: Changes) -> None:
        if changes.touches("review", "catalogue", "settings"):
            self.refresh()

    # -- documents --------------------------------------------------------------------------------------
    def add_files(self, paths: list[Path], allow_duplicate: bool = False) -> None:
        """Store the files on the selected publication, in the background; a duplicate asks first."""
        if self.current is None or not paths:
            return
        self.doc_error.show_message(None)
        rid, kind = self.current.id, self.add_kind.currentData()  # kind None: from each file's name
        self.ctx.ops.write(self, lambda svc: svc.documents.add_files(paths, kind, rid, allow_duplicate=allow_duplicate),
                           self._added)

    def _added(self, op: Op[FilesAdded]) -> None:
        added = op.value
        duplicates = added.duplicates
        others = [f"{p.name}: {e.problems[0].message}" for p, e in added.refused
                  if not isinstance(e, DuplicateDocument)]
        self.doc_error.show_message("\n".join(others) or None)
        if duplicates and errors.ask(self, "Already stored", "\n".join(e.problems[0].message for _, e in duplicates)
                                     + "\n\nAdd it again?"):
            self.add_files([p for p, _ in duplicates], allow_duplicate=True)
        if self.current is not None:
            self._read_documents(self.current.id)

    def import_catalogue(self) -> None:
        """Choose a spreadsheet of published reviews, check it in the background, then show what it would add."""
        from bscp_desktop.ui.dialogs import import_dialog  # loaded when first used: not on the start-up path

        path = import_dialog.choose_sheet(self, "Import catalogue")
        if path is None:
            return
        self.ctx.ops.long_query(self, "Checking the file", lambda svc, _p: svc.catalogue_import.check(path),
                                self._catalogue_checked)

    def _catalogue_checked(self, plan: CataloguePlan) -> None:
        from bscp_desktop.ui.dialogs import import_dialog

        self.importer = import_dialog.catalogue_dialog(self.ctx, plan, self)
        self.importer.open()

    def open_document(self) -> None:
        """Open a temporary copy of the selected document with the system's viewer."""
        d = self.documents.selected()
        if d is not None:
            self.ctx.ops.query(self, lambda svc: svc.documents.temporary_copy(d.id), open_file)

    def save_document(self) -> None:
        """Save a copy of the selected document where the user chooses."""
        d = self.documents.selected()
        if d is None:
            return
        path = register.save_path(self, "Save a copy", d.file_name, "All files (*)")
        if path is not None:
            self.ctx.ops.query(self, lambda svc: svc.documents.save_copy(d.id, path),
                               lambda out: errors.information(self, "Saved", f"A copy was saved to {out}"))

    def remove_document(self) -> None:
        """Remove the selected document after asking."""
        d = self.documents.selected()
        if d is None or not errors.ask(self, "Remove document", f"Remove {d.file_name} from the catalogue? Records of "
                                                               "what was sent to requesters are kept."):
            return
        self.ctx.ops.write(self, lambda svc: svc.documents.remove(d.id, d.version),
                           lambda _op: self._show_detail(self.current))
