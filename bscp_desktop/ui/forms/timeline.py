"""A case's timeline: every clock with when it started, was due and was met, its RAG (colour and text)."""

from __future__ import annotations

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from bscp_desktop.domain.rules import RULES
from bscp_desktop.services.partnership.clocks import ClockView
from bscp_desktop.ui.widgets.common import rag_colours
from bscp_desktop.util.dates import uk


class Timeline(QTableWidget):
    """Read-only table of clocks."""

    HEADERS = ("Clock", "Started", "Due", "Met", "RAG", "Working days")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.setAccessibleName("Timeline of clocks")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i, w in enumerate((0, 84, 84, 84, 72, 150)):
            if i:
                self.setColumnWidth(i, w)
        self.setWordWrap(True)

    def set_clocks(self, clocks: list[ClockView]) -> None:
        """Show these clocks."""
        self.setRowCount(len(clocks))
        for r, c in enumerate(clocks):
            clock = c.label + (f" ({c.reference})" if c.case_kind == "review" else "")  # an agency return: its agency
            cells = (clock, uk(c.start), uk(c.due), uk(c.met_on, "—"), c.rag.value, c.state)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 0:
                    item.setToolTip(f"{RULES[c.rule_id].label}: {RULES[c.rule_id].describe()} from the "
                                    f"{RULES[c.rule_id].starts} ({c.reference})"
                                    + (f"\n{c.note}" if c.rule_id == "agency-return" else ""))
                if col == 4:
                    bg, fg = rag_colours(c.rag)
                    item.setBackground(QBrush(bg))
                    item.setForeground(QBrush(fg))
                self.setItem(r, col, item)
        self.resizeRowsToContents()
        self.empty_changed(not clocks)

    def empty_changed(self, empty: bool) -> None:
        """Hook: the owner shows an explanation when there are no clocks."""
