"""Catalogue and Archive requests pages: add a document, search, log a request, fulfil it."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from tests.ui.conftest import idle, type_into


def show_catalogue(qtbot: Any, window: Any, reference: str) -> Any:
    window.show_page("Catalogue")
    idle(qtbot, window)
    page = window.catalogue_page
    assert page.select_reference(reference)
    idle(qtbot, window)
    return page


def bare_archived_review(svc: Any) -> str:
    """The reference of an archived catalogue review that holds no document yet (the demo stores a stand-in
    document for each publication its archive requests ask for)."""
    return next(r.reference for r in svc.catalogue.entries() if r.status == "archived" and r.documents == 0)


def test_search_and_filter_the_catalogue(qtbot: Any, window: Any) -> None:
    window.show_page("Catalogue")
    idle(qtbot, window)
    page = window.catalogue_page
    total = len(page.model.rows)
    assert total > 14 and page.count.text() == f"{total:,} publications"
    type_into(qtbot, page.search, "breaking the cycle")
    idle(qtbot, window)
    assert [r.reference for r in page.model.rows] == ["BSCP2022-23/02"]
    assert page.current is not None and page.current.reference == "BSCP2022-23/02"  # selected by itself
    assert "Serious Youth Violence" in page.notes_label.text()
    page.search.clear()
    idle(qtbot, window)
    page.status.setCurrentIndex(page.status.findData("archived"))
    idle(qtbot, window)
    assert page.model.rows and all(r.status == "archived" for r in page.model.rows)
    assert "BSCP2020-21/02" in [r.reference for r in page.model.rows]


def test_add_documents_by_picker_and_by_drop(qtbot: Any, window: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.pages import catalogue
    from bscp_desktop.ui.widgets import files

    bare = bare_archived_review(window.ctx._svc)
    page = show_catalogue(qtbot, window, bare)
    report = tmp_path / "Full report.pdf"
    report.write_bytes(b"%PDF fictional full report" * 40)
    monkeypatch.setattr(files, "choose_documents", lambda _p: [report])
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert [d.file_name for d in page.documents.documents] == ["Full report.pdf"]
    assert page.documents.documents[0].kind == "report"
    slides = tmp_path / "Team meeting.pptx"
    slides.write_bytes(b"PK fictional slides" * 40)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(slides))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    page.documents.dropEvent(drop)
    idle(qtbot, window)
    kinds = {d.file_name: d.kind for d in page.documents.documents}
    assert kinds == {"Full report.pdf": "report", "Team meeting.pptx": "presentation"}
    # the same file again is recognised; refusing the offer adds nothing
    answers["ask"] = False
    page.add_files([report])
    idle(qtbot, window)
    assert any(title == "Already stored" for title, _ in answers["shown"])
    assert len(page.documents.documents) == 2
    # open a temporary copy with the system viewer
    opened: list[Path] = []
    monkeypatch.setattr(catalogue, "open_file", lambda p: opened.append(p) or True)
    page.documents.selectRow(0)
    page.open_document()
    idle(qtbot, window)
    assert opened and opened[0].read_bytes() == report.read_bytes()
    assert page.model.rows[[r.reference for r in page.model.rows].index(bare)].documents == 2


def test_log_and_fulfil_a_request(qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  answers: dict[str, Any]) -> None:
    from bscp_desktop.ui.pages import catalogue, requests

    svc = window.ctx._svc
    rid = svc.reviews.by_reference(bare_archived_review(svc)).id
    report = tmp_path / "Report.pdf"
    report.write_bytes(b"%PDF fictional report" * 30)
    doc = svc.documents.add(report, "report", review_id=rid).value
    window.show_page("Archive requests")
    idle(qtbot, window)
    page = window.requests_page
    before = len(svc.requests.all())
    dlg = page.log_request()
    type_into(qtbot, dlg.fields["Requester"].widget, "A Researcher")
    type_into(qtbot, dlg.fields["E-mail"].widget, "not-an-address")
    checklist = dlg.fields["Publications"].widget
    for i in range(checklist.count()):
        if checklist.item(i).data(Qt.ItemDataRole.UserRole) == rid:
            checklist.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert dlg.isVisible() and "not a valid e-mail address" in dlg.fields["E-mail"].error.text()
    assert len(svc.requests.all()) == before
    type_into(qtbot, dlg.fields["E-mail"].widget, "researcher@example.org")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    logged = [r for r in svc.requests.all() if r.email == "researcher@example.org"]
    assert len(logged) == 1 and logged[0].status == "received"
    page.status.setCurrentIndex(page.status.findData(""))
    idle(qtbot, window)
    page.table.selectRow([r.id for r in page.model.rows].index(logged[0].id))
    assert page.current is not None and page.current.id == logged[0].id
    assert "Answer" not in page.labels["Due"].text() and logged[0].due.strftime("%d/%m/%Y") in page.labels["Due"].text()
    # fulfil it: the dialog's release folder points at the test's folder
    opened: list[Path] = []
    monkeypatch.setattr(requests, "open_file", lambda p: opened.append(p) or True)
    monkeypatch.setattr(catalogue, "open_file", lambda p: opened.append(p) or True)
    qtbot.mouseClick(page.findChild(QPushButton, "request-fulfilled"), Qt.MouseButton.LeftButton)
    idle(qtbot, window)  # the dialog opens once the request's documents are read
    fdlg = page.dialog
    assert fdlg is not None and fdlg.windowTitle().startswith("Fulfil")
    type_into(qtbot, fdlg.fields["Release folder"].widget, str(tmp_path / "releases"))
    qtbot.mouseClick(fdlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    release = page.last_release
    assert release is not None and opened == [release.folder]
    assert (release.folder / "Report.pdf").read_bytes() == report.read_bytes()
    msg = email.message_from_bytes(release.draft.read_bytes(), policy=email.policy.default)
    assert {p.get_filename() for p in msg.iter_attachments()} == {"Report.pdf", release.cover_letter.name}
    after = svc.requests.get(logged[0].id)
    assert after.status == "fulfilled" and [d.sha256 for d in after.disclosures] == [doc.sha256]
    assert answers["shown"][-1][0] == "Release written"


def test_briefing_notes_tab_links_a_note(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.show_page("Catalogue")
    idle(qtbot, window)
    tab = window.catalogue_page.notes_tab
    titles = [n[1] for n in tab.notes]
    assert len(titles) == 11 and "‘You lost sight of me’" in titles
    row = titles.index("‘You lost sight of me’")
    tab.table.selectRow(row)
    target = svc.reviews.by_reference("BSCP2020-21/01").id
    tab.review.setCurrentIndex(tab.review.findData(target))
    qtbot.mouseClick(tab.link_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert dict((n[1], n[2]) for n in svc.catalogue.briefing_notes())["‘You lost sight of me’"] == target
    assert tab.table.item(row, 1).text() == "BSCP2020-21/01"


def test_take_down_from_the_catalogue(qtbot: Any, window: Any) -> None:
    page = show_catalogue(qtbot, window, "BSCP2020-21/02")
    assert page.take_down_button.isVisible()
    qtbot.mouseClick(page.take_down_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    dlg = form.step_dialog
    assert dlg is not None and "Removed from the website" in dlg.fields
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert window.ctx._svc.reviews.by_reference("BSCP2020-21/02").website_removed_date is not None
    assert page.current is not None and page.current.removed is not None and not page.take_down_button.isVisible()


def test_the_demo_archive_requests_are_worked_through_the_page(qtbot: Any, window: Any) -> None:
    """The demo's requests in every state: a fulfilled one shows what was disclosed; an open one is moved on by
    buttons named as actions and can be fulfilled with its stored document; a new request's publications can be
    found by typing, their titles readable."""
    from bscp_desktop.domain.vocab import RequestStatus

    window.show_page("Archive requests")
    idle(qtbot, window)
    page = window.requests_page
    page.status.setCurrentIndex(page.status.findData(""))
    idle(qtbot, window)
    rows = {r.status: r for r in page.model.rows}
    assert set(rows) >= {s.value for s in RequestStatus}
    page.select_id(rows[RequestStatus.FULFILLED].id)
    idle(qtbot, window)
    assert "SHA-256" in page.labels["Disclosed"].text() and rows[RequestStatus.FULFILLED].email in \
        page.labels["Disclosed"].text()
    page.select_id(rows[RequestStatus.ACKNOWLEDGED].id)
    idle(qtbot, window)
    buttons = [b.text() for b in page.findChildren(QPushButton) if b.objectName().startswith("request-")]
    assert page.current is not None and page.current.status == RequestStatus.ACKNOWLEDGED
    assert {"Mark under consideration", "Record withdrawal…", "Fulfil…", "Decline…"} <= set(buttons)
    qtbot.mouseClick(page.findChild(QPushButton, "request-fulfilled"), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    documents = page.dialog.fields["Documents"].widget
    assert documents.count() >= 1 and "stand-in" in documents.item(0).text()
    page.dialog.reject()
    dlg = page.log_request()
    listing = dlg.fields["Publications"].widget
    titles = [listing.item(i).text() for i in range(listing.count())]
    assert len(titles) > 8
    widest = max(listing.fontMetrics().horizontalAdvance(t) for t in titles)
    assert listing.width() >= min(widest, 700)
    [find] = [w for w in dlg.findChildren(type(dlg.fields["Requester"].widget))
              if w.accessibleName() == "Find in publications"]
    word = titles[3].split()[-1]
    type_into(qtbot, find, word)
    shown = [listing.item(i).text() for i in range(listing.count()) if not listing.item(i).isHidden()]
    assert titles[3] in shown and all(word.lower() in t.lower() for t in shown) and len(shown) < len(titles)
