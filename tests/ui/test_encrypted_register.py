"""Opening an encrypted register in the window: the passphrase dialog (answered by the test, as a user would,
a wrong passphrase first), the new register's passphrase on a PC without a credential store, and none asked
where the credential store keeps the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QPushButton

from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.store.keys import RegisterKey, file_state, is_encrypted
from bscp_desktop.ui.dialogs.passphrase import NewPassphraseDialog, PassphraseDialog, ask_new_passphrase, ask_passphrase
from bscp_desktop.ui.shell.app import OpeningCancelled, make_app, open_services
from tests.conftest import PG_URL
from tests.memory_keyring import memory_keyring

PASSPHRASE = "the right passphrase"


def _answer(kind: type[QDialog], steps: list[Callable[[Any], None]], seen: list[Any]) -> None:
    """Each time a dialog of ``kind`` is shown, act on it with the next step (typing, pressing a button)."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, act)
            return
        seen.append((dialog.problem.isVisible(), dialog.problem.text()))
        steps.pop(0)(dialog)
        if steps:
            QTimer.singleShot(20, act)
    QTimer.singleShot(20, act)


def _type(text: str, again: str | None = None) -> Callable[[Any], None]:
    def step(dialog: Any) -> None:
        dialog.passphrase.setText(text)
        if again is not None:
            dialog.again.setText(again)
        buttons = dialog.findChild(QDialogButtonBox)
        ok = buttons.button(QDialogButtonBox.StandardButton.Open) or buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
    return step


def _cancel(dialog: Any) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()


def _encrypted_register(path: Path) -> None:
    svc = Services.open(path, key=RegisterKey.passphrase(PASSPHRASE))
    svc.initialise_new()
    svc.close()


def test_the_window_asks_for_the_passphrase_until_it_opens(qtbot: Any, tmp_path: Path) -> None:
    make_app()
    path = tmp_path / "register.db"
    _encrypted_register(path)
    seen: list[Any] = []
    _answer(PassphraseDialog, [_type("not the passphrase"), _type(PASSPHRASE)], seen)
    svc = open_services(str(path), False, ask_passphrase)
    try:
        assert svc.db.encrypted and svc.catalogue.entries()
    finally:
        svc.close()
    assert seen[0] == (False, "")  # first asked plainly
    assert seen[1][0] and "does not open the register" in seen[1][1]  # then told the last one was wrong


def test_cancelling_the_passphrase_opens_nothing(qtbot: Any, tmp_path: Path) -> None:
    make_app()
    path = tmp_path / "register.db"
    _encrypted_register(path)
    before = path.read_bytes()
    _answer(PassphraseDialog, [_cancel], [])
    with pytest.raises(OpeningCancelled):
        open_services(str(path), False, ask_passphrase)
    assert path.read_bytes() == before


def test_a_new_register_without_a_credential_store_gets_the_passphrase_chosen(qtbot: Any, tmp_path: Path) -> None:
    make_app()
    path = tmp_path / "new.db"
    seen: list[Any] = []
    _answer(NewPassphraseDialog, [_type("short", "short"), _type(PASSPHRASE, "a typo"), _type(PASSPHRASE, PASSPHRASE)],
            seen)
    svc = open_services(str(path), False, ask_passphrase, ask_new_passphrase)
    svc.close()
    assert is_encrypted(path)
    assert "at least 10 characters" in seen[1][1] and "differ" in seen[2][1]
    assert Services.open(path, key=RegisterKey.passphrase(PASSPHRASE)).db.encrypted


def test_a_new_register_may_be_left_plain_when_the_user_says_so(qtbot: Any, tmp_path: Path) -> None:
    make_app()
    path = tmp_path / "new.db"

    def leave_plain(dialog: Any) -> None:
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "Leave it unencrypted").click()
    _answer(NewPassphraseDialog, [leave_plain], [])
    open_services(str(path), False, ask_passphrase, ask_new_passphrase).close()
    assert file_state(path) == "plain"


