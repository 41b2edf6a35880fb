"""The passphrase dialogs: one to open an encrypted register whose key is not in this PC's credential store, one
to choose the passphrase of a new register on a PC that has no credential store."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.store.keys import MIN_PASSPHRASE, PassphraseRefused, check_new_passphrase


class PassphraseDialog(QDialog):
    """Asks for the passphrase of an encrypted register; shows why the last one failed, if it did."""

    def __init__(self, register: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypted register")
        layout = QVBoxLayout(self)
        self.intro = QLabel(f"<b>{register}</b> is encrypted. Type its passphrase to open it.<br>Without the "
                            "passphrase nobody can read it: there is no other way in.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.problem = QLabel(problem)
        self.problem.setObjectName("fieldError")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase_label = QLabel("&Passphrase:")
        self.passphrase_label.setBuddy(self.passphrase)
        form.addRow(self.passphrase_label, self.passphrase)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._open)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _open(self) -> None:
        if not self.passphrase.text():
            self.problem.setText("Passphrase: type it to open the register")
            self.problem.setVisible(True)
            return
        self.accept()


class ServerPasswordDialog(PassphraseDialog):
    """Asks for a person's password to a PostgreSQL server whose address holds none; kept in memory only."""

    def __init__(self, server: str, login: str, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(server, problem, parent)
        self.setWindowTitle("Server password")
        self.intro.setText(f"The register on <b>{server}</b> needs the password of your login <b>{login}</b>.<br>"
                           "It is used for this session only and never saved.")
        self.passphrase.setAccessibleName("Password")
        self.passphrase_label.setText("&Password:")

    def _open(self) -> None:
        if not self.passphrase.text():
            self.problem.setText("Password: type it to open the register")
            self.problem.setVisible(True)
            return
        self.accept()


def ask_server_password(server: str, login: str, problem: str = "") -> str | None:
    """The password the user typed for a server login, or None when they cancelled."""
    dialog = ServerPasswordDialog(server, login, problem)
    return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class NewPassphraseDialog(QDialog):
    """Asks for the passphrase of a new register (typed twice), or leaves it unencrypted if the user says so."""

    def __init__(self, register: str, parent: QWidget | None = None, allow_plain: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Protect the new register" if allow_plain else "Encrypt the register")
        self.leave_plain = False
        layout = QVBoxLayout(self)
        opening = (f"A new register will be created at <b>{register}</b>. It will hold children's details, so it is "
                   "encrypted." if allow_plain else f"<b>{register}</b> will be encrypted.")
        intro = QLabel(
            f"{opening} This PC has no credential store to keep its key in, so choose a passphrase: you will type "
            f"it each time you open the register. Use at least {MIN_PASSPHRASE} characters (a few words are "
            "easiest to remember), and keep a copy somewhere safe, such as your organisation's password manager: "
            "<b>if it is lost, the register cannot be opened by anyone</b>.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.again = QLineEdit()
        for edit, name in ((self.passphrase, "Passphrase"), (self.again, "The same again")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("The &same again:", self.again)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        if allow_plain:
            plain = buttons.addButton("Leave it unencrypted", QDialogButtonBox.ButtonRole.DestructiveRole)
            plain.setToolTip("Anyone who gets a copy of the file could read it: only for trying the program out")
            plain.clicked.connect(self._leave_plain)
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _choose(self) -> None:
        try:
            check_new_passphrase(self.passphrase.text())
        except PassphraseRefused as e:
            self._say(str(e))
            return
        if self.again.text() != self.passphrase.text():
            self._say("The same again: the two passphrases differ")
            return
        self.accept()

    def _leave_plain(self) -> None:
        self.leave_plain = True
        self.accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)


def ask_passphrase(register: str, problem: str = "") -> str | None:
    """The passphrase the user typed for an encrypted register, or None when they cancelled."""
    dialog = PassphraseDialog(register, problem)
    return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_passphrase(register: str, allow_plain: bool = True) -> str | None:
    """A passphrase chosen for a register; "" when the user chose to leave it unencrypted (offered only with
    ``allow_plain``); None: cancelled."""
    dialog = NewPassphraseDialog(register, allow_plain=allow_plain)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return "" if dialog.leave_plain else dialog.passphrase.text()
