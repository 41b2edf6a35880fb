"""Roles in the window: what a viewer and an editor may not do is disabled and says which role it needs; the
status bar shows the user and role; Settings › Users and the retention schedule; the Retention page disposes of
a record, places and lifts a legal hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bscp_desktop.domain.vocab import HoldReason, RecordClass, Role
from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.services.trust.retention_schedule import DISPOSED
from tests.conftest import TODAY
from tests.core.test_retention import closed_incident
from tests.ui.conftest import idle, listed_ids, type_into


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A register that ``tester`` administers, with two incidents closed over ten years ago."""
    path = tmp_path / "access.db"
    svc = Services.open(path, today=lambda: TODAY, user="tester")
    svc.demo.build(30, 2, TODAY)
    closed_incident(svc, "Child Old", dt.date(2014, 1, 6), dt.date(2014, 6, 2))
    closed_incident(svc, "Child Older", dt.date(2013, 1, 7), dt.date(2013, 6, 3))
    svc.close()
    return path


@pytest.fixture
def open_window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]
                ) -> Iterator[Any]:
    """``open_window(register, login)``: the main window on ``register`` used by ``login``."""
    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.app import make_app
    from bscp_desktop.ui.shell.main_window import MainWindow

    make_app()
    opened: list[tuple[Any, Services]] = []

    def open_as(path: Path, login: str) -> Any:
        svc = Services.open(path, today=lambda: TODAY, user=login)
        w = MainWindow(AppContext(svc))
        w.ctx.poll_timer.stop()  # the test drives the poll (w.ctx.poll()) rather than waiting for its timer
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        idle(qtbot, w)
        opened.append((w, svc))
        return w

    yield open_as
    for w, svc in opened:  # (each window's poll timer is stopped when it opens: the tests poll themselves)
        w.ctx.poll_timer.stop()
        w.ctx.runner.wait()
        svc.close()


@contextmanager
def opened(path: Path, login: str = "tester") -> Iterator[Services]:
    """The register open in a second program, used by ``login``."""
    svc = Services.open(path, today=lambda: TODAY, user=login)
    try:
        yield svc
    finally:
        svc.close()


def add_user(path: Path, login: str, role: Role) -> None:
    with opened(path) as svc:
        svc.users.add(login, role)


def incidents_due(page: Any) -> list[Any]:
    """The incidents the Retention page lists as due (the demo adds an old archive request)."""
    return [d for d in page.due if d.record_class is RecordClass.INCIDENT]


def click_ok(qtbot: Any, window: Any, dlg: Any) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def test_a_login_the_register_does_not_know_can_only_read(qtbot: Any, open_window: Any, register: Path) -> None:
    w = open_window(register, "zed")
    assert "User: zed (Viewer, not a user here)" in w.status_db.text()
    assert w.access_banner.isVisible() and "Ask an administrator (tester) to add you" in w.access_banner.text()
    assert not w.act_new.isEnabled()
    assert w.act_new.toolTip().startswith("Only an editor or an administrator can do this; you (zed) are a viewer")
    for name in PAGES_WITH_WRITES:
        w.show_page(name)
        idle(qtbot, w)
    settings, retention = w.settings_page, w.retention_page
    for control in (settings.save_button, settings.users.add_button, retention.hold_button, w.incidents.new_button,
                    w.themes_page.edit_button, settings.encrypt_button):  # the last two set tooltips of their own
        assert not control.isEnabled() and "you (zed) are a viewer" in control.toolTip()
    retention.due_table.selectRow(0)
    assert not retention.dispose_button.isEnabled()  # kept disabled whatever the selection
    assert listed_ids(qtbot, w, "Incidents")  # the register itself reads as ever


PAGES_WITH_WRITES = ("Incidents", "Retention", "Settings")


