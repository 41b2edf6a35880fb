"""Pages whose work is still to come say so plainly: what the page will hold and where to do that work today.
They never pretend to show data."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from bscp_desktop.ui.widgets.common import EmptyState, heading

PENDING = {
    "Actions": ("Recommendations and actions are not yet tracked here",
                "This page will list every recommendation and agency action across reviews, with owners, due dates, "
                "evidence and assurance sign-off."),
}


class PendingPage(QWidget):
    """An honest empty state for a page still to be built."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        head, text = PENDING[title]
        lay = QVBoxLayout(self)
        lay.addWidget(heading(title, self))
        self.empty = EmptyState(head, text, self)
        lay.addWidget(self.empty, 1)

    def refresh(self) -> None:
        """Nothing to read."""
