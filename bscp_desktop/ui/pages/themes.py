"""The Themes page: the managed list of learning themes and, for each, the reviews and briefing notes that carry
it, how many incidents are tagged, and its open actions."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services.reviews.themes import ThemeSummary
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec, from_fields
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import heading, hint
from bscp_desktop.util.words import counted


class ThemesPage(QWidget):
    """Themes and what carries them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.summaries: list[ThemeSummary] = []
        self.dialog: FieldsDialog | None = None
        self.list = QListWidget(self)
        self.list.setAccessibleName("Themes")
        self.list.setFixedWidth(420)
        self.add_button = self.ctx.writes(QPushButton("Add theme…", self), needs=Role.ADMIN)
        self.edit_button = self.ctx.writes(QPushButton("Rename or retire…", self), needs=Role.ADMIN)
        self.edit_button.setToolTip("Rename the selected theme, or retire it: records keep it, but it is no longer "
                                    "offered for tagging")
        self.title = heading("", self, 1.1)
        self.counts = QLabel(self)
        self.reviews = QListWidget(self)
        self.reviews.setAccessibleName("Reviews with this theme")
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Briefing notes with this theme")
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.counts)
        right.addWidget(QLabel("Reviews:", self))
        right.addWidget(self.reviews, 2)
        right.addWidget(QLabel("Briefing notes:", self))
        right.addWidget(self.notes, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(heading("Themes", self))
        lay.addWidget(hint("Themes are tagged on incidents and reviews (in their forms). Open actions are those of "
                           "the theme's reviews not yet completed, assured or declined.", self))
        lay.addLayout(body, 1)
        self.list.currentRowChanged.connect(self._show)
        self.add_button.clicked.connect(self.add_theme)
        self.edit_button.clicked.connect(self.edit_theme)
        ctx.bus.changed.connect(lambda ch: self.refresh() if ch.touches("review", "incident", "action",
                                                                        "reference") else None)

    def refresh(self) -> None:
        """Read the themes view in the background."""
        self.loading = True
        self.ctx.ops.query(self, lambda svc: svc.themes.overview(), self._loaded, key="themes")

    def _loaded(self, summaries: list[ThemeSummary]) -> None:
        row = max(0, self.list.currentRow())
        self.summaries = summaries
        self.list.blockSignals(True)
        self.list.clear()
        for t in summaries:
            QListWidgetItem(f"{t.name} · {counted(len(t.reviews), 'review')}, "
                            f"{t.open_actions} open", self.list)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(summaries) - 1))
        self._show(self.list.currentRow())
        self.loading = False

    def _show(self, row: int) -> None:
        self.reviews.clear()
        self.notes.clear()
        if not 0 <= row < len(self.summaries):
            self.title.setText("")
            self.counts.setText("")
            return
        t = self.summaries[row]
        self.title.setText(t.name)
        self.counts.setText(f"{counted(t.incidents, 'incident')} tagged · "
                            f"{counted(t.open_actions, 'open action')} on its reviews")
        self.reviews.addItems([f"{ref} — {title}" for _, ref, title in t.reviews] or ["— none —"])
        self.notes.addItems(list(t.briefing_notes) or ["— none —"])

    def edit_theme(self) -> FieldsDialog | None:
        """Rename or retire the selected theme (returned for tests)."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.summaries):
            return None
        t = self.summaries[row]
        specs = [Spec("Theme", "line", t.name),
                 Spec("In use", "choice", True, [("Yes: offered for tagging", True),
                                                 ("Retired: kept on the records that carry it", False)])]
        dlg = FieldsDialog(self.ctx, "Rename or retire theme", "", specs,
                           from_fields(lambda svc, name, active: svc.themes.update(t.id, t.version, name, active),
                                       "Theme", "In use"),
                           lambda _op: None, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg

    def add_theme(self) -> FieldsDialog:
        """Add a theme to the list (returned for tests)."""
        dlg = FieldsDialog(self.ctx, "Add theme", "", [Spec("Theme", "line", "")],
                           from_fields(lambda svc, name: svc.themes.add(name), "Theme"),
                           lambda _op: None, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg
