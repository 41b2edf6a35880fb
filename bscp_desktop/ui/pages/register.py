"""A register page: a filter bar (text as you type, stage, RAG, year), a table over an ``IdTableModel`` whose
ids come from SQL, a column chooser and CSV export of the current view. Subclassed for incidents and reviews."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.case_numbers import financial_year_label
from bscp_desktop.services import Changes, Services
from bscp_desktop.services.registers.columns import Column
from bscp_desktop.services.registers.export import export_view
from bscp_desktop.services.registers.registers import RAG_FILTERS, RegisterFilter
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import heading, leads_to, make_combo, refill, search_field
from bscp_desktop.ui.widgets.table_model import BLOCK, IdTableModel


def save_path(parent: QWidget, title: str, suggested: str, filter_: str) -> Path | None:
    """Ask where to save (module-level so tests can answer)."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
    return Path(name) if name else None


class RegisterPage(QWidget):
    """Base of the Incidents and Reviews pages."""

    entity = "record"  # change-bus entity this page shows
    title = "Register"
    open_record = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = RegisterFilter(stage="", sort="ref", descending=True)  # newest first
        self.model = IdTableModel(ctx.ops, self.columns(), self._fetch)
        self.model.sort_requested.connect(self._sort)
        self.last_query_seconds = 0.0
        self.loading = False
        self._build_filters()
        self._build_table()
        self._lay_out()
        self._connect()

    def _build_filters(self) -> None:
        """The search box, the stage, RAG and year filters, and the Columns and Export buttons."""
        self.search = search_field(self, f"Find in {self.title}", "Find: reference, pseudonym, title…")
        self.stage = make_combo(self, "Stage", self.stage_choices())
        self.rag = make_combo(self, "RAG", [("All RAG states", "")] + [(r.capitalize(), r) for r in RAG_FILTERS])
        self.year = make_combo(self, "Financial year", [("All years", None)])
        self.columns_button = QPushButton("Columns…", self)
        self.columns_button.setAccessibleName("Choose columns")
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export the current view to Excel or CSV")
        self.export_button.setToolTip("Save the rows on screen (this filter, order and columns) as an Excel "
                                      "workbook or a CSV file")
        self.count = QLabel(self)
        self.count.setAccessibleName("Rows shown")

    def _build_table(self) -> None:
        """The table over the id model: sortable headers, a column menu, double-click opens."""
        self.table = QTableView(self)
        self.table.horizontalHeader().setHighlightSections(False)  # headings stay as wide as set
        leads_to(self.search, self.table)
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"{self.title} table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(lambda _p: self._column_menu().exec(
            self.table.horizontalHeader().mapToGlobal(_p)))
        for i, c in enumerate(self.model.columns):
            self.table.setColumnWidth(i, c.width)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def _lay_out(self) -> None:
        """Title and count over the filters, the table below."""
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for w in (self.stage, self.rag, self.year):
            bar.addWidget(w, 1)
        bar.addWidget(self.columns_button)
        bar.addWidget(self.export_button)
        top = QHBoxLayout()
        top.addWidget(heading(self.title, self))
        top.addStretch(1)
        top.addWidget(self.count)
        self.extra_buttons(top)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)

    def _connect(self) -> None:
        """Typing re-queries after a pause; filters at once; and a change on the bus refreshes."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.requery)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.stage, self.rag, self.year):
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        self.columns_button.clicked.connect(lambda: self._column_menu().exec(
            self.columns_button.mapToGlobal(self.columns_button.rect().bottomLeft())))
        self.export_button.clicked.connect(self.export)
        self.ctx.bus.changed.connect(self._changed)
        self._restore_columns()

    # -- for subclasses ---------------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        """The columns this register offers."""
        raise NotImplementedError

    def stage_choices(self) -> list[tuple[str, Any]]:
        """(label, value) pairs for the stage/status filter."""
        raise NotImplementedError

    def query_ids(self, svc: Services, f: RegisterFilter, as_of: dt.date) -> list[int]:
        """Ordered ids for a filter, clocks as of ``as_of`` (runs in the background): the register service's
        ``<entity>_ids``."""
        ids: list[int] = getattr(svc.registers, f"{self.entity}_ids")(f, as_of)
        return ids

    def fetch_rows(self, svc: Services, ids: list[int], as_of: dt.date) -> dict[int, Any]:
        """Display rows for ids, clocks as of ``as_of`` (runs in the background): ``<entity>_rows``."""
        rows: dict[int, Any] = getattr(svc.registers, f"{self.entity}_rows")(ids, as_of)
        return rows

    def years(self, svc: Services) -> list[int]:
        """Financial years to offer (runs in the background): ``<entity>_years``."""
        years: list[int] = getattr(svc.registers, f"{self.entity}_years")()
        return years

    def extra_buttons(self, layout: QHBoxLayout) -> None:
        """Add page-specific buttons to the heading row."""

    # -- behaviour --------------------------------------------------------------------------------------
    def current_filter(self) -> RegisterFilter:
        """The filter the controls describe."""
        return RegisterFilter(text=self.search.text(), stage=self.stage.currentData() or "",
                              rag=self.rag.currentData() or "", year=self.year.currentData(),
                              sort=self.filter.sort, descending=self.filter.descending)

    def set_stage(self, stage: str) -> None:
        """Select a stage in the filter (from the dashboard's counts)."""
        i = self.stage.findData(stage)
        if i >= 0:
            self.stage.setCurrentIndex(i)

    def refresh(self) -> None:
        """Re-read the years and the ids."""
        self.ctx.ops.query(self, self.years, self._years_arrived, key="years")
        self.requery()

    def requery(self) -> None:
        """Run the current filter in SQL (background) and show the ids it returns."""
        self.filter = self.current_filter()
        f, started, as_of = self.filter, time.perf_counter(), self.ctx.as_of()
        self.loading = True
        self.ctx.ops.query(self, lambda svc: self._query(svc, f, as_of), lambda got: self._ids_arrived(got, started),
                           key="ids")

    def _query(self, svc: Services, f: RegisterFilter, as_of: dt.date) -> tuple[list[int], dict[int, Any]]:
        """Ids for the filter and the first block of rows, in one background task (one round trip)."""
        ids = self.query_ids(svc, f, as_of)
        return ids, self.fetch_rows(svc, ids[:BLOCK], as_of)

    def _fetch(self, svc: Services, ids: list[int]) -> dict[int, Any]:
        """Display rows for the table model (background), as of today."""
        return self.fetch_rows(svc, ids, svc.today())

    def _ids_arrived(self, got: tuple[list[int], dict[int, Any]], started: float) -> None:
        ids, first_rows = got
        self.model.set_ids(ids, first_rows)
        self.last_query_seconds = time.perf_counter() - started
        self.loading = False
        self.count.setText(f"{len(ids):,} {self.noun(len(ids))}")

    def noun(self, n: int) -> str:
        """"incidents" / "reviews"."""
        return self.entity + ("" if n == 1 else "s")

    def _years_arrived(self, years: list[int]) -> None:
        refill(self.year, [(financial_year_label(y), y) for y in years], "All years")

    def _sort(self, key: str, descending: bool) -> None:
        self.filter = RegisterFilter(self.filter.text, self.filter.stage, self.filter.rag, self.filter.year, key,
                                     descending)
        self.requery()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record.emit(self.model.row_id(index.row()))

    def _changed(self, changes: Changes) -> None:
        if changes.touches(self.entity, "settings"):
            ids = changes.ids.get(self.entity)
            if ids and not changes.touches("settings") and ids <= set(self.model.ids):
                self.model.refresh_rows(ids)
            else:
                self.refresh()

    # -- columns ----------------------------------------------------------------------------------------
    def _column_menu(self) -> QMenu:
        menu = QMenu(self)
        for i, c in enumerate(self.model.columns):
            act = QAction(c.title, menu)
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(i))
            act.setEnabled(i != 0)  # the reference always shows
            act.toggled.connect(lambda on, i=i: self._set_column_visible(i, on))
            menu.addAction(act)
        return menu

    def _set_column_visible(self, i: int, visible: bool) -> None:
        self.table.setColumnHidden(i, not visible)
        hidden = [c.key for j, c in enumerate(self.model.columns) if self.table.isColumnHidden(j)]
        QSettings().setValue(f"{self.entity}/hidden_columns", hidden)

    def _restore_columns(self) -> None:
        stored = QSettings().value(f"{self.entity}/hidden_columns")
        hidden = set(stored if isinstance(stored, list) else [] if stored is None else [stored])
        for i, c in enumerate(self.model.columns):
            self.table.setColumnHidden(i, (c.key in hidden) if stored is not None else c.hidden)

    def visible_columns(self) -> list[Column]:
        """The columns currently shown, in order."""
        return [c for i, c in enumerate(self.model.columns) if not self.table.isColumnHidden(i)]

    # -- export -----------------------------------------------------------------------------------------
    def export(self) -> None:
        """Export the current view (filter, order, visible columns) to an Excel workbook or a CSV file, in the
        background."""
        path = save_path(self, f"Export {self.title.lower()}", f"{self.entity}s.xlsx",
                         "Excel workbook (*.xlsx);;CSV file (*.csv)")
        if path is None:
            return
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_name(path.name + ".xlsx")
        ids, cols, title, fetch = list(self.model.ids), self.visible_columns(), self.title, self._fetch
        self.ctx.ops.long_query(
            self, f"Exporting {len(ids):,} rows",
            lambda svc, progress: export_view(path, title, cols, ids, lambda block: fetch(svc, block), progress),
            lambda n: errors.information(self, "Exported", f"{n:,} rows written to {path}"))
