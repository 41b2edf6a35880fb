"""What a member of staff at the desk must be able to rely on: a form never throws typed work away, whichever way
it is closed, and a record is open in one form at most."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import idle, listed_ids


def open_forms(window: Any, kind: str) -> list[Any]:
    return [f for f in window.forms if type(f).__name__ == kind and f.isVisible()]


def test_escape_asks_before_throwing_away_typed_notes(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    [form] = open_forms(window, "IncidentForm")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, " Typed and not yet saved.")
    answers["save_discard_cancel"] = "cancel"
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)
    assert form.isVisible() and "Typed and not yet saved." in form.notes.toPlainText()
    answers["save_discard_cancel"] = "discard"
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_escape_closes_an_unchanged_form_without_asking(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    window.open_review(listed_ids(qtbot, window, "Reviews")[0])
    idle(qtbot, window)
    [form] = open_forms(window, "ReviewForm")
    answers["save_discard_cancel"] = "cancel"  # were it asked, it would stay open
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_a_record_opened_twice_shows_its_one_form(qtbot: Any, window: Any) -> None:
    iid, rid = listed_ids(qtbot, window, "Incidents")[0], listed_ids(qtbot, window, "Reviews")[0]
    window.open_incident(iid)
    window.open_incident(iid)  # a double-click that also activates the row
    window.open_review(rid)
    idle(qtbot, window)
    window.open_review(rid)  # again, once its form is open
    idle(qtbot, window)
    assert [f.view.id for f in open_forms(window, "IncidentForm")] == [iid]
    assert [f.view.id for f in open_forms(window, "ReviewForm")] == [rid]


def test_ctrl_s_saves_and_says_so(qtbot: Any, window: Any) -> None:
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    [form] = open_forms(window, "IncidentForm")
    assert form.saved_note.text() == ""
    qtbot.keyClicks(form.lead_officer, " (acting)")
    qtbot.keyClick(form.lead_officer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)
    assert form.saved_note.text().startswith("Saved at ") and not form.is_dirty()
    assert window.ctx._svc.incidents.get(form.view.id).lead_officer.endswith("(acting)")


def test_escape_in_a_step_dialog_asks_before_throwing_typing_away(qtbot: Any, window: Any,
                                                                  answers: dict[str, Any]) -> None:
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    [form] = open_forms(window, "IncidentForm")
    dlg = form.proceedings_box.record()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # nothing typed: it closes without a question
    assert not dlg.isVisible() and answers["shown"] == []
    dlg = form.proceedings_box.record()
    dlg.fields["Note"].widget.setPlainText("Two adults interviewed.")
    answers["ask"] = False  # "Close without recording?": no
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and dlg.fields["Note"].widget.toPlainText() == "Two adults interviewed."
    assert answers["shown"][-1][0] == "Discard what you typed?"
    answers["ask"] = True
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_forms_fit_a_laptop_screen_above_its_taskbar(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """1366 × 768 less a 40-pixel taskbar: every form and the audit log open wholly inside, Save and Close on
    screen, and the details scroll rather than squeeze their wrapped notes over their neighbours."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    room = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: room)
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    window.open_review(listed_ids(qtbot, window, "Reviews")[0])
    idle(qtbot, window)
    window.audit_log()
    idle(qtbot, window)
    forms = [f for f in window.forms if f.isVisible()]
    assert {type(f).__name__ for f in forms} == {"IncidentForm", "ReviewForm", "AuditDialog"}
    for form in forms:
        qtbot.waitExposed(form)
        assert room.contains(form.frameGeometry()), type(form).__name__
        for box in form.findChildren(QDialogButtonBox):
            for button in box.buttons():
                corner = button.mapToGlobal(QPoint(button.width(), button.height()))
                assert room.contains(corner), f"{button.text()} is off the screen"
    incident = next(f for f in forms if type(f).__name__ == "IncidentForm")
    due = incident.notification_due  # two lines at the details' width
    qtbot.waitUntil(lambda: due.height() >= due.heightForWidth(due.width()) > due.fontMetrics().height(),
                    timeout=5_000)
    wrapped = [lab for lab in incident.findChildren(QLabel) if lab.wordWrap() and lab.isVisible() and lab.text()]
    assert all(lab.height() >= lab.heightForWidth(lab.width()) for lab in wrapped), \
        [lab.text()[:40] for lab in wrapped if lab.height() < lab.heightForWidth(lab.width())]


