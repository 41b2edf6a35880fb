"""The Reports page: pick a report and its options, generate it in the background with a progress bar, preview
it in the window (QtPdf), print it through the system print dialog, or save a copy.

One report is current at a time: the one the preview shows, kept in memory (never in a temporary file). Print and
Save act on it and name it from it; changing the report chosen or any option clears it (and drops a report still
being generated for the old choice), so what is saved is always what was seen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.reports import (
    CASE_REPORTS,
    REPORTS,
    WORD_SUFFIX,
    ReportOptions,
    render,
    render_pdf,
    title_of,
    write_whole,
    writes_word,
)
from bscp_desktop.ui.pages import register
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import EmptyState, FieldError, SteadyLabel, heading, hint, secondary
from bscp_desktop.ui.widgets.dates import DateField
from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

DESCRIPTIONS = {
    "deadlines": "Every open clock, overdue first then by due date, with a count per RAG state.",
    "status": "Every open case by lifecycle stage with its key dates and days in stage; cases closed in the period.",
    "catalogue": "Every publication: reference, title, publication date, published or archived, documents held, "
                 "briefing notes.",
    "requests": "Archive requests received in the period, their due dates and the share answered on time.",
    "learning": "Each review's recommendations and agency actions: owner, due date, status and RAG, with the share "
                "completed or assured and how many are overdue.",
    "annual": "The financial year that contains the end of the period and the nine before it: notifications, Rapid "
              "Reviews, reviews commissioned, child deaths, with Charts 1 and 2.",
    "case": "One case's key facts, every clock and its history, for the case file.",
    "rapid-review": "An incident's Rapid Review report for the Panel: the children, the agencies' returns, the "
                    "sections Working Together 2023 asks for, the decision and the partners' sign-off. Save as Word "
                    "to edit it before sending.",
    "notification": "One page of what the Panel's online notification form asks, filled from an incident's record, "
                    "to copy from.",
    "retention": "The retention schedule, the records due for disposal review as of the date, the legal holds and "
                 "the disposal log, for the records manager.",
}
USES_PERIOD = ("status", "requests", "annual")


@dataclass(frozen=True)
class GeneratedReport:
    """The report the preview shows: what it is, the options it was made with, and its PDF's bytes."""

    kind: str
    options: ReportOptions
    pdf: bytes

    @property
    def title(self) -> str:
        """The report's title."""
        return title_of(self.kind)

    def file_name(self, suffix: str = ".pdf") -> str:
        """The name Save as… suggests: the report and, for one case's report, its reference."""
        case = f"-{self.options.case.replace('/', '-')}" if self.kind in CASE_REPORTS and self.options.case else ""
        return f"{self.kind}{case}-{self.options.as_of:%Y-%m-%d}{suffix}"


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """Show the system print dialog (module-level so tests can answer it)."""
    return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted


