"""The Reports page: generate in the background, preview, print through the print dialog, save a copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from tests.ui.conftest import idle, type_into


def generate(qtbot: Any, window: Any, kind: str) -> Any:
    window.show_page("Reports")
    page = window.reports_page
    page.select(kind)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    return page


def test_generate_preview_print_and_save(qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.pages import register, reports

    page = window.reports_page
    window.show_page("Reports")
    assert page.preview.currentWidget() is page.placeholder and not page.print_button.isEnabled()
    page = generate(qtbot, window, "deadlines")
    assert page.current is not None and page.current.exists()
    assert page.preview.currentWidget() is page.view and page.document.pageCount() >= 1
    assert page.page_label.text().startswith("Deadlines: ")
    # print: the dialog is answered, the printer writes a PDF we can read back
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    monkeypatch.setattr(reports, "ask_printer", lambda _p, _pr: True)
    assert page.print_report(printer)
    assert len(PdfReader(printed).pages) == page.document.pageCount()
    monkeypatch.setattr(reports, "ask_printer", lambda _p, _pr: False)
    assert not page.print_report(QPrinter())  # cancelled in the dialog
    # save a copy
    monkeypatch.setattr(register, "save_path", lambda *_a: tmp_path / "copy.pdf")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "copy.pdf").read_bytes() == page.current.read_bytes()
    assert answers["shown"][-1][0] == "Saved"


def test_ctrl_p_from_the_dashboard_chooses_the_deadlines_report(qtbot: Any, window: Any) -> None:
    window.show_page("Dashboard")
    window.reports_page.select("annual")
    window.act_print.trigger()
    assert window.current_page() is window.reports_page and window.reports_page.kind() == "deadlines"


def test_options_are_checked(qtbot: Any, window: Any) -> None:
    window.show_page("Reports")
    page = window.reports_page
    page.select("status")
    type_into(qtbot, page.start.edit, "01/05/2026")
    type_into(qtbot, page.end.edit, "01/04/2026")
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert "is after To" in page.error.text() and page.current is None
    page.select("case")
    assert page.case.isEnabled() and not page.start.isEnabled()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert "enter the reference" in page.error.text()
    type_into(qtbot, page.case, "SI1999-00/001")
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "no incident or review has the reference" in page.error.text() and page.current is None
    ref = window.ctx._svc.incidents.get(1).local_ref
    type_into(qtbot, page.case, ref)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert page.current is not None
    assert ref in PdfReader(page.current).pages[0].extract_text()


def test_the_rapid_review_report_and_notification_sheet_from_the_incident_form(
        qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    import datetime as dt

    from docx import Document

    from bscp_desktop.reports.rapid_review import SIGN_OFF_HEADING
    from bscp_desktop.services.incidents import IncidentInput
    from bscp_desktop.services.registers import RegisterFilter
    from bscp_desktop.ui.pages import register

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Report", "died", dt.date(2026, 11, 2))).value
    v = svc.incidents.record_notification(v.id, v.version, dt.date(2026, 11, 3)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    qtbot.mouseClick(form.notification_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    page = window.reports_page
    assert page.kind() == "notification" and page.case.text() == v.local_ref
    text = " ".join(p.extract_text() for p in PdfReader(page.current).pages)
    assert "Child Report" in text and "Looked after" in text
    qtbot.mouseClick(form.rapid_review_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert page.kind() == "rapid-review" and page.document.pageCount() >= 1
    assert SIGN_OFF_HEADING in " ".join(" ".join(p.extract_text().split()) for p in PdfReader(page.current).pages)
    monkeypatch.setattr(register, "save_path", lambda *_a: tmp_path / "rapid-review.docx")  # saved as Word
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert answers["shown"][-1][0] == "Saved"
    doc = Document(str(tmp_path / "rapid-review.docx"))
    assert SIGN_OFF_HEADING in [p.text for p in doc.paragraphs]
    # a review's reference is refused for an incident's report, with one line saying so
    page.case.setText(svc.reviews.get(svc.registers.review_ids(RegisterFilter())[0]).case_reference)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "the Rapid Review report is of an incident" in page.error.text()