def test_a_refusal_is_said_before_the_button_is_pressed_and_read_in_full_after(qtbot: Any, window: Any) -> None:
    """Record Rapid Review sent… before the partners agree: a line under the actions (and the button's description
    for a screen reader) says it will be refused and who has yet to agree; pressed anyway, the refusal shows
    every line, field and rule as a sentence."""
    import datetime as dt

    from PySide6.QtWidgets import QPushButton

    from bscp_desktop.services.incidents.input import IncidentInput

    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Forewarned", "died", dt.date(2026, 10, 1))).value
    v = svc.incidents.record_notification(v.id, v.version, dt.date(2026, 10, 2)).value
    window.open_incident(v.id)
    idle(qtbot, window)
    [form] = open_forms(window, "IncidentForm")
    button = form.findChild(QPushButton, "action-rapid-review")
    note = form.action_note
    assert note.isVisible() and note.text().startswith("Record Rapid Review sent… will be refused")
    assert "Local authority, Integrated care board, Chief officer of police" in note.text()
    assert button.accessibleDescription() == note.text()
    assert note.focusPolicy() & Qt.FocusPolicy.TabFocus  # the keyboard reaches it
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = form.step_dialog
    dlg.fields["Sent to the Panel"].widget.set_value(dt.date(2026, 10, 20))
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    shown = [row.error for row in dlg.fields.values() if row.error.isVisible()] + \
        ([dlg.general_error] if dlg.general_error.isVisible() else [])
    assert shown, "the refusal is shown"
    # the dialog grew to show it and every field whole (the screen has room): nothing left to scroll to
    qtbot.waitUntil(lambda: dlg.scroller.widget().height() <= dlg.scroller.viewport().height(), timeout=5_000)
    for error in shown:
        qtbot.waitUntil(lambda e=error: e.height() >= e.heightForWidth(e.width()), timeout=5_000)
        assert dlg.rect().contains(error.geometry().translated(error.parentWidget().mapTo(dlg, error.pos()) -
                                                                 error.pos()))
    assert shown[0].text().startswith("Sent to the Panel: the three safeguarding partners must agree")


def test_publication_with_steps_open_is_forewarned(qtbot: Any, window: Any) -> None:
    import datetime as dt

    from PySide6.QtWidgets import QPushButton

    from tests.conftest import TODAY
    from tests.core.test_publication_holds import lcspr

    review = lcspr(window.ctx._svc, "Child Forewarned", TODAY - dt.timedelta(days=90))
    window.open_review(review.id)
    idle(qtbot, window)
    [form] = open_forms(window, "ReviewForm")
    note, button = form.action_note, form.findChild(QPushButton, "action-publish")
    assert note.isVisible() and "Record publication… will be refused while 7 checklist steps" in note.text()
    assert button.accessibleDescription() == note.text()