class ReportsPage(QWidget):
    """Generate, preview, print and save the PDF reports."""

    NOTHING_YET = ("No report yet", "Choose a report and its options, then press Generate. The report appears here "
                   "to read, print or save.")
    CHANGED = ("Options changed", "The report chosen or its options changed since the last one was generated. "
               "Press Generate to see the report as now chosen; Print and Save act on what is shown here.")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loading = False
        self.current: GeneratedReport | None = None
        self._buffer: QBuffer | None = None  # the current report's bytes as the preview reads them
        self._asked = 0  # numbers each Generate; a report that arrives for an older one is dropped
        self._build_options()
        self._build_preview()
        self._connect()

    def _build_options(self) -> None:
        """The reports to choose from, their options, and Generate, Print and Save."""
        self.kinds = QListWidget(self)
        self.kinds.setAccessibleName("Reports")
        for kind in REPORTS:
            item = QListWidgetItem(title_of(kind), self.kinds)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(DESCRIPTIONS[kind])
        self.kinds.setFixedHeight(self.kinds.sizeHintForRow(0) * len(REPORTS) + 8)
        self.description = secondary(SteadyLabel(list(DESCRIPTIONS.values()), self))  # the buttons below stay put
        self.description.setAccessibleName("What the report holds")
        self.as_of = DateField("As of", self, required=True)
        self.start = DateField("From", self)
        self.end = DateField("To", self)
        self.case = QLineEdit(self)
        self.case.setAccessibleName("Case reference")
        self.case.setPlaceholderText("SI2025-26/014 or BSCP2025-26/02")
        form = QFormLayout()
        form.addRow("As of:", self.as_of)
        form.addRow("From:", self.start)
        form.addRow("To:", self.end)
        form.addRow("Case:", self.case)
        self.error = FieldError(self)
        self.generate_button = QPushButton("Generate", self)
        self.generate_button.setDefault(True)
        self.print_button = QPushButton("Print…", self)
        self.save_button = QPushButton("Save as…", self)
        for b in (self.print_button, self.save_button):
            b.setEnabled(False)
        options = QGroupBox("Options", self)
        ol = QVBoxLayout(options)
        ol.addLayout(form)
        ol.addWidget(hint("The period defaults to the financial year to date. Dates are DD/MM/YYYY.", self))
        ol.addWidget(self.error)
        left = QVBoxLayout()
        left.addWidget(heading("Reports", self))
        left.addWidget(self.kinds)
        left.addWidget(self.description)
        left.addWidget(options)
        left.addWidget(self.generate_button)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        left.addLayout(row)
        left.addStretch(1)
        self.options_panel = QWidget(self)
        self.options_panel.setLayout(left)
        self.options_panel.setFixedWidth(340)

    def _build_preview(self) -> None:
        """The preview of the generated PDF (an empty state before the first), beside the options. Qt's PDF
        viewer is made with the first report (``_viewer``): loading it would cost the window's start a tenth of
        a second for a page most days never open."""
        self.document: QPdfDocument | None = None
        self.view: QPdfView | None = None
        self.placeholder = EmptyState(*self.NOTHING_YET, self)
        self.preview = QStackedWidget(self)
        self.preview.addWidget(self.placeholder)
        self.page_label = QLabel(self)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.page_label)
        lay = QHBoxLayout(self)
        lay.addWidget(self.options_panel)
        lay.addLayout(right, 1)

    def _viewer(self) -> tuple[QPdfDocument, QPdfView]:
        """The PDF document and its view in the preview, made the first time a report is shown."""
        if self.document is None or self.view is None:
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self.document = QPdfDocument(self)
            self.view = QPdfView(self)
            self.view.setAccessibleName("Report preview")
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.preview.addWidget(self.view)
        return self.document, self.view

    def _connect(self) -> None:
        """The buttons, and the first report chosen as of today."""
        self.kinds.currentRowChanged.connect(self._kind_changed)
        for field in (self.as_of, self.start, self.end):
            field.changed.connect(self._options_changed)
        self.case.textChanged.connect(self._options_changed)
        self.generate_button.clicked.connect(self.generate)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_copy)
        self.kinds.setCurrentRow(0)
        self.as_of.set_value(self.ctx.as_of())

    def refresh(self) -> None:
        """Nothing is read until a report is generated."""

    def kind(self) -> str:
        """The chosen report."""
        return self.kinds.currentItem().data(Qt.ItemDataRole.UserRole)

    def select(self, kind: str) -> None:
        """Choose a report by its id."""
        self.kinds.setCurrentRow(REPORTS.index(kind))

    def show_case(self, reference: str, kind: str = "case") -> None:
        """Generate report ``kind`` (the case report, the Rapid Review report, the notification sheet) of
        ``reference``, as of today."""
        self.select(kind)
        self.case.setText(reference)
        self.as_of.set_value(self.ctx.as_of())
        self.generate()

    def _kind_changed(self, _row: int) -> None:
        kind = self.kind()
        self.description.setText(DESCRIPTIONS[kind])
        for w in (self.start, self.end):
            w.setEnabled(kind in USES_PERIOD)
        self.case.setEnabled(kind in CASE_REPORTS)
        self._options_changed()

    def _options_changed(self, *_args: object) -> None:
        """The choice on screen is no longer the report shown: clear the preview (and forget a report still
        being generated), so nothing can print or save a report other than the one chosen."""
        self._asked += 1
        if self.loading:
            self.loading = False
            self.generate_button.setEnabled(True)
        if self.current is not None:
            self._show(None)
            self.placeholder.title.setText(self.CHANGED[0])
            self.placeholder.text.setText(self.CHANGED[1])

    def _show(self, report: GeneratedReport | None) -> None:
        """Make ``report`` the current one and preview it from memory (None: an empty preview)."""
        if self.document is not None:
            self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self.current = report
        if report is None:
            self.preview.setCurrentWidget(self.placeholder)
            self.page_label.setText("")
        else:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(report.pdf))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            document, view = self._viewer()
            document.load(self._buffer)
            self.preview.setCurrentWidget(view)
            self.page_label.setText(f"{report.title}: {counted(document.pageCount(), 'page')}")
        for b in (self.print_button, self.save_button):
            b.setEnabled(report is not None)

    def options(self) -> ReportOptions | None:
        """The options on screen, or None (with a message) when one is not acceptable."""
        self.error.show_message(None)
        for f in (self.as_of, self.start, self.end):
            if f.isEnabled() and f.error():
                self.error.show_message(f"{f.name}: {f.error()}")
                return None
        as_of = self.as_of.value()
        assert as_of is not None
        start, end = (self.start.value(), self.end.value()) if self.kind() in USES_PERIOD else (None, None)
        if start and end and start > end:
            self.error.show_message(f"From: {start:%d/%m/%Y} is after To ({end:%d/%m/%Y})")
            return None
        if self.kind() in CASE_REPORTS and not self.case.text().strip():
            self.error.show_message("Case: enter the reference of an incident or a review" if self.kind() == "case"
                                    else "Case: enter the reference of an incident")
            return None
        return ReportOptions(as_of, start, end, self.case.text().strip())

    def generate(self) -> None:
        """Generate the chosen report in the background, then preview it."""
        opts = self.options()
        if opts is None:
            return
        kind = self.kind()
        self._asked += 1
        asked = self._asked
        self.loading = True
        self.generate_button.setEnabled(False)
        self.ctx.ops.long_query(self, f"Generating {title_of(kind).lower()}",
                                lambda svc, progress: GeneratedReport(kind, opts, render_pdf(svc, kind, opts, progress)),
                                lambda report: self._generated(asked, report),
                                on_error=lambda exc: self._failed(asked, exc))

    def _generated(self, asked: int, report: GeneratedReport) -> None:
        if asked != self._asked:  # the choice changed while it was being made: not the report on screen
            return
        self.loading = False
        self.generate_button.setEnabled(True)
        self._show(report)

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        self.loading = False
        self.generate_button.setEnabled(True)
        from bscp_desktop.services import NotFound

        if isinstance(exc, NotFound):
            self.error.show_message(f"Case: no incident or review has the reference '{self.case.text().strip()}'")
        elif isinstance(exc, ValueError):  # a review's reference for an incident's report, say
            self.error.show_message(f"Case: {exc}")
        else:
            errors.show_error(self, exc)

    def save_copy(self) -> None:
        """Save the report the preview shows where the user chooses (as Word, for a report that has it, made
        afresh from the same options, to edit)."""
        report = self.current
        if report is None:
            return
        word = writes_word(report.kind)
        path = register.save_path(self, f"Save {report.title.lower()}", report.file_name(),
                                  "PDF files (*.pdf);;Word documents (*.docx)" if word else "PDF files (*.pdf)")
        if path is None:
            return
        if word and path.suffix.lower() == WORD_SUFFIX:
            self.ctx.ops.long_query(self, f"Writing {report.title.lower()} as a Word document",
                                    lambda svc, progress: render(svc, report.kind, path, report.options, progress),
                                    lambda p: errors.information(self, "Saved", f"The report was saved to {p}"))
            return
        try:
            write_whole(path, report.pdf)
        except OSError as e:
            errors.critical(self, "Not saved", f"The report could not be saved to {path}: {e.strerror or e}")
            return
        errors.information(self, "Saved", f"{report.title} was saved to {path}")

    def print_report(self, printer: QPrinter | None = None) -> bool:
        """Print the previewed report through the system print dialog; True when it was printed."""
        document = self.document
        if self.current is None or document is None or document.pageCount() == 0:
            return False
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.current.title)
        if not ask_printer(self, printer):
            return False
        pages = document.pageCount()
        progress = QProgressDialog("Printing…", "Cancel", 0, pages, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        painter = QPainter()
        if not painter.begin(printer):
            errors.critical(self, "Not printed", "The printer could not be started.")
            return False
        try:
            dpi = min(printer.resolution(), 300)  # enough for print; keeps each page image modest
            for i in range(pages):
                if progress.wasCanceled():
                    return False
                if i:
                    printer.newPage()
                points = document.pagePointSize(i)
                image = document.render(i, QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72)))
                target = painter.viewport()
                scale = min(target.width() / image.width(), target.height() / image.height())
                painter.drawImage(QRectF(0, 0, image.width() * scale, image.height() * scale), image)
                progress.setValue(i + 1)
        finally:
            painter.end()
            progress.close()
        return True