def test_with_a_credential_store_a_new_register_is_encrypted_without_asking(qtbot: Any, tmp_path: Path) -> None:
    make_app()
    path = tmp_path / "new.db"

    def never(*_args: Any) -> str | None:
        raise AssertionError("no dialog was expected")
    with memory_keyring() as store:
        open_services(str(path), False, never, never).close()
        assert is_encrypted(path) and len(store.entries) == 1
        svc = open_services(str(path), False, never, never)  # and it opens again with nothing typed
        assert svc.db.encrypted
        svc.close()


def test_an_idle_window_locks_hiding_every_form_until_the_user_comes_back(qtbot: Any, window: Any) -> None:
    from tests.ui.conftest import idle, listed_ids

    window.open_incident(listed_ids(qtbot, window, "Incidents")[0])
    idle(qtbot, window)
    form = window.forms[0]
    assert form.isVisible() and not window.screen_lock.needs_passphrase
    window.show_page("Settings")
    window.settings_page.lock_minutes.setValue(3)  # this PC's setting, applied at once
    assert window.screen_lock.minutes == 3 and window.screen_lock.timer.interval() == 180_000
    window.screen_lock.timer.timeout.emit()  # three minutes pass without use (the timer's signal, not a wait)
    assert window.screen_lock.locked
    assert not form.isVisible() and not window.menuBar().isVisible()
    assert window.screen_lock.currentWidget() is window.screen_lock.panel
    assert "after 3 minutes without use" in window.screen_lock.panel.since.text()
    window.screen_lock.panel.button.click()
    assert not window.screen_lock.locked and form.isVisible() and window.menuBar().isVisible()
    assert window.screen_lock.timer.isActive()
    window.settings_page.lock_minutes.setValue(0)  # never
    assert not window.screen_lock.timer.isActive()


def test_a_passphrase_register_asks_for_it_again_to_unlock(qtbot: Any, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.main_window import MainWindow
    from tests.conftest import TODAY
    from tests.ui.conftest import idle

    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    make_app()
    svc = Services.open(tmp_path / "enc.db", key=RegisterKey.passphrase(PASSPHRASE), today=lambda: TODAY)
    svc.demo.build(20, 2, TODAY)
    window = MainWindow(AppContext(svc))
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, window)
    window.show_page("Settings")
    qtbot.waitUntil(lambda: window.settings_page.encryption_label.text() != "…", timeout=30_000)
    assert window.settings_page.encryption_label.text().startswith("Encrypted (SQLCipher 4.")
    assert "opens with a passphrase" in window.settings_page.encryption_label.text()
    window.screen_lock.lock()
    panel = window.screen_lock.panel
    assert panel.passphrase.isVisible()
    panel.passphrase.setText("not it")
    panel.button.click()
    assert window.screen_lock.locked and "not the register's passphrase" in panel.error.text()
    panel.passphrase.setText(PASSPHRASE)
    panel.passphrase.returnPressed.emit()
    assert not window.screen_lock.locked
    window.ctx.poll_timer.stop()
    window.ctx.runner.wait()
    svc.close()


@pytest.fixture
def plain_window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any],
                 file_templates: dict) -> Any:
    """The window on a plain register of the unit's own (not the demo, which stays plain and offers no
    encryption) holding three fictional incidents; its administrator is this PC's login."""
    import datetime as dt

    from bscp_desktop.services.incidents.input import IncidentInput
    from bscp_desktop.ui.runtime.context import AppContext
    from bscp_desktop.ui.shell.main_window import MainWindow
    from tests.conftest import TODAY
    from tests.ui.conftest import idle

    monkeypatch.setenv("BSCP_SETTINGS_DIR", str(tmp_path / "qsettings"))
    make_app()
    svc = Services.open(file_templates["sqlite"].copy_to(tmp_path / "ui.db"), today=lambda: TODAY)
    for n in range(3):
        svc.incidents.register(IncidentInput(f"Child Plain {n}", "died", TODAY - dt.timedelta(days=n)))
    window = MainWindow(AppContext(svc))
    window.ctx.poll_timer.stop()
    qtbot.addWidget(window)
    window.show()
    idle(qtbot, window)
    yield window
    window.ctx.poll_timer.stop()
    window.ctx.runner.wait()
    svc.close()


