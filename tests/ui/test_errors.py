"""An unexpected error is logged to the user log folder and shown in a dialog; the data stays intact."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.services.incidents.children import ChildInput
from tests.conftest import fingerprint
from tests.ui.conftest import idle


def test_unexpected_error_in_a_save_is_logged_and_shown(qtbot: Any, window: Any, answers: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.ui.runtime import errors

    log_file = Path(errors.setup_logging())
    assert log_file.parent == Path(os.environ["BSCP_LOG_DIR"])
    svc = window.ctx._svc
    before = fingerprint(svc)

    def broken(*_a: Any, **_k: Any) -> None:  # fails half way through its write: a row is in, then the disk goes
        from bscp_desktop.models import Agency

        with svc.db.write() as s:
            s.add(Agency(name="Half-saved agency", short_name="HSA"))
            s.flush()
            assert s.query(Agency).filter_by(name="Half-saved agency").count() == 1
            raise RuntimeError("the disk went away")

    monkeypatch.setattr(svc.incidents, "register", broken)
    form = window.new_incident()
    form.children_box.set_children([ChildInput("Child E", "died")])
    form.became_aware.edit.setText("02/11/2026")
    form.save()
    idle(qtbot, window)
    title, text = answers["shown"][-1]
    assert title == "Something went wrong" and "the disk went away" in text and str(log_file) in text
    for h in errors.log.handlers:
        h.flush()
    assert "RuntimeError: the disk went away" in log_file.read_text(encoding="utf-8")
    assert form.isVisible() and form.children_box.child_inputs()[0].pseudonym == "Child E"  # what was typed is still there
    assert fingerprint(svc) == before  # the half-made write was rolled back: nothing of it is stored


def test_uncaught_exception_goes_to_the_dialog_not_a_crash(answers: dict[str, Any]) -> None:
    import sys

    from bscp_desktop.ui.runtime import errors

    old = sys.excepthook
    errors.install_excepthook()
    try:
        try:
            raise ValueError("boom in a slot")
        except ValueError as e:
            sys.excepthook(type(e), e, e.__traceback__)
    finally:
        sys.excepthook = old
        logging.getLogger("bscp_desktop").handlers.clear()
    assert answers["shown"][-1][0] == "Something went wrong" and "boom in a slot" in answers["shown"][-1][1]
