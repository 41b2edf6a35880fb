"""The incident and review forms, driven through their widgets against a real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QListWidget, QPushButton

from bscp_desktop.services.incidents import IncidentInput
from bscp_desktop.services.registers import RegisterFilter
from tests.conftest import complete_checklist
from tests.ui.conftest import idle, type_into

D = dt.date


def save(qtbot: Any, window: Any, form: Any) -> None:
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def new_incident(qtbot: Any, window: Any, pseudonym: str = "Child Test", aware: str = "02/11/2026") -> Any:
    form = window.new_incident()
    type_into(qtbot, form.pseudonym, pseudonym)
    form.harm.setCurrentIndex(form.harm.findData("seriously harmed"))
    type_into(qtbot, form.became_aware.edit, aware)
    return form


def record(qtbot: Any, window: Any, form: Any, action: str, fill: dict[str, str]) -> Any:
    """Press the action's button on the form, fill the dialog's fields by label, press Record."""
    button = form.findChild(QPushButton, f"action-{action}")
    assert button is not None and button.isVisible(), f"no button for {action}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    assert dlg is not None
    for label, text in fill.items():
        w = dlg.fields[label].widget
        if hasattr(w, "edit"):
            type_into(qtbot, w.edit, text)
        elif hasattr(w, "setPlainText"):
            w.setPlainText(text)
        elif hasattr(w, "findText"):
            w.setCurrentIndex(w.findText(text))
        else:
            type_into(qtbot, w, text)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    return dlg


def test_create_incident_shows_due_date_before_saving(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    before = svc.incidents.count()
    form = new_incident(qtbot, window)
    assert form.notification_due.isVisible()
    assert form.notification_due.text() == "Notification to the Panel due by Monday 9 November 2026 (5 working days)"
    assert svc.incidents.count() == before  # nothing saved yet
    assert form.is_dirty()
    save(qtbot, window, form)
    assert svc.incidents.count() == before + 1
    assert form.view is not None and form.view.local_ref.startswith("SI2026-27/")
    saved = svc.incidents.get(form.view.id)
    assert (saved.pseudonym, saved.harm, saved.became_aware) == ("Child Test", "seriously harmed", D(2026, 11, 2))
    assert not form.is_dirty()
    assert form.timeline.rowCount() == 1 and form.timeline.item(0, 4).text() == "Overdue"


def test_bad_date_gets_a_message_and_nothing_is_saved(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    before = svc.incidents.count()
    form = new_incident(qtbot, window, aware="31/02/2026")
    assert not form.notification_due.isVisible()
    save(qtbot, window, form)
    err = form.fields["Became aware"].error
    assert err.isVisible() and "not a real calendar date" in err.text()
    type_into(qtbot, form.became_aware.edit, "01/01/2030")
    save(qtbot, window, form)
    assert "cannot be in the future" in err.text()
    type_into(qtbot, form.pseudonym, "")
    save(qtbot, window, form)
    assert form.fields["Pseudonym"].error.isVisible() and "is required" in form.fields["Pseudonym"].error.text()
    assert svc.incidents.count() == before
    assert form.view is None


def test_every_lifecycle_action_through_the_forms(qtbot: Any, window: Any, tmp_path: Path) -> None:
    svc = window.ctx._svc
    form = new_incident(qtbot, window)
    save(qtbot, window, form)
    iid = form.view.id
    dlg = record(qtbot, window, form, "notify", {"Notification date": "05/11/2026", "Panel reference": "NP-77"})
    assert form.view.stage == "rapid-review" and form.view.panel_reference == "NP-77"
    # a bad date in an action dialog is refused inline and the dialog stays open
    button = form.findChild(QPushButton, "action-rapid-review")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    type_into(qtbot, dlg.fields["Sent to the Panel"].widget.edit, "04/11/2026")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert dlg.isVisible() and "cannot be before the notification" in dlg.fields["Sent to the Panel"].error.text()
    dlg.reject()
    dlg = record(qtbot, window, form, "rapid-review", {"Meeting date": "16/11/2026", "Sent to the Panel": "18/11/2026"})
    assert form.view.stage == "decision" and form.view.rapid_review.sent_date == D(2026, 11, 18)
    dlg = record(qtbot, window, form, "decision", {"Decision": "Undertake an LCSPR", "Decision date": "16/11/2026"})
    assert form.view.stage == "commissioning"
    record(qtbot, window, form, "panel-response", {"Panel response date": "19/11/2026", "Panel view": "Agrees."})
    assert form.view.rapid_review.panel_view == "Agrees."
    record(qtbot, window, form, "commission", {"Title": "LCSPR for Child Test", "Reviewer": "Independent Reviewer 9"})
    idle(qtbot, window)
    assert form.view.stage == "review" and len(form.view.reviews) == 1
    review_id = form.view.reviews[0].id
    assert form.view.reviews[0].case_reference.startswith("BSCP2026-27/")

    # the review's own actions, from its form
    window.open_review(review_id)
    idle(qtbot, window)
    rform = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    record(qtbot, window, rform, "final-report", {"Final report received": "19/11/2026"})
    assert rform.view.status == "final-report"
    record(qtbot, window, rform, "advance-copy", {"Advance copy sent": "19/11/2026"})
    complete_checklist(svc, review_id, tmp_path / "checklist", D(2026, 11, 19))  # the steps before publication
    record(qtbot, window, rform, "publish", {"Publication date": "20/11/2026"})
    assert rform.view.status == "published"
    assert "archive date 20/11/2029" in rform.status.text()
    record(qtbot, window, rform, "take-down", {"Removed from the website": "20/11/2026"})
    assert rform.view.website_removed_date == D(2026, 11, 20)
    assert svc.incidents.get(iid).stage == "published"

    form.reload()
    idle(qtbot, window)
    record(qtbot, window, form, "close", {"Closed on": "20/11/2026", "Reason": "Review published."})
    assert form.view.stage == "closed" and form.findChild(QPushButton, "action-close") is None
    assert svc.incidents.get(iid).closed_reason == "Review published."


def test_not_published_action(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    ids = svc.registers.review_ids(RegisterFilter(stage="commissioned"))
    assert ids
    window.open_review(ids[0])
    idle(qtbot, window)
    rform = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    dlg = record(qtbot, window, rform, "not-published", {"Reason": ""})
    assert dlg.isVisible() and "say why" in dlg.fields["Reason"].error.text()
    dlg.reject()
    record(qtbot, window, rform, "not-published", {"Reason": "Family's wishes; criminal proceedings."})
    assert svc.reviews.get(ids[0]).status == "unpublished"


def test_stale_save_offers_reload_and_loses_nothing(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child M", "died", D(2026, 11, 2), lead_officer="Review Officer 1")).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    # a colleague changes the lead officer meanwhile
    svc.incidents.update(v.id, v.version, IncidentInput("Child M", "died", D(2026, 11, 2), lead_officer="Review Officer 2"))
    type_into(qtbot, form.pseudonym, "Child N")
    save(qtbot, window, form)
    idle(qtbot, window)
    assert any(title == "Changed by someone else" for title, _ in answers["shown"])
    assert form.pseudonym.text() == "Child N"  # what was typed is kept
    assert form.lead_officer.text() == "Review Officer 2"  # and the colleague's change shows
    assert "kept" in form.general_error.text()
    assert svc.incidents.get(v.id).pseudonym == "Child M"  # nothing overwritten yet
    save(qtbot, window, form)
    saved = svc.incidents.get(v.id)
    assert (saved.pseudonym, saved.lead_officer) == ("Child N", "Review Officer 2")


def test_unsaved_changes_prompt(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    svc = window.ctx._svc
    before = svc.incidents.count()
    form = new_incident(qtbot, window)
    answers["save_discard_cancel"] = "cancel"
    form.close()
    assert form.isVisible()
    answers["save_discard_cancel"] = "discard"
    form.close()
    assert not form.isVisible()
    assert svc.incidents.count() == before


def test_agencies_checklist_is_saved(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 2))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    qtbot.mouseClick(form.findChild(QPushButton, "action-rapid-review"), Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    checklist: QListWidget = dlg.fields["Agencies"].widget
    checklist.item(0).setCheckState(Qt.CheckState.Checked)
    checklist.item(2).setCheckState(Qt.CheckState.Checked)
    expected = {checklist.item(0).data(Qt.ItemDataRole.UserRole), checklist.item(2).data(Qt.ItemDataRole.UserRole)}
    type_into(qtbot, dlg.fields["Sent to the Panel"].widget.edit, "17/11/2026")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert set(svc.incidents.get(v.id).rapid_review.agency_ids) == expected


def test_server_gone_away_keeps_the_typing_and_retry_works(qtbot: Any, window: Any, answers: dict[str, Any],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.store.engine import StoreUnavailable

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child G", "died", D(2026, 11, 2))).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    type_into(qtbot, form.pseudonym, "Child H")
    real = svc.incidents.update

    def gone(*_a: Any, **_k: Any) -> None:
        raise StoreUnavailable("The database server cannot be reached or is busy (connection lost). Nothing was "
                               "saved: check the connection and try again.")

    monkeypatch.setattr(svc.incidents, "update", gone)
    answers["ask"] = False  # "Try again now?": not yet
    save(qtbot, window, form)
    assert answers["shown"][-1][0] == "Database not available"
    assert form.pseudonym.text() == "Child H" and "still here" in form.general_error.text() and form.is_dirty()
    assert svc.incidents.get(v.id).pseudonym == "Child G"
    monkeypatch.setattr(svc.incidents, "update", real)  # the server is back
    save(qtbot, window, form)
    assert svc.incidents.get(v.id).pseudonym == "Child H" and not form.is_dirty()
    # Offered a retry and taking it: the save goes through once the server answers again.
    type_into(qtbot, form.pseudonym, "Child J")
    failures = iter([True])

    def gone_once(*a: Any, **k: Any) -> Any:
        if next(failures, False):
            gone()
        return real(*a, **k)

    monkeypatch.setattr(svc.incidents, "update", gone_once)
    answers["ask"] = True
    save(qtbot, window, form)
    assert svc.incidents.get(v.id).pseudonym == "Child J" and not form.is_dirty()


def test_case_record_from_the_forms(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    from pypdf import PdfReader

    blank = new_incident(qtbot, window)
    assert not blank.case_button.isEnabled()  # nothing saved yet, so no reference
    save(qtbot, window, blank)
    ref = blank.view.local_ref
    assert blank.case_button.isEnabled()
    type_into(qtbot, blank.notes, "typed, not saved")
    answers["ask"] = False  # unsaved changes: the user declines
    qtbot.mouseClick(blank.case_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    page = window.reports_page
    assert answers["shown"][-1][0] == "Unsaved changes" and page.current is None
    answers["ask"] = True
    qtbot.mouseClick(blank.case_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert window.current_page() is page and page.kind() == "case" and page.case.text() == ref
    assert page.current is not None and page.preview.currentWidget() is page.view
    text = PdfReader(page.current).pages[0].extract_text()
    assert ref in text and "Child Test" in text
    # A review's form prints the review's case record.
    review = window.ctx._svc.reviews.get(1)
    assert review.case_reference
    window.open_review(review.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    qtbot.mouseClick(form.case_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert page.case.text() == review.case_reference
    assert review.case_reference in PdfReader(page.current).pages[0].extract_text()
