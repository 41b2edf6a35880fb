"""The dashboard: clocks overdue and due first (with RAG colour *and* text), cases by lifecycle stage, and
reviews that reach their archive date within 30 days and must come off the website."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.clock_words import clock_state
from bscp_desktop.domain.rules import RULES, Rag
from bscp_desktop.domain.vocab import STAGES, Stage
from bscp_desktop.services import Changes
from bscp_desktop.services.partnership.clocks import ClockView
from bscp_desktop.services.registers.registers import ReviewRow
from bscp_desktop.services.reviews.actions import ActionView
from bscp_desktop.services.reviews.publication_holds import PublicationHoldView
from bscp_desktop.ui.pages.actions import ActionModel
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import EmptyState, heading, hint, row_table
from bscp_desktop.ui.widgets.table_model import ListTableModel
from bscp_desktop.util.dates import uk, uk_long
from bscp_desktop.util.words import counted

# Column positions the page refers to (the model's HEADERS give every column).
COL_RULE = 2
COL_STATE = 4
COL_RAG = 5
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one background task."""

    urgent: list[ClockView]
    stages: dict[str, int]
    archive: list[ReviewRow]
    actions: list[ActionView]
    holds_to_check: list[PublicationHoldView] = field(default_factory=list)  # in force past the expected end


class ClockListModel(ListTableModel):
    """A short list of clocks (the dashboard shows only overdue and due ones)."""

    HEADERS = ("Case", "Pseudonym", "Clock", "Due", "Working days", "RAG")
    RAG_COLUMN = COL_RAG

    @property
    def clocks(self) -> list[ClockView]:
        """The clocks listed."""
        return self.rows

    def cells(self, c: ClockView) -> tuple[str, ...]:
        return (c.reference, c.pseudonym or "—", c.label, uk(c.due), c.state, c.rag.value)

    def tooltip(self, c: ClockView, column: int) -> str | None:
        if column != COL_RULE:
            return None
        return RULES[c.rule_id].label + (f": {c.note}" if c.rule_id == "agency-return" else "")

    def rag(self, c: ClockView) -> Rag | None:
        return c.rag


