"""A review's form before publication: holding its publication (the hold dialog refusing a bad date first, the
list of holds, the timeline reading On hold, lifting the hold) and working through the pre-publication
checklist (a step recorded, publication refused while steps are open, an administrator publishing anyway);
telling the Panel of a delay."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bscp_desktop.domain.vocab import ChecklistStep, PublicationHoldKind
from tests.conftest import TODAY
from tests.core.test_publication_holds import lcspr
from tests.ui.conftest import idle


def click_ok(qtbot: Any, window: Any, dlg: Any) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def test_holding_and_lifting_a_reviews_publication(qtbot: Any, window: Any) -> None:
    svc = window.ctx._svc
    review = lcspr(svc, "Child Held", TODAY - dt.timedelta(days=60))
    window.open_review(review.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    assert form.holds_label.text() == "Publication holds: none."
    assert form.hold_button.isEnabled() and not form.lift_button.isEnabled()
    dlg = form.start_hold()
    kind = dlg.fields["Kind"].widget
    kind.setCurrentIndex(kind.findData(PublicationHoldKind.INQUEST))
    dlg.fields["Started on"].widget.set_value(TODAY + dt.timedelta(days=3))
    click_ok(qtbot, window, dlg)
    assert dlg.isVisible() and "cannot be in the future" in dlg.fields["Started on"].error.text()
    started = max(review.decision_date, TODAY - dt.timedelta(days=20))
    dlg.fields["Started on"].widget.set_value(started)
    dlg.fields["Expected end"].widget.set_value(TODAY + dt.timedelta(days=60))
    dlg.fields["Reason"].widget.setPlainText("The coroner's inquest is listed")
    click_ok(qtbot, window, dlg)  # recorded: the dialog closes
    idle(qtbot, window)
    assert f"Inquest from {started:%d/%m/%Y}: <b>in force</b>" in form.holds_label.text()
    assert form.lift_button.isEnabled()
    rows = {form.timeline.item(r, 0).text().split(" (")[0]: r for r in range(form.timeline.rowCount())}
    row = rows["LCSPR publication"]
    assert form.timeline.item(row, 4).text() == "On hold"
    assert form.timeline.item(row, 5).text() == f"on hold: Inquest since {started:%d/%m/%Y}"
    lift = form.lift_hold()
    assert lift is not None
    click_ok(qtbot, window, lift)
    idle(qtbot, window)
    days = (TODAY - started).days
    assert f"lifted {TODAY:%d/%m/%Y} ({days} day" in form.holds_label.text()
    assert not form.lift_button.isEnabled()
    assert form.timeline.item(row, 4).text() != "On hold"


def test_working_through_the_checklist_before_publication(qtbot: Any, window: Any, tmp_path: Any,
                                                          answers: dict[str, Any]) -> None:
    svc = window.ctx._svc
    review = lcspr(svc, "Child Listed", TODAY - dt.timedelta(days=90))
    window.open_review(review.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    assert "Before publication: <b>7 steps left</b>" in form.checklist_label.text()
    assert form.override_button.isVisible()  # the tester administers the register
    dlg = form.record_step()
    assert dlg is not None
    step = dlg.fields["Step"].widget
    step.setCurrentIndex(step.findData(ChecklistStep.FAMILY))
    dlg.fields["Note"].widget.setPlainText("Met the family with their advocate")
    click_ok(qtbot, window, dlg)
    idle(qtbot, window)
    assert f"✔ Family informed and offered a say — {TODAY:%d/%m/%Y} by tester" in form.checklist_label.text()
    assert "6 steps left" in form.checklist_label.text()
    # publishing now is refused, naming what is left
    publish = form.start_action("publish")
    publish.fields["Publication date"].widget.set_value(TODAY)
    click_ok(qtbot, window, publish)
    assert publish.isVisible() and "6 steps before publication are open" in publish.general_error.text()
    publish.reject()
    # an administrator publishes anyway, saying why
    over = form.publish_over_checklist()
    over.fields["Reason"].widget.setPlainText("Fictional: the partners directed publication")
    click_ok(qtbot, window, over)
    idle(qtbot, window)
    assert svc.reviews.get(review.id).publication_date == TODAY
    assert not form.override_button.isVisible()


def test_telling_the_panel_of_a_delay(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    from bscp_desktop.ui.forms import review_publication

    svc = window.ctx._svc
    review = lcspr(svc, "Child Late", TODAY - dt.timedelta(days=200))  # the target has passed
    window.open_review(review.id)
    idle(qtbot, window)
    form = next(f for f in window.forms if type(f).__name__ == "ReviewForm")
    assert "<b>Tell the Panel:</b> the target (" in form.panel_label.text()
    assert "has passed with no publication date planned" in form.panel_label.text()
    opened: list[Any] = []
    monkeypatch.setattr(review_publication, "open_file", lambda p: opened.append(p) or True)
    qtbot.mouseClick(form.notice_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert opened and opened[0].name.endswith("notice to the Panel")
    assert sorted(p.suffix for p in opened[0].iterdir()) == [".eml", ".pdf"]
    dlg = form.record_told()
    dlg.fields["Reason for the delay"].widget.setPlainText("Fictional: the report needed more redaction")
    click_ok(qtbot, window, dlg)
    idle(qtbot, window)
    assert f"The Panel was told of the delay on {TODAY:%d/%m/%Y}." in form.panel_label.text()
    assert "Tell the Panel" not in form.panel_label.text()
    row = next(r for r in svc.slippage.rows() if r.review_id == review.id)
    assert row.reason == "Fictional: the report needed more redaction"
