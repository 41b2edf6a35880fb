"""Holding a review's publication from its form: the hold dialog (refusing a bad date first), the form's list of
holds, the timeline reading On hold, and lifting the hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bscp_desktop.vocab import PublicationHoldKind
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
    assert form.timeline.item(row, 5).text() == f"Inquest since {started:%d/%m/%Y}"
    lift = form.lift_hold()
    assert lift is not None
    click_ok(qtbot, window, lift)
    idle(qtbot, window)
    days = (TODAY - started).days
    assert f"lifted {TODAY:%d/%m/%Y} ({days} day" in form.holds_label.text()
    assert not form.lift_button.isEnabled()
    assert form.timeline.item(row, 4).text() != "On hold"