class DashboardPage(QWidget):
    """What needs doing today."""

    open_incident = Signal(int)
    open_review = Signal(int)
    open_request = Signal(int)
    show_stage = Signal(str)
    show_overdue_actions = Signal()
    open_review_actions = Signal(int)
    export_calendar = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.last_load_seconds = 0.0
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Summary")
        self.summary.setWordWrap(True)
        self.summary.linkActivated.connect(lambda _l: self.show_overdue_actions.emit())
        self._build_clocks()
        self._build_stages()
        self._build_archive()
        self._build_actions()
        self._lay_out()

    def _build_clocks(self) -> None:
        """The clocks overdue or due, or an empty state saying there are none."""
        self.clocks = ClockListModel()
        self.table = row_table(self, self.clocks, "Clocks overdue or due")
        self.table.horizontalHeader().setStretchLastSection(False)
        for i, w in enumerate((115, 85, 150, 85, 0, 75)):
            if w:
                self.table.setColumnWidth(i, w)
        # the clock's state takes the room its words need; the clock's name the rest (elided in the middle)
        self.table.horizontalHeader().setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_clock)
        self.table.activated.connect(self._open_clock)
        self.no_clocks = EmptyState("Nothing overdue or due",
                                    "Every open clock has more than the amber window left. Clocks that fall due "
                                    "within the amber window, or are overdue, appear here first.", self)
        self.clock_stack = QStackedWidget(self)
        self.clock_stack.addWidget(self.table)
        self.clock_stack.addWidget(self.no_clocks)

    def _build_stages(self) -> None:
        """A count of open cases per stage, each a link to the register filtered to it."""
        self.stage_box = QFrame(self)
        self.stage_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.stage_grid = QGridLayout(self.stage_box)
        self.stage_buttons: dict[str, QPushButton] = {}
        for row, (key, label) in enumerate(STAGES.items()):
            name = QLabel(label, self.stage_box)
            button = QPushButton("0", self.stage_box)
            button.setFlat(True)
            button.setAccessibleName(f"Show incidents at stage {label}")
            button.setToolTip(f"Show the incidents at stage “{label}”")
            button.clicked.connect(lambda _c=False, k=key: self.show_stage.emit(k))
            self.stage_grid.addWidget(name, row, 0)
            self.stage_grid.addWidget(button, row, 1, Qt.AlignmentFlag.AlignRight)
            self.stage_buttons[key] = button

    def _build_archive(self) -> None:
        """Reviews whose archive date falls in the next 30 days."""
        self.archive_table = QTableView(self)
        self.archive_table.horizontalHeader().setHighlightSections(False)  # headings stay as wide as set
        self.archive_table.setAccessibleName("Reviews to take off the website")
        self.archive_table.verticalHeader().setVisible(False)
        self.archive_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.archive_model = _ArchiveModel()
        self.archive_table.setModel(self.archive_model)
        self.archive_table.horizontalHeader().setStretchLastSection(True)
        self.archive_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.archive_table.horizontalHeader()
        for column in (0, 1):  # the reference and the date with its state in full; the title wraps in the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.archive_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.archive_table.doubleClicked.connect(
            lambda ix: self.open_review.emit(self.archive_model.rows[ix.row()].id))
        self.no_archive = EmptyState("Nothing to take down",
                                     "No published review reaches its archive date in the next 30 days.", self)
        self.archive_stack = QStackedWidget(self)
        self.archive_stack.addWidget(self.archive_table)
        self.archive_stack.addWidget(self.no_archive)

    def _build_actions(self) -> None:
        """Agency actions overdue, or an empty state."""
        self.actions_model = ActionModel()
        self.actions_table = QTableView(self)
        self.actions_table.horizontalHeader().setHighlightSections(False)  # headings stay as wide as set
        self.actions_table.setModel(self.actions_model)
        self.actions_table.setAccessibleName("Agency actions overdue")
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_table.setWordWrap(False)
        self.actions_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.actions_table.verticalHeader().setVisible(False)
        self.actions_table.verticalHeader().setDefaultSectionSize(self.actions_table.fontMetrics().height() + 10)
        for i, w in enumerate((120, 45, 150, 220, 0, 90, 0, 80)):
            if w:
                self.actions_table.setColumnWidth(i, w)
        for hidden in (4, 6):  # owner and status: the Actions page has them
            self.actions_table.setColumnHidden(hidden, True)
        self.actions_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.actions_table.doubleClicked.connect(
            lambda ix: self.open_review_actions.emit(self.actions_model.rows[ix.row()].review_id))
        self.no_actions = EmptyState("No agency action is overdue", "Actions past their due date and not yet "
                                     "completed, assured or declined appear here.", self)
        self.actions_stack = QStackedWidget(self)
        self.actions_stack.addWidget(self.actions_table)
        self.actions_stack.addWidget(self.no_actions)

    def _lay_out(self) -> None:
        """Clocks and actions on the left, stages and archive dates on the right, the summary above."""
        left = QVBoxLayout()
        left.addWidget(heading("Clocks overdue or due", self, 1.1))
        left.addWidget(self.clock_stack, 3)
        left.addWidget(heading("Agency actions overdue", self, 1.1))
        left.addWidget(self.actions_stack, 2)
        right = QVBoxLayout()
        right.addWidget(heading("Cases by stage", self, 1.1))
        right.addWidget(self.stage_box)
        right.addWidget(heading("Take off the website (archive date within 30 days)", self, 1.1))
        right.addWidget(hint("After three years a published report is archived: it comes off the website but stays "
                             "available on request.", self))
        right.addWidget(self.archive_stack, 1)
        self.holds_heading = heading("Publication holds to check", self, 1.1)
        self.holds_label = QLabel(self)
        self.holds_label.setWordWrap(True)
        self.holds_label.setAccessibleName("Publication holds to check")
        self.holds_label.linkActivated.connect(lambda link: self.open_review.emit(int(link.split(":")[1])))
        for w in (self.holds_heading, self.holds_label):
            w.hide()
            right.addWidget(w)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        self.calendar_button = QPushButton("Add deadlines to calendar…", self)
        self.calendar_button.setToolTip("Save every open clock and agency action as a calendar file (.ics) for "
                                        "Outlook or any calendar, each with a reminder when it turns amber")
        self.calendar_button.clicked.connect(self.export_calendar.emit)
        top = QHBoxLayout()
        top.addWidget(heading("Dashboard", self))
        top.addStretch(1)
        top.addWidget(self.calendar_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addLayout(body, 1)
        self.ctx.bus.changed.connect(self._changed)

    def refresh(self) -> None:
        """Read the dashboard's data in the background."""
        self.loading = True
        started = time.perf_counter()
        as_of = self.ctx.as_of()
        self.ctx.ops.query(
            self, lambda svc: DashboardData(svc.clocks.urgent(as_of), svc.registers.stage_counts(),
                                            svc.registers.archive_due(30, as_of),
                                            [a for a in svc.actions.overdue_clocks(as_of) if a.overdue],
                                            svc.publication_holds.past_expected_end(as_of)),
            lambda data: self._show(data, started), key="dashboard")

    def _show(self, data: DashboardData, started: float) -> None:
        self.clocks.set_rows(data.urgent)
        self.clock_stack.setCurrentWidget(self.table if data.urgent else self.no_clocks)
        overdue = sum(1 for c in data.urgent if c.rag is Rag.OVERDUE)
        due = len(data.urgent) - overdue
        open_cases = sum(n for k, n in data.stages.items() if k != Stage.CLOSED)
        self.summary.setText(
            f"As of {uk_long(self.ctx.as_of())}: <b>{overdue:,} overdue</b> and <b>{due:,} due</b> "
            f"within the amber window; {open_cases:,} open cases; "
            f"<a href='actions'>{counted(len(data.actions), 'agency action')} overdue</a>.")
        self.actions_model.set_rows(data.actions)
        self.actions_stack.setCurrentWidget(self.actions_table if data.actions else self.no_actions)
        for key, button in self.stage_buttons.items():
            button.setText(f"{data.stages.get(key, 0):,}")
        self.archive_model.set_rows(data.archive)
        self.archive_stack.setCurrentWidget(self.archive_table if data.archive else self.no_archive)
        self.holds_label.setText("<br>".join(
            f"<a href='review:{h.review_id}'>{h.review_reference}</a>: {h.kind.label.lower()} expected to end "
            f"{uk(h.expected_end)}; check the hold is still needed." for h in data.holds_to_check))
        for w in (self.holds_heading, self.holds_label):
            w.setVisible(bool(data.holds_to_check))
        self.loading = False
        self.last_load_seconds = time.perf_counter() - started

    def _open_clock(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        c = self.clocks.clocks[index.row()]
        {"incident": self.open_incident, "review": self.open_review, "request": self.open_request}[c.case_kind].emit(
            c.case_id)

    def _changed(self, changes: Changes) -> None:
        if changes.touches("incident", "review", "settings", "catalogue", "request", "action"):
            self.refresh()


class _ArchiveModel(ListTableModel):
    HEADERS = ("Case reference", "Archive date", "Title")
    RAG_COLUMN = 1

    def cells(self, r: ReviewRow) -> tuple[str, ...]:
        state = clock_state(r.rag, r.days or 0) if r.rag is not None else ""
        return r.case_reference, uk(r.next_due) + (f" ({state})" if state else ""), r.title  # colour and words

    def rag(self, r: ReviewRow) -> Rag | None:
        return r.rag
