"""The Statistics page: ten financial years of notifications, Rapid Reviews, reviews commissioned and child
deaths; Chart 1 (reviews commissioned per year) and Chart 2 (child deaths against reviews); the on-time shares;
and the seed page's statement computed from the figures. Child deaths and national figures are entered here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.case_numbers import financial_year_bounds, financial_year_label, financial_year_start
from bscp_desktop.services import Op, Services, ValidationError
from bscp_desktop.services.incidents.characteristics import ChildrenNotified
from bscp_desktop.services.reporting.annual import Statistics
from bscp_desktop.services.reviews.slippage import SlippageRow, SlippageSummary
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.barchart import BarChart
from bscp_desktop.ui.widgets.common import heading, hint
from bscp_desktop.util.dates import uk

BLUE, ORANGE = "#2f6db5", "#d9822b"
HEADERS = ("Year", "Notifications", "on time", "Rapid Reviews", "on time", "Commissioned", "Published",
           "Child deaths", "Reviews in England", "Share of children %")


def _number(text: str) -> int | None:
    return int(text) if text.strip() else None


SLIPPAGE_HEADERS = ("LCSPR", "Decided", "Target", "Published / planned", "Days late", "Why")


class StatisticsPage(QWidget):
    """Annual figures and Charts 1 and 2."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.stats: Statistics | None = None
        self.dialog: FieldsDialog | None = None
        self.year = QComboBox(self)
        self.year.setAccessibleName("Last financial year")
        this = financial_year_start(ctx.as_of())
        for y in range(this, this - 15, -1):
            self.year.addItem(f"Ten years to {financial_year_label(y)}", y)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.slippage = QLabel(self)
        self.slippage.setWordWrap(True)
        self.slippage.setAccessibleName("Publication against the target")
        self.slippage_summary: SlippageSummary | None = None
        self.slippage_table = self._slippage_table()
        self.table = self._years_table()
        self.edit_button = self.ctx.writes(QPushButton("Enter figures for the selected year…", self))
        self.edit_button.clicked.connect(self.edit_year)
        self.chart1 = BarChart("Chart 1 — Reviews commissioned per year", self)
        self.chart2 = BarChart("Chart 2 — Child deaths compared with reviews commissioned", self)
        top = QHBoxLayout()
        top.addWidget(heading("Statistics", self))
        top.addStretch(1)
        top.addWidget(self.year)
        charts = QHBoxLayout()
        charts.addWidget(self.chart1, 1)
        charts.addWidget(self.chart2, 1)
        row = QHBoxLayout()
        row.addWidget(hint("Counts come from the register (by the date of each step, in the financial year 1 April "
                           "to 31 March). Child deaths come from the Child Death Overview Panel and national "
                           "figures from published statistics: enter them per year.", self), 1)
        row.addWidget(self.edit_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.slippage)
        lay.addWidget(self.table)
        lay.addLayout(row)
        lay.addWidget(self._tabs(charts), 1)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        ctx.bus.changed.connect(lambda ch: self.refresh() if ch.touches("incident", "review", "reference") else None)

    def _years_table(self) -> QTableWidget:
        """The figures by financial year, a row each (double-click a year to enter its figures)."""
        table = QTableWidget(0, len(HEADERS), self)
        table.setAccessibleName("Figures by financial year")
        table.setHorizontalHeaderLabels(HEADERS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.doubleClicked.connect(lambda _ix: self.edit_year())
        return table

    def _slippage_table(self) -> QTableWidget:
        """Each LCSPR against its publication target."""
        table = QTableWidget(0, len(SLIPPAGE_HEADERS), self)
        table.setAccessibleName("LCSPRs against the publication target")
        table.setHorizontalHeaderLabels(SLIPPAGE_HEADERS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate((130, 95, 95, 150, 80)):
            table.setColumnWidth(c, w)
        return table

    def _tabs(self, charts: QHBoxLayout) -> QTabWidget:
        """Charts 1 and 2, each LCSPR against the target, and the children notified by characteristic."""
        charts_tab = QWidget(self)
        charts_tab.setLayout(charts)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(charts_tab, "Charts 1 and 2")
        self.tabs.addTab(self.slippage_table, "LCSPRs against the publication target")
        self.children_table = self._children_table()
        self.tabs.addTab(self.children_table, "Children notified, by characteristic")
        return self.tabs

    def _children_table(self) -> QTableWidget:
        """Notifications and children per year, and the children by the DfE's characteristics."""
        table = QTableWidget(0, 2, self)
        table.setAccessibleName("Children notified, by characteristic")
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def _show_children(self, got: ChildrenNotified) -> None:
        labels = got.labels
        table = self.children_table
        table.setColumnCount(2 + len(labels))
        table.setHorizontalHeaderLabels(["Characteristic", "", *labels])
        rows: list[tuple[str, str, tuple[int, ...]]] = [("Notifications", "", got.notifications),
                                                        ("Children", "", got.children)]
        for b in got.breakdowns:
            rows += [(b.characteristic if i == 0 else "", label, counts) for i, (label, counts) in enumerate(b.values)]
        table.setRowCount(len(rows))
        for r, (name, label, counts) in enumerate(rows):
            for c, text in enumerate((name, label, *(f"{n:,}" for n in counts))):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        table.setColumnWidth(0, 150)
        table.setColumnWidth(1, 230)
        for c in range(2, 2 + len(labels)):
            table.setColumnWidth(c, 70)

    def refresh(self) -> None:
        """Read the figures in the background."""
        self.loading = True
        last = self.year.currentData()
        self.ctx.ops.query(self, lambda svc: svc.characteristics.children_notified(last), self._show_children,
                           key="children")
        lo, hi = financial_year_bounds(last - 9)[0], min(financial_year_bounds(last)[1], self.ctx.as_of())
        self.ctx.ops.query(self, lambda svc: svc.annual.statistics(last), self._show, key="statistics")
        self.ctx.ops.query(self, lambda svc: (svc.slippage.summary(lo, hi), [
            r for r in svc.slippage.rows() if not r.published or (r.when and lo <= r.when <= hi)]),
            self._show_slippage, key="slippage")

    def _show_slippage(self, got: tuple[SlippageSummary, list[SlippageRow]]) -> None:
        summary, rows = got
        self.slippage_summary = summary
        self.slippage_rows = rows
        self.slippage_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (row.reference, uk(row.decided), uk(row.target),
                     (uk(row.when) + ("" if row.published else " (planned)")) if row.when else "—",
                     f"{row.days_late:,}" if row.late else "on time", row.reason or "—")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.slippage_table.setItem(r, c, item)
        if not summary.published:
            self.slippage.setText("No LCSPR was published in these years.")
            return
        share = f"{summary.share_on_time:.0%}" if summary.share_on_time is not None else "—"
        reasons = "; ".join(f"{reason} ({n})" for reason, n in summary.reasons[:3])
        self.slippage.setText(f"LCSPRs published in these years: {summary.published}, {summary.on_time} within the "
                              f"six-month target ({share})." + (f" Commonest reasons for delay: {reasons}. Each "
                                                                "review is listed under the second tab below."
                                                                if reasons else ""))

    def _show(self, stats: Statistics) -> None:
        self.stats = stats
        self.loading = False
        pct = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
        self.summary.setText(f"{stats.sentence()} Notifications on time: {pct(stats.notifications_on_time)}; "
                             f"Rapid Reviews on time: {pct(stats.rapid_reviews_on_time)}.")
        self.table.setRowCount(len(stats.years))
        for r, y in enumerate(stats.years):
            c = y.counted
            values = (c.label, c.notifications, c.notifications_on_time, c.rapid_reviews, c.rapid_reviews_on_time,
                      c.reviews_commissioned, c.reviews_published, y.child_deaths, y.national_reviews,
                      y.child_population_share)
            for col, v in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem("—" if v is None else f"{v:g}" if isinstance(v, float)
                                                            else str(v)))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + sum(
            self.table.rowHeight(i) for i in range(len(stats.years))) + 4)
        labels = [y.counted.label for y in stats.years]
        reviews = [y.counted.reviews_commissioned for y in stats.years]
        self.chart1.set_data(labels, [("Reviews commissioned", reviews, BLUE)])
        self.chart2.set_data(labels, [("Child deaths", [y.child_deaths for y in stats.years], ORANGE),
                                      ("Reviews commissioned", reviews, BLUE)])

    def edit_year(self) -> FieldsDialog | None:
        """Enter the selected year's child deaths and national figures (returned for tests)."""
        rows = self.table.selectionModel().selectedRows()
        if self.stats is None or not rows:
            return None
        y = self.stats.years[rows[0].row()]
        fy = y.counted.first_year

        def submit(x: dict[str, Any]) -> Callable[[Services], Op[Any]]:
            deaths_text, national_text = x["Child deaths"], x["Reviews in England"]
            share = x["Share of England's children"].strip()

            def call(svc: Services) -> Op[Any]:  # the checks run with the save, so their message shows in place
                try:
                    deaths, national = _number(deaths_text), _number(national_text)
                except ValueError:
                    raise ValidationError.one("Child deaths", "must be whole numbers") from None
                try:
                    share_value = float(share) if share else None
                except ValueError:
                    raise ValidationError.one("Share of England's children",
                                              "must be a percentage, such as 2.0") from None
                return svc.annual.set_year(fy, deaths, national, share_value)
            return call

        specs = [Spec("Child deaths", "line", "" if y.child_deaths is None else y.child_deaths),
                 Spec("Reviews in England", "line", "" if y.national_reviews is None else y.national_reviews),
                 Spec("Share of England's children", "line",
                      "" if y.child_population_share is None else y.child_population_share, placeholder="percent, such as 2.0")]
        dlg = FieldsDialog(self.ctx, f"Figures for {y.counted.label}", "Leave a figure blank if it is not known.",
                           specs, submit, lambda _op: None, self.refresh, self)
        self.dialog = dlg
        dlg.open()
        return dlg
