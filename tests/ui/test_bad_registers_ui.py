"""The window on a register it cannot use: the self-test exits 1 with one line within 20 s (never a dialog
left waiting); the window says what is wrong in plain words; a read-only register opens with a banner and
every control that writes disabled, with the reason."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.bad_registers import BAD_KINDS, good_register, held_locked, make_bad, read_only_copy
from tests.conftest import TODAY


def self_test(db: Path, tmp_path: Path) -> tuple[int, list[str], float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BSCP_DATA_DIR": str(tmp_path / "data"),
           "BSCP_LOG_DIR": str(tmp_path / "logs"), "BSCP_SETTINGS_DIR": str(tmp_path / "qsettings")}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bscp_desktop", "--self-test", "--db", str(db)], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    lines = [ln for ln in done.stderr.splitlines() if "propagateSizeHints" not in ln]
    return done.returncode, lines, time.monotonic() - started


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_self_test_on_a_bad_register_exits_1_with_one_line(kind: str, tmp_path: Path) -> None:
    db = make_bad(kind, tmp_path)
    if kind == "locked":
        with held_locked(db):
            code, lines, took = self_test(db, tmp_path)
    else:
        code, lines, took = self_test(db, tmp_path)
    assert code == 1 and took < 20
    assert len(lines) == 1 and lines[0].startswith("self-test failed: "), lines
    assert "http" not in lines[0] and "SQL" not in lines[0] and "Traceback" not in lines[0]


def test_self_test_passes_on_a_read_only_register(tmp_path: Path) -> None:
    with read_only_copy(good_register(tmp_path), tmp_path) as db:
        code, lines, _ = self_test(db, tmp_path)
    assert code == 0, lines


def test_the_window_tells_a_damaged_register_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from bscp_desktop.ui.runtime import errors
    from bscp_desktop.ui.shell import app

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "critical", lambda _p, title, text, details="": shown.append((title, text)))
    monkeypatch.setattr(errors, "enable_crash_traces", lambda: None)
    db = make_bad("corrupt", tmp_path)
    args = argparse.Namespace(self_test=False, demo=False, db=str(db), demo_on_first_run=False)
    assert app.run_gui(args) == 1
    assert shown == [("Cannot open the register", shown[0][1])]
    assert "is damaged" in shown[0][1] and "Restore it from your latest backup copy" in shown[0][1]
    assert "sqlalche" not in shown[0][1] and "SELECT" not in shown[0][1]


def test_a_read_only_register_opens_with_a_banner_and_no_write_controls(qtbot: Any, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       answers: dict[str, Any]) -> None:
    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.app import make_app
    from bscp_desktop.ui.shell.main_window import MainWindow
    from tests.ui.conftest import idle

    make_app()
    with read_only_copy(good_register(tmp_path), tmp_path) as db:
        svc = Services.open(db, today=lambda: TODAY, user="tester")
        w = MainWindow(AppContext(svc))
        qtbot.addWidget(w)
        w.show()
        idle(qtbot, w)
        assert w.read_only_banner.isVisible() and "Read-only register" in w.read_only_banner.text()
        assert not w.act_new.isEnabled() and "read-only" in w.act_new.toolTip()
        assert not w.act_import.isEnabled()
        w.show_page("Settings")
        idle(qtbot, w)
        page = w.settings_page
        assert not page.save_button.isEnabled() and "read-only" in page.save_button.toolTip()
        page.save_button.setEnabled(True)  # the page's own logic cannot turn a refused control back on
        assert not page.save_button.isEnabled()
        w.show_page("Incidents")
        idle(qtbot, w)
        w.open_incident(w.incidents.model.ids[0])
        idle(qtbot, w)
        form = w.forms[-1]
        from PySide6.QtWidgets import QDialogButtonBox

        save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None and not save.isEnabled()
        assert all(not b.isEnabled() for b in form.findChildren(type(save)) if b.objectName().startswith("action-"))
        form.close()
        w.ctx.poll_timer.stop()
        w.ctx.runner.wait()
        w.close()
        svc.close()
