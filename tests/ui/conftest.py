"""UI test fixtures: a real main window over a real temporary demo database, dialogs answered by the test,
and helpers that wait for background work."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the message boxes: questions get the answers the test sets; messages are recorded."""
    from bscp_desktop.ui.runtime import errors

    state: dict[str, Any] = {"ask": True, "save_discard_cancel": "discard", "shown": []}
    monkeypatch.setattr(errors, "critical", lambda _p, title, text, details="": state["shown"].append((title, text)))
    monkeypatch.setattr(errors, "information", lambda _p, title, text: state["shown"].append((title, text)))
    monkeypatch.setattr(errors, "ask", lambda _p, title, text: (state["shown"].append((title, text)), state["ask"])[1])
    monkeypatch.setattr(errors, "ask_save_discard_cancel", lambda _p, t, x: state["save_discard_cancel"])
    return state


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200-incident demo register (seed 4, as of the tests' fixed today, built by "tester"), made once per test
    process and copied for each window."""
    from bscp_desktop.services import Services

    folder = tmp_path_factory.mktemp("demo-template")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BSCP_DATA_DIR", str(folder / "data"))
        env.setenv("BSCP_LOG_DIR", str(folder / "logs"))
        svc = Services.open(folder / "ui.db", today=lambda: TODAY, user="tester")
        svc.demo.build(200, 4, TODAY)
        svc.close()
    assert not (folder / "ui.db-wal").exists(), "the template must be whole in its main file"
    return folder / "ui.db"


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any],
           demo_template: Path) -> Iterator[Any]:
    """The main window on a 200-incident demo database as of the tests' fixed today (a copy of the template)."""
    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.app import make_app
    from bscp_desktop.ui.shell.main_window import MainWindow

    make_app()
    shutil.copyfile(demo_template, tmp_path / "ui.db")
    svc = Services.open(tmp_path / "ui.db", today=lambda: TODAY, user="tester")
    w = MainWindow(AppContext(svc))
    w.ctx.poll_timer.stop()  # tests drive the poll themselves (window.ctx.poll()), never wait on its timer
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    idle(qtbot, w)
    yield w
    for f in list(w.forms):
        f.close()
    w.ctx.poll_timer.stop()
    w.ctx.runner.wait()
    svc.close()


def idle(qtbot: Any, window: Any, timeout: int = 20_000) -> None:
    """Wait until no background task is running or waiting to deliver."""
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=timeout)


def listed_ids(qtbot: Any, window: Any, page: str) -> list[int]:
    """The ids a register page lists (``page``: "Incidents" or "Reviews"), found as a user finds them: the page is
    shown until its rows have come, then the page that was on screen is shown again."""
    was = window.nav.currentRow()
    window.show_page(page)
    idle(qtbot, window)
    ids = list(window.all_pages()[page].model.ids)
    window.nav.setCurrentRow(was)
    idle(qtbot, window)
    return ids


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    """Replace a line edit's text by typing, as a user would."""
    widget.clear()
    qtbot.keyClicks(widget, text)


D = dt.date


def enter_child(qtbot: Any, box: Any, pseudonym: str, harm: str | None = None, row: int | None = None,
                **choices: str) -> None:
    """Add a child to an incident form's children list (``row`` None) or edit the child on ``row``, through the
    list's buttons and the child's dialog, as a user would; ``choices``: the dialog's other combo boxes by
    attribute name (``looked_after="yes"``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    if row is None:
        qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    else:
        box.table.selectRow(row)
        qtbot.mouseClick(box.edit_button, Qt.MouseButton.LeftButton)
    dlg = box.dialog
    type_into(qtbot, dlg.pseudonym, pseudonym)
    if harm is not None:
        dlg.harm.setCurrentIndex(dlg.harm.findData(harm))
    for name, value in choices.items():
        combo = getattr(dlg, name)
        combo.setCurrentIndex(combo.findData(value))
    qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
