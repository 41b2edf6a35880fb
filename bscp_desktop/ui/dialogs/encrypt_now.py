"""Encrypting the open register from Settings: the window closes the register (every background task finished,
every connection released), ``encrypt_register`` runs on a worker thread while a progress dialog shows, and the
program starts again on the register, which opens with its new key (asking for the passphrase, if one was
chosen). Whatever happens, the register is whole: the plain one or the encrypted one (see ``store.encryption``).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QProcess, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from bscp_desktop.store.encryption import encrypt_register
from bscp_desktop.store.keys import RegisterKey, keyring_usable
from bscp_desktop.ui.dialogs.passphrase import ask_new_passphrase
from bscp_desktop.ui.runtime import errors

if TYPE_CHECKING:
    from bscp_desktop.ui.shell.main_window import MainWindow


def relaunch_program(path: Path) -> None:
    """Start bscp-desktop again on the register ``path`` (the installed program, or ``python -m``)."""
    args = ["--db", str(path)]
    if not getattr(sys, "frozen", False):
        args = ["-m", "bscp_desktop", *args]
    QProcess.startDetached(sys.executable, args)


def choose_key(parent: QWidget, register: str) -> RegisterKey | None:
    """The key to encrypt the register with: a new key for this PC's credential store (after a yes), or a
    passphrase the user chooses where the PC has none; None when the user changed their mind."""
    if keyring_usable():
        if not errors.ask(parent, "Encrypt the register",
                          f"Encrypt {register}? Its key will be kept in this PC's credential store, so it opens "
                          "here as now. Close bscp-desktop on every other PC that uses it first. The window closes, "
                          "the register is encrypted and checked, and the program opens it again."):
            return None
        return RegisterKey.new_random()
    chosen = ask_new_passphrase(register, allow_plain=False)
    return RegisterKey.passphrase(chosen) if chosen else None


def encrypt_open_register(window: MainWindow, key: RegisterKey,
                          relaunch: Callable[[Path], None] = relaunch_program) -> bool:
    """Close the register, encrypt it in place, and start the program again on it. False (nothing done) when a
    record form with unsaved changes stays open."""
    path = window.ctx.register_path
    if path is None:
        return False
    for form in list(window.forms):
        if not form.close():
            return False
    window.ctx.close_register()
    failure = _run_with_progress(window, lambda: encrypt_register(path, key))
    if failure is not None:
        errors.log.error("Encrypting the register failed", exc_info=failure)
        errors.critical(window, "The register was not encrypted",
                        f"{failure}. The register was left as it was, and opens again now.")
    relaunch(path)
    window.close()
    return failure is None


def _run_with_progress(parent: QWidget, work: Callable[[], object]) -> BaseException | None:
    """Run ``work`` on a worker thread while a progress dialog keeps the window painted; its error, or None."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # noqa: BLE001 - handed back to the UI thread, which tells the user
            outcome.append(e)
    worker = threading.Thread(target=run, name="encrypt-register")
    progress = QProgressDialog("Encrypting the register and checking every row and document…", "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()
    worker.start()
    app = QApplication.instance()
    while worker.is_alive():
        if app is not None:
            app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 50)
        time.sleep(0.02)
    worker.join()
    progress.close()
    return outcome[0] if outcome else None
