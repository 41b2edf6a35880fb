"""The keyboard alone, end to end (key presses only, never the mouse): a new incident with two children, an agency
asked for its return, the three partners' agreement and the Rapid Review recorded as sent; then a review's
pre-publication checklist worked through and the review published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from tests.conftest import TODAY, fictional_pdf
from tests.ui.conftest import idle


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: Any, key: Any, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot: Any, target: QWidget, limit: int = 400) -> None:
    """Press Tab until ``target`` has the focus (as a user tabs through a form)."""
    for _ in range(limit):
        if focused() is target or target.isAncestorOf(focused()):
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target.objectName() or target}")


def alt(qtbot: Any, window: Any, field: QWidget) -> None:
    """Alt+the field's letter (its label's mnemonic) moves the focus to it."""
    letter = next(k for k, w in window.mnemonics.items() if w is field)
    press(qtbot, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: focused() is field or field.isAncestorOf(focused()), timeout=5_000)


def replace_text(qtbot: Any, text: str) -> None:
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text)


def open_dialog(qtbot: Any, window: Any, button: QWidget, attr: str = "step_dialog") -> Any:
    """Tab to ``button``, press Space; the dialog it opens, with the focus in it."""
    tab_to(qtbot, button)
    press(qtbot, Qt.Key.Key_Space)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5_000)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()), timeout=5_000)
    return dialog


def record(qtbot: Any, window: Any, dialog: Any) -> None:
    """Enter: the dialog's default button (Record, OK); the dialog closes once saved, and the window it was
    opened from is active again (as the window manager makes it; the offscreen platform has none)."""
    owner = dialog.parentWidget().window()
    press(qtbot, Qt.Key.Key_Return)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    owner.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and (owner.isAncestorOf(focused())
                                                                      or focused() is owner), timeout=5_000)


def test_a_new_incident_to_its_rapid_review_sent_by_keyboard_alone(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File › New incident
    qtbot.waitUntil(lambda: any(type(f).__name__ == "IncidentForm" for f in window.forms), timeout=5_000)
    form = next(f for f in window.forms if type(f).__name__ == "IncidentForm")
    qtbot.waitUntil(lambda: form.isAncestorOf(focused()), timeout=5_000)
    for name in ("Child Keyboard", "Child Keyboard Sibling"):  # two children, each through the child's dialog
        child = open_dialog(qtbot, window, form.children_box.add_button)
        qtbot.waitUntil(lambda c=child: focused() is c.pseudonym, timeout=5_000)
        type_text(qtbot, name)
        record(qtbot, window, child)
    assert [c.pseudonym for c in form.children_box.child_inputs()] == ["Child Keyboard", "Child Keyboard Sibling"]
    alt(qtbot, form, form.became_aware)
    type_text(qtbot, (TODAY - dt.timedelta(days=12)).strftime("%d/%m/%Y"))
    before = focused()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    idle(qtbot, window)
    assert focused() is before  # the keyboard stays where it was
    qtbot.waitUntil(lambda: form.view is not None, timeout=10_000)
    record(qtbot, window, open_dialog(qtbot, window, form.findChild(QWidget, "action-notify")))
    box = form.rapid_review_box
    qtbot.waitUntil(box.isVisible, timeout=10_000)
    record(qtbot, window, open_dialog(qtbot, window, box.ask_button))  # an agency asked for its return
    for who in ("A Fictional Director", "A Fictional Chief Nurse", "A Fictional Superintendent"):
        agreement = open_dialog(qtbot, window, box.agree_button)  # the next partner still to agree
        alt(qtbot, agreement, agreement.fields["Agreed by"].widget)
        type_text(qtbot, who)
        record(qtbot, window, agreement)
    sent = open_dialog(qtbot, window, form.findChild(QWidget, "action-rapid-review"))
    alt(qtbot, sent, sent.fields["Sent to the Panel"].widget)
    replace_text(qtbot, TODAY.strftime("%d/%m/%Y"))
    record(qtbot, window, sent)
    saved = svc.incidents.get(form.view.id)
    assert [c.pseudonym for c in saved.children] == ["Child Keyboard", "Child Keyboard Sibling"]
    assert len(saved.rapid_review.returns) == 1 and not saved.rapid_review.partners_to_agree
    assert saved.rapid_review.sent_date == TODAY


def test_a_review_published_after_its_checklist_by_keyboard_alone(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from bscp_desktop.domain.vocab import ReviewStatus
    from bscp_desktop.services.registers.registers import RegisterFilter
    from tests.core.test_publication_holds import lcspr

    svc = window.ctx._svc
    review = lcspr(svc, "Child Keyboard Review", TODAY - dt.timedelta(days=120))
    folder = tmp_path / "documents"  # the files, stored from the Catalogue page; the advance copy, recorded
    folder.mkdir()
    for name, kind in (("note.pdf", "briefing-note"), ("slides.pptx", "presentation")):
        (folder / name).write_bytes(f"fictional {name}".encode())
        svc.documents.add(folder / name, kind, review_id=review.id)
    svc.documents.add(fictional_pdf(folder / "report.pdf"), "report", review_id=review.id)
    review = svc.reviews.get(review.id)
    svc.reviews.record_advance_copy(review.id, review.version, TODAY - dt.timedelta(days=20))
    assert svc.checklist.for_review(review.id).open_before_publication  # the steps staff record are left
    window.activateWindow()
    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # View › Reviews
    idle(qtbot, window)
    page = window.reviews
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find
    type_text(qtbot, review.case_reference)
    page._debounce.stop()
    page.requery()
    idle(qtbot, window)
    assert page.model.ids == svc.registers.review_ids(RegisterFilter(text=review.case_reference))
    press(qtbot, Qt.Key.Key_Down)  # to the results
    press(qtbot, Qt.Key.Key_Return)  # open the review
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    qtbot.waitUntil(lambda: form.isAncestorOf(focused()), timeout=5_000)
    while form.step_button.isEnabled():  # each step staff record, through Record step…
        record(qtbot, window, open_dialog(qtbot, window, form.step_button))
    publish = open_dialog(qtbot, window, form.findChild(QWidget, "action-publish"))
    record(qtbot, window, publish)
    assert svc.reviews.get(review.id).status == ReviewStatus.PUBLISHED