def test_a_held_review_shows_one_date_and_state_on_every_surface(qtbot: Any, window: Any) -> None:
    """The review form's target, its timeline, the reviews register and the dashboard take a held clock's date
    and words from the clock itself."""
    import datetime as dt

    from bscp_desktop.domain.clock_words import clock_text
    from bscp_desktop.domain.vocab import PublicationHoldKind
    from bscp_desktop.services.registers.columns import rag_text
    from bscp_desktop.services.registers.registers import RegisterFilter
    from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
    from bscp_desktop.util.dates import uk, uk_long
    from tests.conftest import TODAY

    svc = window.ctx._svc
    review = svc.reviews.get(svc.registers.review_ids(RegisterFilter(stage="commissioned"))[0])
    svc.publication_holds.add(review.id, review.version,
                              PublicationHoldInput(PublicationHoldKind.INQUEST, TODAY - dt.timedelta(days=20)))
    [clock] = [c for c in svc.clocks.for_review(review.id, TODAY) if c.rule_id == "lcspr-publication"]
    assert clock.rag.value == "On hold" and clock.due > review.decision_date
    window.open_review(review.id)
    idle(qtbot, window)
    [form] = open_forms(window, "ReviewForm")
    assert form.target.text() == f"Publication target: {uk_long(clock.due)} — {clock.state}"
    row = next(r for r in range(form.timeline.rowCount()) if form.timeline.item(r, 0).text().startswith("LCSPR"))
    assert (form.timeline.item(row, 2).text(), form.timeline.item(row, 5).text()) == (uk(clock.due), clock.state)
    [listed] = svc.registers.review_rows([review.id], TODAY).values()
    first = min((c for c in svc.clocks.for_review(review.id, TODAY) if c.met_on is None), key=lambda c: c.due)
    held = first.note if first.rule_id == "lcspr-publication" else ""
    assert (listed.next_due, rag_text(listed)) == (first.due, clock_text(first.rag, first.days, held))
    window.show_page("Dashboard")
    window.refresh()
    idle(qtbot, window)
    model = window.dashboard.clocks
    for r, c in enumerate(model.clocks):
        assert (model.data(model.index(r, 3)), model.data(model.index(r, 4)), model.data(model.index(r, 5))) == \
            (uk(c.due), c.state, c.rag.value)


def test_the_small_things_a_newcomer_noticed(qtbot: Any, window: Any) -> None:
    """The demo's privacy line agrees with README; archive dates say their state in words beside the colour; a
    year with no child deaths recorded is "—" on the chart, not a bar of 0; a selected row leaves the headings
    as set (not bold, so not cut); the Reports page's buttons stay put as the description changes."""
    window.show_page("Settings")
    idle(qtbot, window)
    page = window.settings_page
    assert "this is the demo database" in page.encryption_label.text() and not page.encrypt_button.isVisible()
    window.show_page("Dashboard")
    idle(qtbot, window)
    archive = window.dashboard.archive_table.model()
    assert archive.rowCount() > 0
    for r in range(archive.rowCount()):
        cell = archive.data(archive.index(r, 1))
        assert "(" in cell and cell.rstrip(")").split("(", 1)[1].strip(), cell  # "03/12/2026 (12 working days left)"
    window.show_page("Statistics")
    idle(qtbot, window)
    chart = window.statistics_page.chart2
    child_deaths = chart.series[0][1]
    assert None in child_deaths and "not recorded" in chart.accessibleDescription()
    window.show_page("Incidents")
    idle(qtbot, window)
    assert not window.incidents.table.horizontalHeader().highlightSections()
    window.show_page("Reports")
    idle(qtbot, window)
    reports = window.reports_page
    places = set()
    for row in range(reports.kinds.count()):
        reports.kinds.setCurrentRow(row)
        qtbot.wait(1)
        places.add(reports.generate_button.mapTo(window, reports.generate_button.rect().topLeft()).y())
    assert len(places) == 1


def test_help_about_gives_the_versions_the_schema_and_the_licences(qtbot: Any, window: Any) -> None:
    from bscp_desktop.store.migrate import newest_revision_file

    dlg = window.about()
    idle(qtbot, window)
    head = newest_revision_file()
    assert dlg.rows["bscp-desktop"].text() and dlg.rows["Schema it writes"].text() == head
    assert dlg.rows["This register's schema"].text().startswith(f"{head}; not encrypted")  # the demo stays plain
    assert dlg.rows["Qt"].text().startswith("6.") and dlg.rows["SQLCipher"].text().startswith("4.")
    text = dlg.notices.toPlainText()
    for package in ("PySide6_Essentials", "SQLAlchemy", "reportlab", "sqlcipher3"):
        assert f"\n{package} " in text, package
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text.upper()
    assert "pytest " not in text  # only what the program ships


