"""The incident and review forms, driven through their widgets against a real database."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.registers import RegisterFilter
from tests.conftest import complete_checklist
from tests.ui.conftest import enter_child, idle, type_into

D = dt.date


def save(qtbot: Any, window: Any, form: Any) -> None:
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def new_incident(qtbot: Any, window: Any, pseudonym: str = "Child Test", aware: str = "02/11/2026") -> Any:
    form = window.new_incident()
    enter_child(qtbot, form.children_box, pseudonym, "seriously harmed")
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
    assert svc.incidents.count() == before
    assert form.view is None
    empty = window.new_incident()  # no child on the list
    type_into(qtbot, empty.became_aware.edit, "02/11/2026")
    save(qtbot, window, empty)
    err = empty.fields["Children"].error
    assert err.isVisible() and "record at least one child" in err.text()
    assert svc.incidents.count() == before


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
    # not before the three partners have agreed
    dlg = record(qtbot, window, form, "rapid-review", {"Meeting date": "16/11/2026", "Sent to the Panel": "18/11/2026"})
    assert dlg.isVisible() and "still to agree" in dlg.fields["Sent to the Panel"].error.text()
    dlg.reject()
    for partner in ("Local authority", "Integrated care board", "Chief officer of police"):
        agree = form.rapid_review_box.record_agreement()
        agree.fields["Partner"].widget.setCurrentIndex(agree.fields["Partner"].widget.findText(partner))
        type_into(qtbot, agree.fields["Agreed by"].widget, f"Fictional {partner}")
        type_into(qtbot, agree.fields["Agreed on"].widget.edit, "17/11/2026")
        qtbot.mouseClick(agree.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        idle(qtbot, window)
    assert form.view.rapid_review.partners_to_agree == ()
    dlg = record(qtbot, window, form, "rapid-review", {"Meeting date": "16/11/2026", "Sent to the Panel": "18/11/2026"})
    assert form.view.stage == "decision" and form.view.rapid_review.sent_date == D(2026, 11, 18)
    dlg = record(qtbot, window, form, "decision", {"Decision": "Undertake an LCSPR", "Decision date": "16/11/2026"})
    assert form.view.stage == "commissioning"
    record(qtbot, window, form, "panel-response", {"Panel response date": "19/11/2026",
                                                   "Panel reply": "Asks for more information", "Panel view": "Agrees."})
    assert (form.view.rapid_review.panel_view, form.view.rapid_review.panel_reply) == ("Agrees.", "more-information")
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
    enter_child(qtbot, form.children_box, "Child N", row=0)
    save(qtbot, window, form)
    idle(qtbot, window)
    assert any(title == "Changed by someone else" for title, _ in answers["shown"])
    assert form.children_box.child_inputs()[0].pseudonym == "Child N"  # what was typed is kept
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


def test_agency_returns_and_sign_off_on_the_incident_form(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Q", "died", D(2026, 11, 2))).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    box = form.rapid_review_box
    assert box.isVisible() and box.returns.rowCount() == 0
    assert [box.signoff.item(r, 1).text() for r in range(3)] == ["not yet agreed"] * 3
    for agency_row, asked in ((0, "04/11/2026"), (2, "19/11/2026")):
        dlg = box.ask_agency()
        dlg.fields["Agency"].widget.setCurrentIndex(agency_row)
        type_into(qtbot, dlg.fields["Asked on"].widget.edit, asked)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        idle(qtbot, window)
    assert box.returns.rowCount() == 2
    # asked on 04/11: due five working days later, overdue as of 20/11; asked on 19/11: due 26/11, on track
    rows = [[box.returns.item(r, c).text() for c in range(5)] for r in range(2)]
    assert [r[1:] for r in rows] == [["04/11/2026", "11/11/2026", "—", "Overdue"],
                                    ["19/11/2026", "26/11/2026", "—", "On track"]]
    box.returns.selectRow(0)
    dlg = box.record_answer()
    type_into(qtbot, dlg.fields["Answered on"].widget.edit, "01/11/2026")  # before it was asked: refused inline
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert dlg.isVisible() and "cannot be before the date the agency was asked" in dlg.fields["Answered on"].error.text()
    type_into(qtbot, dlg.fields["Answered on"].widget.edit, "12/11/2026")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert [box.returns.item(0, c).text() for c in (3, 4)] == ["12/11/2026", "Met late"]
    box.returns.selectRow(1)
    answers["ask"] = False  # "Take … off this Rapid Review?": not after all
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert answers["shown"][-1][0] == "Remove agency" and box.returns.rowCount() == 2
    answers["ask"] = True
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert box.returns.rowCount() == 1 and len(svc.incidents.get(v.id).rapid_review.returns) == 1
    box.signoff.selectRow(2)
    dlg = box.record_agreement()
    assert dlg.fields["Partner"].widget.currentText() == "Chief officer of police"
    type_into(qtbot, dlg.fields["Agreed by"].widget, "Superintendent 1")
    type_into(qtbot, dlg.fields["Role"].widget, "Head of Public Protection")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert [box.signoff.item(2, c).text() for c in range(4)] == [
        "Chief officer of police", "Superintendent 1", "Head of Public Protection", "20/11/2026"]
    box.signoff.selectRow(2)
    qtbot.mouseClick(box.withdraw_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert answers["shown"][-1][0] == "Withdraw agreement"
    assert box.signoff.item(2, 1).text() == "not yet agreed" and svc.incidents.get(v.id).rapid_review.agreements == ()
    dlg = box.edit_report()
    dlg.fields["Facts"].widget.setPlainText("Child Q was known to two agencies.")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert svc.incidents.get(v.id).rapid_review.facts == "Child Q was known to two agencies."
    assert "Facts" in box.report_state.text()


def test_children_list_on_the_incident_form(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    form = new_incident(qtbot, window, "Child R")
    enter_child(qtbot, form.children_box, "Child S", "died", looked_after="yes", cp_plan="current")
    enter_child(qtbot, form.children_box, "Child T")
    assert form.children_box.table.rowCount() == 3 and form.is_dirty()
    save(qtbot, window, form)
    saved = svc.incidents.get(form.view.id)
    assert [(c.pseudonym, c.harm) for c in saved.children] == [
        ("Child R", "seriously harmed"), ("Child S", "died"), ("Child T", "seriously harmed")]
    assert (saved.children[1].looked_after, saved.children[1].cp_plan, saved.harm) == ("yes", "current", "died")
    assert form.title.text().endswith("Child R +2")
    enter_child(qtbot, form.children_box, "Child Sibling", row=1)  # edit
    form.children_box.table.selectRow(2)
    qtbot.mouseClick(form.children_box.remove_button, Qt.MouseButton.LeftButton)  # remove
    save(qtbot, window, form)
    saved = svc.incidents.get(form.view.id)
    assert [c.pseudonym for c in saved.children] == ["Child R", "Child Sibling"]
    assert saved.children[1].looked_after == "yes"  # the edit kept what was not changed
    enter_child(qtbot, form.children_box, "child r")  # a pseudonym twice: refused, nothing saved
    save(qtbot, window, form)
    assert "already used for another child" in form.general_error.text()
    assert [c.pseudonym for c in svc.incidents.get(form.view.id).children] == ["Child R", "Child Sibling"]
    ids = svc.registers.incident_ids(RegisterFilter(text="Child Sibling"))
    assert ids == [saved.id] and svc.registers.incident_rows(ids)[saved.id].children == "Child R +1"


def test_server_gone_away_keeps_the_typing_and_retry_works(qtbot: Any, window: Any, answers: dict[str, Any],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.store.errors import StoreUnavailable

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child G", "died", D(2026, 11, 2))).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    enter_child(qtbot, form.children_box, "Child H", row=0)
    real = svc.incidents.update

    def gone(*_a: Any, **_k: Any) -> None:
        raise StoreUnavailable("The database server cannot be reached or is busy (connection lost). Nothing was "
                               "saved: check the connection and try again.")

    monkeypatch.setattr(svc.incidents, "update", gone)
    answers["ask"] = False  # "Try again now?": not yet
    save(qtbot, window, form)
    assert answers["shown"][-1][0] == "Database not available"
    assert form.children_box.child_inputs()[0].pseudonym == "Child H" and "still here" in form.general_error.text() and form.is_dirty()
    assert svc.incidents.get(v.id).pseudonym == "Child G"
    monkeypatch.setattr(svc.incidents, "update", real)  # the server is back
    save(qtbot, window, form)
    assert svc.incidents.get(v.id).pseudonym == "Child H" and not form.is_dirty()
    # Offered a retry and taking it: the save goes through once the server answers again.
    enter_child(qtbot, form.children_box, "Child J", row=0)
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
    text = PdfReader(io.BytesIO(page.current.pdf)).pages[0].extract_text()
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
    assert review.case_reference in PdfReader(io.BytesIO(page.current.pdf)).pages[0].extract_text()


def test_a_care_leavers_death_says_why_there_is_no_rapid_review_and_can_hold_one(qtbot: Any, window: Any) -> None:
    from bscp_desktop.domain.notification import NO_RAPID_REVIEW_WHY
    from bscp_desktop.domain.vocab import NotificationReason

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Leaver", "died", D(2026, 11, 2), abuse_suspected=False,
                                             notification_reason=NotificationReason.CARE_LEAVER_DEATH)).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if getattr(f, "view", None) is not None and f.view.id == v.id)
    assert form.reason_note.text() == NO_RAPID_REVIEW_WHY and form.reason_note.isVisible()
    assert not form.rapid_review_box.isVisible() and not form.rapid_review_button.isEnabled()
    assert [form.timeline.item(r, 0).text() for r in range(form.timeline.rowCount())] == ["Notification"]
    assert form.findChild(QPushButton, "action-rapid-review") is None
    record(qtbot, window, form, "choose-rapid-review", {})
    idle(qtbot, window)
    assert form.view.rapid_review_required and form.rapid_review_box.isVisible()
    assert "Rapid Review" in [form.timeline.item(r, 0).text() for r in range(form.timeline.rowCount())]
    assert form.findChild(QPushButton, "action-rapid-review") is not None


def test_the_form_says_why_a_death_needs_no_rapid_review_and_warns_of_an_early_care_leaver(qtbot: Any,
                                                                                          window: Any) -> None:
    """Typing in a new incident form: a looked-after child's death with no suspicion says who is told and why no
    Rapid Review; a care leaver of 21 says a care leaver of that age is not a child; a care leaver's death known
    before Working Together 2023 is warned of (the form still saves it)."""
    from bscp_desktop.domain.vocab import NotificationReason

    window.new_incident()
    form = window.forms[-1]
    form.reason.setCurrentIndex(form.reason.findData(NotificationReason.LOOKED_AFTER_DEATH))
    form.suspected.setChecked(False)
    assert "Secretary of State and Ofsted" in form.reason_note.text() and form.reason_note.isVisibleTo(form)
    form.reason.setCurrentIndex(form.reason.findData(NotificationReason.CARE_LEAVER_DEATH))
    form.suspected.setChecked(True)
    enter_child(qtbot, form.children_box, "Child Leaver", "died", age_band="21-24")
    assert "not a child" in form.reason_note.text()
    type_into(qtbot, form.became_aware.edit, "01/06/2023")
    assert "notifiable from 15/12/2023" in form.reason_note.text()
    type_into(qtbot, form.became_aware.edit, "01/06/2024")
    assert "notifiable from" not in form.reason_note.text() and "not a child" in form.reason_note.text()


def test_the_childs_harm_says_what_serious_harm_means(qtbot: Any, window: Any) -> None:
    from bscp_desktop.domain.notification import SERIOUS_HARM

    window.new_incident()
    form = window.forms[-1]
    qtbot.mouseClick(form.children_box.add_button, Qt.MouseButton.LeftButton)
    dialog = form.children_box.dialog
    assert dialog.harm.toolTip() == SERIOUS_HARM and dialog.harm.accessibleDescription() == SERIOUS_HARM
    assert dialog.harm_help.text() == SERIOUS_HARM and dialog.harm_help.isVisibleTo(dialog)
    dialog.reject()


def test_the_panels_details_are_typed_saved_and_shown_again(qtbot: Any, window: Any) -> None:
    """A new incident's form offers the partnership's notifier; where it happened (outside England, with the
    place), the time and the outline for the Panel are typed, saved, and shown again when it is reopened; a bad
    time is refused under its field."""
    from bscp_desktop.domain.vocab import IncidentLocation

    window.new_incident()
    form = window.forms[-1]
    box = form.panel_box
    assert box.notifier["notifier_name"].text() == window.ctx.settings.notifier_name
    enter_child(qtbot, form.children_box, "Child Abroad", "died")
    type_into(qtbot, form.became_aware.edit, "02/11/2026")
    box.location.setCurrentIndex(box.location.findData(IncidentLocation.OUTSIDE_ENGLAND))
    type_into(qtbot, box.place, "Fictional Town, Scotland")
    type_into(qtbot, box.incident_time, "25:61")
    box.case_outline.setPlainText("A fictional outline for the Panel.")
    type_into(qtbot, box.notifier["notifier_name"], "A Fictional Notifier")
    form.save()
    idle(qtbot, window)
    assert "is not a time" in form.fields["Time of the incident"].error.text()
    type_into(qtbot, box.incident_time, "09:15")
    form.save()
    idle(qtbot, window)
    assert form.view is not None
    saved = window.ctx._svc.incidents.get(form.view.id).panel
    assert (saved.location, saved.place, saved.incident_time, saved.notifier_name) == (
        IncidentLocation.OUTSIDE_ENGLAND, "Fictional Town, Scotland", "09:15", "A Fictional Notifier")
    incident_id = form.view.id
    form.close()
    window.open_incident(incident_id)
    idle(qtbot, window)
    again = window.forms[-1]
    assert again.panel_box.place.text() == "Fictional Town, Scotland"
    assert again.panel_box.case_outline.toPlainText() == "A fictional outline for the Panel."