def test_an_editor_records_but_does_not_change_the_settings(qtbot: Any, open_window: Any, register: Path) -> None:
    add_user(register, "eve", Role.EDITOR)
    w = open_window(register, "eve")
    assert "User: eve (Editor)" in w.status_db.text() and not w.access_banner.isVisible()
    assert w.act_new.isEnabled()
    w.show_page("Settings")
    idle(qtbot, w)
    for control in (w.settings_page.save_button, w.settings_page.add_closure_button, w.settings_page.users.add_button,
                    w.settings_page.agencies.add_button, w.themes_page.add_button, w.retention_page.hold_button):
        assert not control.isEnabled(), control.text()
        assert control.toolTip().startswith("Only an administrator can do this; you (eve) are an editor"), control.text()
    page = w.settings_page  # and its fields read but do not edit, from the start, saying why
    assert page.read_only_note.isVisible() and "you (eve) are an editor" in page.read_only_note.text()
    name = page.name.text()
    page.name.setFocus()
    qtbot.keyClicks(page.name, " changed")
    assert page.name.text() == name and page.name.isReadOnly()
    spin = next(iter(page.amount_spins.values()))
    before = spin.value()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == before
    assert all(s.isReadOnly() for s in page.retention.spins.values()) and page.retention.copy_days.isReadOnly()
    assert not page.marking.isEnabled() and page.closure_desc.isReadOnly() and page.closure_date.edit.isReadOnly()
    assert page.lock_minutes.isEnabled() and not page.lock_minutes.isReadOnly()  # this PC's own setting
    admin = open_window(register, "tester")
    admin.show_page("Settings")
    idle(qtbot, admin)
    assert not admin.settings_page.read_only_note.isVisible() and not admin.settings_page.name.isReadOnly()


def test_an_administrator_adds_changes_and_removes_a_user(qtbot: Any, open_window: Any, register: Path,
                                                          answers: dict[str, Any]) -> None:
    w = open_window(register, "tester")
    assert "User: tester (Administrator)" in w.status_db.text()
    w.show_page("Settings")
    idle(qtbot, w)
    box = w.settings_page.users
    assert [u.login for u in box.users] == ["tester"] and "You are <b>tester</b>, an administrator" in box.me.text()
    dlg = box.add_user()
    click_ok(qtbot, w, dlg)
    assert dlg.isVisible() and "is required" in dlg.fields["Login"].error.text()
    type_into(qtbot, dlg.fields["Login"].widget, "kim")
    role = dlg.fields["Role"].widget
    role.setCurrentIndex(role.findData(Role.VIEWER))
    click_ok(qtbot, w, dlg)
    idle(qtbot, w)
    assert [(u.login, u.role) for u in box.users] == [("kim", Role.VIEWER), ("tester", Role.ADMIN)]
    box.table.selectRow(0)
    dlg = box.change_role()
    assert dlg is not None
    dlg.fields["Role"].widget.setCurrentIndex(dlg.fields["Role"].widget.findData(Role.EDITOR))
    click_ok(qtbot, w, dlg)
    idle(qtbot, w)
    assert box.users[0].role is Role.EDITOR and box.table.item(0, 1).text() == "Editor"
    box.table.selectRow(1)
    dlg = box.change_role()
    assert dlg is not None
    dlg.fields["Role"].widget.setCurrentIndex(dlg.fields["Role"].widget.findData(Role.VIEWER))
    click_ok(qtbot, w, dlg)
    assert dlg.isVisible() and "only administrator" in dlg.fields["Role"].error.text()
    dlg.reject()
    box.table.selectRow(0)
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, w)
    assert answers["shown"][-1][0] == "Remove user" and "Remove kim (editor)" in answers["shown"][-1][1]
    assert [u.login for u in box.users] == ["tester"]


def test_the_retention_schedule_is_saved_with_the_settings(qtbot: Any, open_window: Any, register: Path) -> None:
    w = open_window(register, "tester")
    w.show_page("Settings")
    idle(qtbot, w)
    spin = w.settings_page.retention.spins[RecordClass.INCIDENT.value]
    assert spin.value() == 10 and spin.suffix() == " years after closure"
    spin.setValue(13)
    qtbot.mouseClick(w.settings_page.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, w)
    with opened(register) as svc:
        assert svc.settings.get().retention_years[RecordClass.INCIDENT.value] == 13
    w.show_page("Retention")
    idle(qtbot, w)
    assert [d.since for d in incidents_due(w.retention_page)] == [dt.date(2013, 6, 3)]  # closed 2014: kept to 2027
    assert "13 years after closure" in w.retention_page.rules_label.text()


