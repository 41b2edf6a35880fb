"""Table models that hold ids (docs/ARCHITECTURE.md, "Table models hold ids"): the page filters and sorts in
SQL and hands the model the ordered ids; the model fetches display rows for the visible blocks in the
background and caches them. Nothing sorts or filters Python rows on the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush

from bscp_desktop.domain.rules import Rag
from bscp_desktop.services.registers.columns import Column
from bscp_desktop.ui.widgets.common import rag_colours

if TYPE_CHECKING:
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.ops import Ops

BLOCK = 200
Index = QModelIndex | QPersistentModelIndex


class IdTableModel(QAbstractTableModel):
    """Rows are ids; display rows come from ``fetch(services, ids) -> {id: row}``, read through ``Ops.query``.

    ``sort_requested(key, descending)`` asks the page to re-query the ids in that order.
    """

    sort_requested = Signal(str, bool)
    rows_arrived = Signal()

    def __init__(self, ops: Ops, columns: Sequence[Column],
                 fetch: Callable[[Services, list[int]], dict[int, Any]]) -> None:
        super().__init__()
        self.ops = ops
        self.columns = list(columns)
        self.fetch = fetch
        self.ids: list[int] = []
        self._cache: dict[int, Any] = {}
        self._pending: set[int] = set()
        self._generation = 0

    # -- content ----------------------------------------------------------------------------------------
    def set_ids(self, ids: list[int], rows: dict[int, Any] | None = None) -> None:
        """Show these ids, in this order, with any rows already fetched for them; other cached rows are
        dropped (they may have changed)."""
        self.beginResetModel()
        self.ids = ids
        self._cache.clear()
        self._cache.update(rows or {})
        self._pending.clear()
        self._generation += 1
        self.endResetModel()

    def refresh_rows(self, ids: set[int] | None = None) -> None:
        """Forget cached rows (all, or these ids) so they are fetched again."""
        if ids is None:
            self._cache.clear()
        else:
            for i in ids:
                self._cache.pop(i, None)
        self._pending.clear()
        self._generation += 1
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.columns) - 1))

    def row_id(self, row: int) -> int:
        """The id shown at ``row``."""
        return self.ids[row]

    def row_data(self, row: int) -> Any | None:
        """The cached display row at ``row``, or None while it is being fetched."""
        return self._cache.get(self.ids[row])

    def all_loaded(self) -> bool:
        """True when nothing is being fetched."""
        return not self._pending

    # -- Qt model ---------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._cache.get(self.ids[index.row()])
        col = self.columns[index.column()]
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request(index.row())
                return "…"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col.rag is not None and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            rag = col.rag(row)
            if rag is None:
                return None
            bg, fg = rag_colours(rag)
            return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self.columns[column]
        if col.sortable:
            self.sort_requested.emit(col.sort_by or col.key, order == Qt.SortOrder.DescendingOrder)

    # -- fetching ---------------------------------------------------------------------------------------
    def _request(self, row: int) -> None:
        block = row // BLOCK
        if block in self._pending:
            return
        self._pending.add(block)
        ids = self.ids[block * BLOCK:(block + 1) * BLOCK]
        generation = self._generation
        fetch = self.fetch
        self.ops.query(self, lambda svc: fetch(svc, ids), lambda rows: self._arrived(generation, block, rows))

    def _arrived(self, generation: int, block: int, rows: dict[int, Any]) -> None:
        if generation != self._generation:
            return
        self._cache.update(rows)
        self._pending.discard(block)
        first = block * BLOCK
        last = min(len(self.ids), first + BLOCK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
        self.rows_arrived.emit()


def reselect(view: Any, ids: list[int], keep: int | None) -> bool:
    """After a reload, select the row with id ``keep`` if it is still listed, else the first row; False when
    the list is empty (the caller then clears its detail panel)."""
    if not ids:
        return False
    view.selectRow(ids.index(keep) if keep in ids else 0)
    return True


class ListTableModel(QAbstractTableModel):
    """A short list of rows read whole (dashboard lists, catalogue, requests, actions): subclasses give the
    headers, each row's cells and, for one column, a RAG to colour it by (its text says the state too)."""

    HEADERS: tuple[str, ...] = ()
    RAG_COLUMN: int | None = None

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def cells(self, row: Any) -> tuple[str, ...]:
        """The text of each column for ``row``."""
        raise NotImplementedError

    def tooltip(self, row: Any, column: int) -> str | None:
        """A longer text for a cell's tooltip (None: the cell's text)."""
        return None

    def rag(self, row: Any) -> Rag | None:
        """The RAG that colours ``RAG_COLUMN`` for ``row``."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, col) or self.cells(row)[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[col]
        if col == self.RAG_COLUMN and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            rag = self.rag(row)
            if rag is not None:
                bg, fg = rag_colours(rag)
                return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        return None


class RegisterColumnsModel(ListTableModel):
    """A list whose columns are a register's own (``services.registers.columns``): the headers and each row's
    cells come from ``COLUMNS``, the same columns the export writes."""

    COLUMNS: Sequence[Any] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.HEADERS = tuple(c.title for c in cls.COLUMNS)

    def cells(self, row: Any) -> tuple[str, ...]:
        return tuple(c.text(row) for c in self.COLUMNS)
