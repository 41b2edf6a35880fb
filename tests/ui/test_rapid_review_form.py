"""The Rapid Review's report fields on the incident form, driven through the widgets against a real database:
what each agency did, how views were sought and why it went late, the local-review criteria one by one (a
decision of no local review refused until all are answered), and the parallel proceedings, which the commission
dialog offers to turn into publication holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion, ProceedingKind
from bscp_desktop.domain.vocab import PublicationHoldKind
from bscp_desktop.services.incidents.input import IncidentInput
from tests.conftest import agree_rapid_review
from tests.ui.conftest import idle, type_into

D = dt.date


def press_record(qtbot: Any, window: Any, dlg: Any) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def open_form(qtbot: Any, window: Any, incident_id: int) -> Any:
    window.open_incident(incident_id)
    idle(qtbot, window)
    return next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == incident_id)


def test_what_each_agency_did_views_and_lateness_on_the_form(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 10, 1))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 2)).value
    v = svc.rapid_reviews.ask_agency(v.id, svc.reference_lists.agencies()[0].id, D(2026, 10, 2)).value
    form = open_form(qtbot, window, v.id)
    agency = svc.reference_lists.agencies()[0]
    timeline = [form.timeline.item(r, 0).text() for r in range(form.timeline.rowCount())]
    assert f"Agency return ({agency.short_name or agency.name})" in timeline  # the timeline names the agency
    box = form.rapid_review_box
    box.returns.selectRow(0)
    dlg = box.record_answer()
    type_into(qtbot, dlg.fields["Answered on"].widget.edit, "06/10/2026")
    dlg.fields["What the agency did"].widget.setPlainText("Saw Child Q at home twice; no concerns recorded.")
    press_record(qtbot, window, dlg)
    assert svc.incidents.get(v.id).rapid_review.returns[0].involvement == \
        "Saw Child Q at home twice; no concerns recorded."
    assert "What the agency did: Saw Child Q at home twice" in box.returns.item(0, 0).toolTip()
    dlg = box.edit_report()
    assert "(23/10/2026)" in dlg.fields["Why late"].widget.placeholderText()  # 15 working days from 02/10
    dlg.fields["Views sought"].widget.setPlainText("The mother met the chair.")
    dlg.fields["Why late"].widget.setPlainText("x" * 20001)
    press_record(qtbot, window, dlg)
    assert dlg.isVisible() and "Why late: must be at most 20,000 characters" in dlg.fields["Why late"].error.text()
    assert svc.incidents.get(v.id).rapid_review.views_sought == ""  # nothing half-saved
    dlg.fields["Why late"].widget.setPlainText("The police return came late.")
    press_record(qtbot, window, dlg)
    rr = svc.incidents.get(v.id).rapid_review
    assert (rr.views_sought, rr.late_reason) == ("The mother met the chair.", "The police return came late.")
    assert "Views sought" in box.report_state.text()


def test_the_criteria_one_by_one_and_no_local_review(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child N", "died", D(2026, 10, 1))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 2)).value
    v = agree_rapid_review(svc, v.id, D(2026, 10, 20))
    form = open_form(qtbot, window, v.id)
    box = form.rapid_review_box
    assert "Local review criteria answered: 0 of 4" in box.report_state.text()
    dlg = box.edit_criteria()
    first = LocalReviewCriterion.IMPROVEMENTS.short_label
    assert dlg.previews[first].text() == LocalReviewCriterion.IMPROVEMENTS.label  # the criterion in full
    combo = dlg.fields[first].widget
    combo.setCurrentIndex(combo.findData(CriterionAnswer.NOT_MET.value))
    press_record(qtbot, window, dlg)  # an answer without its reasons: refused beside the field
    assert dlg.isVisible() and "give the reasons" in dlg.fields[f"{first} reasons"].error.text()
    for c in LocalReviewCriterion:
        dlg.fields[c.short_label].widget.setCurrentIndex(dlg.fields[c.short_label].widget.findData("not-met"))
        dlg.fields[f"{c.short_label} reasons"].widget.setPlainText(f"Fictional: not met ({c.short_label}).")
    press_record(qtbot, window, dlg)
    assert all(c.answered for c in svc.incidents.get(v.id).rapid_review.criteria)
    assert "Local review criteria answered: 4 of 4" in box.report_state.text()
    button = form.findChild(QPushButton, "action-rapid-review")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    type_into(qtbot, form.step_dialog.fields["Sent to the Panel"].widget.edit, "20/10/2026")
    press_record(qtbot, window, form.step_dialog)
    qtbot.mouseClick(form.findChild(QPushButton, "action-decision"), Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    assert "Improvements needed: not met" in dlg.findChildren(type(box.basis))[0].text()
    dlg.fields["Decision"].widget.setCurrentIndex(dlg.fields["Decision"].widget.findData("no-review"))
    dlg.fields["Reasons"].widget.setPlainText("Single-agency learning only.")
    press_record(qtbot, window, dlg)
    assert svc.incidents.get(v.id).stage == "no-review"


def test_a_decision_of_no_review_is_refused_until_the_criteria_are_answered(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child M", "died", D(2026, 10, 1))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 2)).value
    v = agree_rapid_review(svc, v.id, D(2026, 10, 20))
    v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 20)).value
    form = open_form(qtbot, window, v.id)
    qtbot.mouseClick(form.findChild(QPushButton, "action-decision"), Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    dlg.fields["Decision"].widget.setCurrentIndex(dlg.fields["Decision"].widget.findData("no-review"))
    dlg.fields["Reasons"].widget.setPlainText("Single-agency learning only.")
    press_record(qtbot, window, dlg)
    assert dlg.isVisible() and "Local review criteria: answer each criterion" in dlg.general_error.text()
    assert svc.incidents.get(v.id).stage == "decision"


def test_proceedings_on_the_form_become_holds_when_a_review_is_commissioned(
        qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child P", "died", D(2026, 10, 1), incident_date=D(2026, 9, 30))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 2)).value
    v = agree_rapid_review(svc, v.id, D(2026, 10, 20))
    v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 20)).value
    v = svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 10, 21)).value
    form = open_form(qtbot, window, v.id)
    box = form.proceedings_box
    assert box.isVisible() and box.table.rowCount() == 0 and not box.change_button.isVisible()
    assert box.none_yet.isVisible() and not box.table.isVisible()
    for kind, state, date in ((ProceedingKind.POLICE, "under-way", "01/10/2026"),
                              (ProceedingKind.CORONER, "concluded", "01/09/2026"),
                              (ProceedingKind.CORONER, "expected", "")):
        dlg = box.record()
        dlg.fields["Proceeding"].widget.setCurrentIndex(dlg.fields["Proceeding"].widget.findData(kind.value))
        dlg.fields["State"].widget.setCurrentIndex(dlg.fields["State"].widget.findData(state))
        type_into(qtbot, dlg.fields["Date"].widget.edit, date)
        press_record(qtbot, window, dlg)
        if state == "concluded":  # before the incident: refused beside the date, nothing saved
            assert dlg.isVisible() and "cannot be before the incident (30/09/2026)" in dlg.fields["Date"].error.text()
            dlg.reject()
    assert box.table.isVisible() and not box.none_yet.isVisible()
    assert [[box.table.item(r, c).text() for c in range(3)] for r in range(box.table.rowCount())] == [
        ["Police investigation", "Under way", "Since 01/10/2026"], ["Coroner and inquest", "Expected", "—"]]
    box.table.selectRow(1)
    answers["ask"] = True
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert [p.kind for p in svc.incidents.get(v.id).proceedings] == [ProceedingKind.POLICE]
    qtbot.mouseClick(form.findChild(QPushButton, "action-commission"), Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    holds = dlg.fields["Hold publication for"].widget
    assert holds.count() == 1 and holds.item(0).text() == "Police investigation: under way (since 01/10/2026)"
    assert holds.item(0).checkState() == Qt.CheckState.Checked
    press_record(qtbot, window, dlg)
    [link] = svc.incidents.get(v.id).reviews
    [hold] = svc.publication_holds.for_review(link.id)
    assert (hold.kind, hold.started, hold.lifted) == (PublicationHoldKind.CRIMINAL, D(2026, 10, 21), None)