def test_every_dialog_fits_a_laptop_screen_above_its_taskbar(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """Each step dialog of an incident and a review, the Rapid Review's dialogs, a child's, the review's
    checklist and hold dialogs, the deadline calculator and Help › About open wholly inside 1366 × 728, their
    buttons on screen."""
    import datetime as dt

    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from bscp_desktop.services.incidents.input import IncidentInput
    from tests.conftest import TODAY
    from tests.core.test_publication_holds import lcspr

    room = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: room)
    svc = window.ctx._svc
    v = svc.incidents.register(IncidentInput("Child Laptop", "died", TODAY - dt.timedelta(days=10))).value
    v = svc.incidents.record_notification(v.id, v.version, TODAY - dt.timedelta(days=9)).value
    review = lcspr(svc, "Child Laptop Review", TODAY - dt.timedelta(days=90))
    checked: list[str] = []

    def on_screen(dialog: Any) -> None:
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        name = dialog.windowTitle()
        assert room.contains(dialog.frameGeometry()), f"{name}: {dialog.frameGeometry()}"
        for box in dialog.findChildren(QDialogButtonBox):
            for button in box.buttons():
                corner = button.mapToGlobal(QPoint(button.width(), button.height()))
                assert room.contains(corner), f"{name}: {button.text()} is off the screen"
        checked.append(name)
        dialog.reject()

    window.open_incident(v.id)
    window.open_review(review.id)
    idle(qtbot, window)
    incident = next(f for f in window.forms if type(f).__name__ == "IncidentForm")
    review_form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    for act in incident.view.available_actions():
        on_screen(incident.start_action(act))
    box = incident.rapid_review_box
    for opens in (box.ask_agency, box.record_agreement, box.edit_report, box.edit_criteria,
                  incident.children_box.add_child):
        on_screen(opens())
    for act in review_form.view.available_actions():
        on_screen(review_form.start_action(act))
    for opens in (review_form.record_step, review_form.publish_over_checklist, review_form.start_hold,
                  review_form.record_told, incident.proceedings_box.record):
        dialog = opens()
        if dialog is not None:
            on_screen(dialog)
    for page, opens in (("Archive requests", lambda: window.requests_page.log_request()),
                        ("Actions", lambda: window.actions_page.add_recommendation()),
                        ("Themes", lambda: window.themes_page.add_theme()),
                        ("Retention", lambda: window.retention_page.place_legal_hold()),
                        ("Settings", lambda: window.settings_page.users.add_user()),
                        ("Settings", lambda: window.settings_page.agencies.add_agency())):
        window.show_page(page)
        idle(qtbot, window)
        on_screen(opens())
    on_screen(window.deadline_calculator())
    on_screen(window.about())
    assert len(checked) >= 20, checked


def test_closing_the_window_or_locking_it_keeps_typed_work(qtbot: Any, window: Any, answers: dict[str, Any]) -> None:
    """Closing the main window with a form's edits unsaved asks the form's question (Cancel keeps both open);
    the privacy lock hides the form and brings it back with the edits as they were."""
    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    [form] = open_forms(window, "IncidentForm")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, " Typed before the lock.")
    window.screen_lock.lock()
    assert window.screen_lock.locked and not form.isVisible()
    window.screen_lock.panel.button.click()  # no passphrase on the demo: the button unlocks
    assert not window.screen_lock.locked and form.isVisible()
    assert form.notes.toPlainText().startswith(" Typed before the lock.") and form.is_dirty()
    answers["save_discard_cancel"] = "cancel"
    assert not window.close()
    assert window.isVisible() and form.isVisible() and form.notes.toPlainText().startswith(" Typed before the lock.")
    answers["save_discard_cancel"] = "discard"
    assert window.close() and not form.isVisible()
