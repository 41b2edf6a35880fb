"""The Reports page: generate in the background, preview, print through the print dialog, save a copy."""

from __future__ import annotations

import datetime as dt
import io
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
    assert page.current is not None and page.current.pdf.startswith(b"%PDF")
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
    assert (tmp_path / "copy.pdf").read_bytes() == page.current.pdf
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
    assert ref in PdfReader(io.BytesIO(page.current.pdf)).pages[0].extract_text()


def test_the_rapid_review_report_and_notification_sheet_from_the_incident_form(
        qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    import datetime as dt

    from docx import Document

    from bscp_desktop.reports.rapid_review import SIGN_OFF_HEADING
    from bscp_desktop.services.incidents.input import IncidentInput
    from bscp_desktop.services.registers.registers import RegisterFilter
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
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.current.pdf)).pages)
    assert "Child Report" in text and "Looked after" in text
    qtbot.mouseClick(form.rapid_review_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert page.kind() == "rapid-review" and page.document.pageCount() >= 1
    assert SIGN_OFF_HEADING in " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(page.current.pdf)).pages)
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


def saved_title(qtbot: Any, window: Any, page: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Save the current report through Save as… and read back the saved PDF's title and what it is as of."""
    from bscp_desktop.ui.pages import register

    monkeypatch.setattr(register, "save_path", lambda *_a: path)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    meta = PdfReader(path).metadata
    return f"{meta.title.split(' — ')[0]} | {meta.subject.split(' (')[0]}"


def test_save_and_print_act_only_on_the_report_on_screen(qtbot: Any, window: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """After any change of the report chosen or of an option, nothing from before can be printed or saved: the
    preview says so; Generate makes the report chosen, and what is saved is what is shown, named from it."""
    page = generate(qtbot, window, "deadlines")
    assert saved_title(qtbot, window, page, tmp_path / "1.pdf", monkeypatch) == "Deadlines | Deadlines as of 20/11/2026"
    changes = [
        ("another report chosen", lambda: page.select("notification")),
        ("as-of date typed", lambda: type_into(qtbot, page.as_of.edit, "19/11/2026")),
        ("case reference typed", lambda: type_into(qtbot, page.case, "SI2026-27/001")),
    ]
    for n, (what, change) in enumerate(changes, start=2):
        page.select("deadlines")
        page.as_of.set_value(dt.date(2026, 11, 20))
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
        idle(qtbot, window)
        assert page.current is not None and page.save_button.isEnabled(), what
        change()
        assert page.current is None, what
        assert not page.save_button.isEnabled() and not page.print_button.isEnabled(), what
        assert page.preview.currentWidget() is page.placeholder and page.placeholder.title.text() == "Options changed"
        assert not page.print_report(), what
        if page.kind() == "notification":
            page.case.setText(window.ctx._svc.incidents.get(1).local_ref)
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
        idle(qtbot, window)
        title, _ = saved_title(qtbot, window, page, tmp_path / f"{n}.pdf", monkeypatch).split(" | ")
        assert title == page.current.title, what
    # the period of a report that has one
    page.select("status")
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    type_into(qtbot, page.start.edit, "01/05/2026")
    assert page.current is None and not page.save_button.isEnabled()
    # a report still being made for the old choice is dropped when it arrives
    page.select("deadlines")
    page.generate()
    page.select("catalogue")
    idle(qtbot, window)
    assert page.current is None and page.generate_button.isEnabled()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert page.current is not None and page.current.kind == "catalogue"
    assert page.current.file_name() == "catalogue-2026-11-20.pdf"


def test_no_report_or_document_is_left_in_a_temporary_folder(qtbot: Any, window: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Previews are made in memory; a document opened in an outside viewer goes to the program's private
    folder (0700, the file 0600) and is gone when the window closes; the system's temporary folder gets
    nothing."""
    import os
    import stat
    import tempfile

    from bscp_desktop.store import private_temp
    from bscp_desktop.ui.pages import catalogue

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR afresh
    for kind in ("deadlines", "status", "case"):
        page = generate(qtbot, window, kind) if kind != "case" else None
        if page is None:
            window.reports_page.case.setText(window.ctx._svc.incidents.get(1).local_ref)
            page = generate(qtbot, window, "case")
        assert page.current is not None and page.document.pageCount() >= 1
    svc = window.ctx._svc
    from tests.ui.test_catalogue_requests_pages import bare_archived_review, show_catalogue

    bare = bare_archived_review(svc)
    review = svc.reviews.by_reference(bare)
    document = tmp_path / "Fictional report.pdf"
    document.write_bytes(b"%PDF a fictional report naming Child Canary")
    svc.documents.add(document, "report", review_id=review.id)
    opened: list[Path] = []
    monkeypatch.setattr(catalogue, "open_file", lambda p: opened.append(p) or True)
    cat = show_catalogue(qtbot, window, bare)
    cat.documents.selectRow(0)
    cat.open_document()
    idle(qtbot, window)
    assert len(opened) == 1 and opened[0].read_bytes() == document.read_bytes()
    root = private_temp.temporary_root()
    assert opened[0].is_relative_to(root)
    assert stat.S_IMODE(opened[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(opened[0].parent.parent.stat().st_mode) == 0o700
    window.close()
    assert list(root.iterdir()) == []  # the private folder went with the window
    assert list(system_temp.iterdir()) == []  # and the system's temporary folder never had anything
    assert os.listdir(tempfile.gettempdir()) == []


def test_a_crashed_programs_private_folder_is_removed_at_the_next_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    from bscp_desktop.store import private_temp

    mine = private_temp.private_file("mine.pdf", b"kept while this program runs")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    leftover = private_temp.temporary_root() / f"{dead.stdout.strip()}-abcd1234"
    (leftover / "x").mkdir(parents=True)
    (leftover / "x" / "report.pdf").write_bytes(b"left by a crash")
    assert private_temp.sweep_leftovers() == 1
    assert not leftover.exists() and mine.exists()
    private_temp.remove_session_folder()
    assert not mine.exists()