def test_the_retention_page_disposes_and_holds(qtbot: Any, open_window: Any, register: Path,
                                               answers: dict[str, Any]) -> None:
    w = open_window(register, "tester")
    w.show_page("Retention")
    idle(qtbot, w)
    page = w.retention_page
    assert [d.since for d in incidents_due(page)] == [dt.date(2013, 6, 3), dt.date(2014, 6, 2)]
    assert page.due_table.item(0, 3).text() == "03/06/2023"  # the oldest first (the demo's request comes after)
    older, old = incidents_due(page)
    # a legal hold on the older one
    page.due_table.selectRow(0)
    dlg = page.place_legal_hold()
    assert dlg.fields["Reference"].widget.text() == older.reference
    dlg.fields["Reason"].widget.setCurrentIndex(dlg.fields["Reason"].widget.findData(HoldReason.OTHER))
    click_ok(qtbot, w, dlg)
    assert dlg.isVisible() and "required" in dlg.fields["Details"].error.text()
    dlg.fields["Details"].widget.setPlainText("A fictional subject access request")
    click_ok(qtbot, w, dlg)
    idle(qtbot, w)
    assert page.due[0].held and "Other: A fictional subject access request" in page.due_table.item(0, 4).text()
    page.due_table.selectRow(0)
    assert not page.dispose_button.isEnabled() and "legal hold" in page.dispose_button.toolTip()
    # dispose of the other, after confirming
    page.due_table.selectRow(1)
    assert page.dispose_button.isEnabled()
    answers["ask"] = False
    qtbot.mouseClick(page.dispose_button, Qt.MouseButton.LeftButton)
    idle(qtbot, w)
    assert len(incidents_due(page)) == 2  # declined: nothing happened
    answers["ask"] = True
    qtbot.mouseClick(page.dispose_button, Qt.MouseButton.LeftButton)
    idle(qtbot, w)
    assert "This deletes its pseudonym" in answers["shown"][-1][1]
    assert [d.reference for d in incidents_due(page)] == [older.reference]
    assert [(d.reference, d.approved_by) for d in page.disposals] == [(old.reference, "tester")]
    assert page.log_table.item(0, 2).text() == old.reference
    with opened(register) as svc:
        assert svc.incidents.get(old.entity_id).pseudonym == DISPOSED
    # lift the hold
    page.holds_table.selectRow(0)
    dlg = page.lift_selected()
    assert dlg is not None
    dlg.fields["Reason for lifting"].widget.setPlainText("The request was answered")
    click_ok(qtbot, w, dlg)
    idle(qtbot, w)
    assert not page.due[0].held and page.holds_table.item(0, 5).text().endswith("by tester: The request was answered")


def test_a_role_changed_while_open_is_told(qtbot: Any, open_window: Any, register: Path) -> None:
    add_user(register, "eve", Role.EDITOR)
    w = open_window(register, "eve")
    assert not w.access_banner.isVisible()
    w.ctx.poll()  # the first poll notes where the log stands
    qtbot.waitUntil(lambda: w.ctx._seen is not None and not w.ctx._polling, timeout=30_000)
    with opened(register) as svc:
        svc.users.set_role("eve", Role.VIEWER)
    w.ctx.poll()
    qtbot.waitUntil(lambda: w.access_banner.isVisible(), timeout=30_000)
    assert "Your role is now viewer" in w.access_banner.text()
    assert "User: eve (Viewer)" in w.status_db.text()