def test_the_demo_stays_plain_and_offers_no_encryption(qtbot: Any, window: Any) -> None:
    window.show_page("Settings")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.encryption_label.text() != "…", timeout=30_000)
    assert page.encryption_label.text().startswith("Not encrypted: this is the demo database")
    assert not page.encrypt_button.isVisible() and "created encrypted" in page.encryption_hint.text()


def test_settings_encrypts_the_open_register_and_opens_it_again(qtbot: Any, plain_window: Any,
                                                                 answers: dict[str, Any], tmp_path: Path) -> None:
    window = plain_window
    from tests.ui.conftest import idle

    path = tmp_path / "ui.db"
    window.show_page("Settings")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.encrypt_button.isVisible(), timeout=30_000)
    assert page.encryption_label.text().startswith("Not encrypted")
    idle(qtbot, window)
    relaunched: list[Path] = []
    window.relaunch = relaunched.append
    with memory_keyring() as store:
        answers["ask"] = True  # "Encrypt …?": yes
        page.encrypt_button.click()
        qtbot.waitUntil(lambda: relaunched == [path], timeout=60_000)
        assert any(title == "Encrypt the register" for title, _text in answers["shown"])
        assert is_encrypted(path) and len(store.entries) == 1
        svc = Services.open(path)  # opens again with nothing typed: its key is in the credential store
        assert svc.db.encrypted and len(svc.registers.incident_ids(RegisterFilter())) == 3
        svc.close()


def test_settings_encrypt_can_be_called_off(qtbot: Any, plain_window: Any, answers: dict[str, Any],
                                            tmp_path: Path) -> None:
    window = plain_window
    window.show_page("Settings")
    qtbot.waitUntil(lambda: window.settings_page.encrypt_button.isVisible(), timeout=30_000)
    window.relaunch = lambda _p: pytest.fail("nothing should restart")
    with memory_keyring():
        answers["ask"] = False
        window.settings_page.encrypt_button.click()
    assert file_state(tmp_path / "ui.db") == "plain" and window.isVisible()


def test_settings_encrypts_with_a_chosen_passphrase_where_the_pc_has_no_credential_store(
        qtbot: Any, plain_window: Any, tmp_path: Path) -> None:
    window = plain_window
    window.show_page("Settings")
    qtbot.waitUntil(lambda: window.settings_page.encrypt_button.isVisible(), timeout=30_000)
    relaunched: list[Path] = []
    window.relaunch = relaunched.append
    seen: list[Any] = []

    def no_plain_offered(dialog: Any) -> None:
        assert not any(b.text() == "Leave it unencrypted" for b in dialog.findChildren(QPushButton))
        _type(PASSPHRASE, PASSPHRASE)(dialog)
    _answer(NewPassphraseDialog, [no_plain_offered], seen)
    window.settings_page.encrypt_button.click()
    qtbot.waitUntil(lambda: relaunched == [tmp_path / "ui.db"], timeout=60_000)
    assert seen
    reopened = Services.open(tmp_path / "ui.db", key=RegisterKey.passphrase(PASSPHRASE))
    assert reopened.db.encrypted
    reopened.close()


@pytest.mark.skipif(not PG_URL, reason="needs BSCP_TEST_DATABASE_URL (CI starts a server)")
def test_the_window_asks_for_a_server_password_the_address_lacks(qtbot: Any, empty_pg_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    from bscp_desktop.ui.dialogs.passphrase import ServerPasswordDialog, ask_server_password

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    make_app()
    Services.open(empty_pg_url).close()
    url = make_url(empty_pg_url)
    address = f"{url.drivername}://{url.username}@{url.host}/{url.database}"
    seen: list[Any] = []
    _answer(ServerPasswordDialog, [_type("not the password"), _type(url.password or "")], seen)
    svc = open_services(address, False, ask_password=ask_server_password)
    try:
        assert svc.users.me().login == url.username
        assert ":***@" in svc.db.describe()  # the password typed is never shown
    finally:
        svc.close()
    assert seen[0] == (False, "") and seen[1][0] and "refused" in seen[1][1]
    _answer(ServerPasswordDialog, [_cancel], [])
    with pytest.raises(OpeningCancelled):
        open_services(address, False, ask_password=ask_server_password)
