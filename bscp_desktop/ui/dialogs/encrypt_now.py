"""Encrypting the open register from Settings: the context closes the register (every background task finished,
every connection released), ``encrypt_register`` runs on the context's maintenance runner behind a progress
dialog, and the program starts again on the register, which opens with its new key (asking for the passphrase, if one was
chosen). Whatever happens, the register is whole: the plain one or the encrypted one (see ``store.encryption``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QWidget

from bscp_desktop.store.encryption import encrypt_register
from bscp_desktop.store.keys import RegisterKey, keyring_usable
from bscp_desktop.ui.dialogs.passphrase import ask_new_passphrase
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext


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


def encrypt_open_register(ctx: AppContext, parent: QWidget, forms: list[QWidget], key: RegisterKey,
                          relaunch: Callable[[Path], None], close_window: Callable[[], object]) -> bool:
    """Close the record forms and the register, encrypt it in place on the context's maintenance runner, then
    start the program again on it and close the window. False (nothing done) when a record form with unsaved
    changes stays open."""
    path = ctx.register_path
    if path is None:
        return False
    for form in list(forms):
        if not form.close():
            return False

    def finished(failure: BaseException | None) -> None:
        if failure is not None:
            errors.log.error("Encrypting the register failed", exc_info=failure)
            errors.critical(parent, "The register was not encrypted",
                            f"{failure}. The register was left as it was, and opens again now.")
        relaunch(path)
        close_window()
    ctx.run_with_register_closed(parent, "Encrypting the register and checking every row and document…",
                                 lambda: encrypt_register(path, key), finished)
    return True