def test_file_restore_from_a_copy_puts_the_register_back(qtbot: Any, open_window: Any, register: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator picks one of the register's copies in File › Restore from a copy…: the register is put
    back as it was, the pages show it, the register as it was is kept; a viewer cannot use the menu item."""
    import datetime as dt

    from bscp_desktop.services.incidents.input import IncidentInput
    from bscp_desktop.store.copies import daily_backup
    from bscp_desktop.ui.dialogs import restore as restore_dialog

    with opened(register) as svc:
        copy = daily_backup(svc.db, dt.date(2026, 11, 19))
        later = svc.incidents.register(IncidentInput("Child After Copy", "died", dt.date(2026, 11, 2))).value
        count = len(svc.registers.incident_ids(RegisterFilter()))
    assert copy is not None
    w = open_window(register, "tester")
    w.show_page("Incidents")
    idle(qtbot, w)
    assert later.id in listed_ids(qtbot, w, "Incidents")
    assert w.act_restore.isEnabled()
    offered: list[Any] = []
    monkeypatch.setattr(restore_dialog, "choose_copy", lambda _p, copies: (offered.extend(copies), copy)[1])
    w.act_restore.trigger()
    idle(qtbot, w)
    assert [c.path for c in offered] == [copy]
    with opened(register) as svc:
        assert len(svc.registers.incident_ids(RegisterFilter())) == count - 1
        assert {c.kind for c in svc.register_copies()} == {"daily", "pre-restore"}
    assert later.id not in listed_ids(qtbot, w, "Incidents")  # the pages show the register as restored
    add_user(register, "vic", Role.VIEWER)
    viewer = open_window(register, "vic")
    assert not viewer.act_restore.isEnabled() and "administrator" in viewer.act_restore.toolTip().lower()


def test_a_viewer_reads_a_record_but_cannot_change_it(qtbot: Any, open_window: Any, register: Path,
                                                      answers: dict[str, Any]) -> None:
    w = open_window(register, "zed")
    w.open_incident(listed_ids(qtbot, w, "Incidents")[0])
    idle(qtbot, w)
    [form] = [f for f in w.forms if type(f).__name__ == "IncidentForm"]
    assert form.read_only_note.isVisible() and "you (zed) are a viewer" in form.read_only_note.text()
    assert form.notes.isReadOnly() and form.local_authority.isReadOnly() and not form.reason.isEnabled()
    box = form.children_box
    box.table.selectRow(0)
    assert box.table.isEnabled() and box.table.rowCount() >= 1  # the children stay listed
    assert not (box.add_button.isEnabled() or box.edit_button.isEnabled() or box.remove_button.isEnabled())
    assert box.edit_child() is None and box.add_button.isEnabled() is False
    save = form.buttons.button(form.buttons.StandardButton.Save)
    assert save is not None and not save.isEnabled()
    form.close()
    editor = open_window(register, "tester")
    editor.open_incident(listed_ids(qtbot, editor, "Incidents")[0])
    idle(qtbot, editor)
    [own] = [f for f in editor.forms if type(f).__name__ == "IncidentForm"]
    assert not own.read_only_note.isVisible() and not own.notes.isReadOnly() and own.children_box.add_button.isEnabled()


def test_settings_say_where_each_value_came_from_and_keep_what_it_locked(
        qtbot: Any, open_window: Any, register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings › Where data lives names each value's source; the window's lock IT locked for this PC shows its
    minutes, is not changed from Settings and says who set it."""
    shared = tmp_path / "unit data"
    config = tmp_path / "bscp-desktop.toml"
    config.write_text(f'[folders]\ndata = "{shared.as_posix()}"\n[privacy]\nlock_minutes = 7\n'
                      '[locked]\nkeys = ["privacy.lock_minutes"]\n', encoding="utf-8")
    monkeypatch.setenv("BSCP_MACHINE_CONFIG", str(config))
    monkeypatch.delenv("BSCP_DATA_DIR")
    w = open_window(register, "tester")
    w.show_page("Settings")
    idle(qtbot, w)
    page = w.settings_page
    assert page.data_label.text() == f"{shared}\nfrom this PC's settings file {config}"
    assert page.db_label.text().endswith("from the command line (--db)")  # opened by its path, not by default
    assert page.lock_minutes.value() == 7 and page.lock_minutes.isReadOnly()
    assert page.lock_minutes_source.text() == f"From this PC's settings file {config}, locked by IT."
    qtbot.keyClick(page.lock_minutes, Qt.Key.Key_Up)
    assert page.lock_minutes.value() == 7
    from bscp_desktop.ui.dialogs.screen_lock import lock_minutes, set_lock_minutes

    set_lock_minutes(30)
    assert lock_minutes() == 7
