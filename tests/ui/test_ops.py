"""The ops layer: the one way from a screen to the data. Every service method is instrumented and every page,
form and dialog driven; none of them may reach the services on the UI thread (a short, named list at start-up
aside). The layer itself drops stale and orphaned results and broadcasts every write."""

from __future__ import annotations

import ast
import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from tests.conftest import TODAY
from tests.ui.conftest import idle

UI = Path(__file__).resolve().parents[2] / "bscp_desktop" / "ui"

# What the window reads on the UI thread as it opens: the rules every screen works out due dates with, and who
# the user is (the controls their role may not use are disabled as they are made). Nothing else may ever run there.
AT_START_UP = {"Services.cached_settings", "Services.calendar", "SettingsManager.get", "SettingsManager.closures",
               "UserManager.me"}


def _service_classes() -> list[type]:
    from bscp_desktop.services import Services
    return [Services, *Services.manager_classes().values()]


@pytest.fixture
def on_ui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every public method of the facade and of each manager, recording the calls made on the UI thread."""
    calls: list[str] = []
    main = threading.main_thread()

    def watch(qualname: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def watched(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is main:
                calls.append(qualname)
            return fn(*args, **kwargs)
        return watched

    for cls in _service_classes():
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and fn.__qualname__.startswith(cls.__name__ + "."):
                monkeypatch.setattr(cls, name, watch(f"{cls.__name__}.{name}", fn))
    yield calls


@pytest.fixture
def watched_window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any],
                   on_ui_thread: list[str]) -> Iterator[tuple[Any, list[str]]]:
    """The main window over a demo register, opened with the services instrumented."""
    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    from bscp_desktop.services import Services
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.app import make_app
    from bscp_desktop.ui.shell.main_window import MainWindow

    make_app()
    svc = Services.open(tmp_path / "ui.db", today=lambda: TODAY, user="tester")
    svc.demo.build(60, 4, TODAY)
    on_ui_thread.clear()  # building the test's register is not the window's doing
    w = MainWindow(AppContext(svc))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    idle(qtbot, w)
    yield w, on_ui_thread
    for f in list(w.forms):
        f.close()
    w.ctx.poll_timer.stop()
    w.ctx.runner.wait()
    svc.close()


def _cancel_dialogs(qtbot: Any, window: Any) -> None:
    """Cancel the open step dialogs (not the record forms, which are dialogs too)."""
    from bscp_desktop.ui.forms.fields_dialog import FieldsDialog

    idle(qtbot, window)
    for d in window.findChildren(FieldsDialog):
        if d.isVisible():
            d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    idle(qtbot, window)


def test_no_screen_reaches_the_services_on_the_ui_thread(qtbot: Any, watched_window: tuple[Any, list[str]],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.ui.pages import register
    from bscp_desktop.ui.shell.main_window import PAGES

    window, calls = watched_window
    assert set(calls) <= AT_START_UP, set(calls) - AT_START_UP
    calls.clear()
    svc = window.ctx._svc
    for name in PAGES:  # every page, loaded
        window.show_page(name)
        idle(qtbot, window)
    window.refresh()  # F5
    idle(qtbot, window)
    assert calls == []

    # Both record forms, every lifecycle step each offers, their themes and case-record buttons.
    incident = next(i for i in window.incidents.model.ids if svc.incidents.get(i).available_actions())
    calls.clear()  # the test's own look-up
    window.open_incident(incident)
    review = window.reviews.model.ids[0]
    window.open_review(review)
    idle(qtbot, window)
    for form in list(window.forms):
        form.edit_themes()
        idle(qtbot, window)
        _cancel_dialogs(qtbot, window)
        for step in form.view.available_actions():
            form.start_action(step)
            idle(qtbot, window)
            _cancel_dialogs(qtbot, window)
        form.reload()
        idle(qtbot, window)
    window.new_incident()
    window.deadline_calculator()
    window.audit_log().search.setText("incident")
    idle(qtbot, window)

    # Each page's own dialogs and actions.
    window.show_page("Actions")
    window.actions_page.add_recommendation()
    _cancel_dialogs(qtbot, window)
    window.actions_page.add_action()
    _cancel_dialogs(qtbot, window)
    window.show_review_actions(review)
    idle(qtbot, window)
    window.show_page("Archive requests")
    idle(qtbot, window)
    window.requests_page.log_request()
    _cancel_dialogs(qtbot, window)
    window.show_page("Themes")
    idle(qtbot, window)
    window.themes_page.add_theme()
    _cancel_dialogs(qtbot, window)
    window.show_page("Settings")
    idle(qtbot, window)
    window.settings_page.agencies.add_agency()
    _cancel_dialogs(qtbot, window)
    window.settings_page.save()
    idle(qtbot, window)
    window.show_page("Statistics")
    idle(qtbot, window)
    window.statistics_page.table.selectRow(0)
    window.statistics_page.edit_year()
    _cancel_dialogs(qtbot, window)
    window.show_page("Reports")
    window.reports_page.generate()
    idle(qtbot, window)
    out = tmp_path / "incidents.csv"
    monkeypatch.setattr(register, "save_path", lambda *_a: out)
    window.incidents.export()
    idle(qtbot, window)
    assert out.exists() and window.reports_page.current is not None
    assert calls == [], sorted(set(calls))


def test_screens_hold_no_services() -> None:
    """Only the composition root (``app``), the context and the ops layer may hold the services: every page,
    form and dialog goes through ``ctx.ops``, so a forgotten background task or broadcast cannot be written."""
    allowed = {"app.py", "context.py", "ops.py"}
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("svc", "_svc"):
                offenders.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert offenders == []


def test_a_query_overtaken_by_a_newer_one_is_dropped(qtbot: Any, window: Any) -> None:
    import time

    got: list[str] = []
    page = window.incidents
    window.ctx.ops.query(page, lambda _svc: (time.sleep(0.3), "older")[1], got.append, key="probe")
    window.ctx.ops.query(page, lambda _svc: "newer", got.append, key="probe")
    window.ctx.ops.query(page, lambda _svc: "other key", got.append, key="another")
    idle(qtbot, window)
    assert sorted(got) == ["newer", "other key"]


def test_a_closed_dialogs_query_is_dropped_and_its_write_still_broadcast(qtbot: Any, window: Any) -> None:
    import time

    from bscp_desktop.services.incidents.input import IncidentInput

    got: list[Any] = []
    published: list[Any] = []
    window.ctx.bus.changed.connect(published.append)
    dialog = QWidget()
    window.ctx.ops.query(dialog, lambda _svc: (time.sleep(0.2), "late")[1], got.append)
    window.ctx.ops.write(dialog, lambda svc: (time.sleep(0.2), svc.incidents.register(
        IncidentInput("Child Q", "died", TODAY)))[1], got.append)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=30_000)
    assert got == []  # nobody is there to show them to
    assert any(c.touches("incident") for c in published)  # but the register changed: every page is told
