"""Pages whose work is still to come say so plainly: what the page will hold and where to do that work today.
They never pretend to show data."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from bscp_desktop.ui.widgets.common import EmptyState, heading

PENDING = {
    "Catalogue": ("The publication catalogue is not yet editable here",
                  "This page will list every published review and briefing note with its documents and archive "
                  "status. The public catalogue is already in the database: published reviews, their archive "
                  "dates and the archive clock are on the Reviews page (filter “Published”) and the dashboard."),
    "Archive requests": ("Archive requests are not yet handled here",
                         "This page will log requests for archived reports, track their 20-working-day response "
                         "clock and prepare the release. The due date of a request can already be worked out with "
                         "Tools › Deadline calculator (rule “Archive request response”)."),
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
