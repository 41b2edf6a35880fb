"""Settings › Users: who may use the register and with which role. Administrators add users, change a role and
remove a user; everyone else sees the list and their own role. On a server the users are its logins (a new one
is created with a password typed here, which goes to the server and is not kept)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Op
from bscp_desktop.services.trust.directories import UserView
from bscp_desktop.ui.forms.fields_dialog import FieldsDialog, Spec, from_fields
from bscp_desktop.ui.runtime import errors
from bscp_desktop.ui.runtime.context import AppContext
from bscp_desktop.ui.widgets.common import hint, record_table
from bscp_desktop.util.dates import uk

ROLE_CHOICES = [(f"{r.label}: {what}", r) for r, what in (
    (Role.VIEWER, "reads registers, catalogue, statistics and reports; changes nothing"),
    (Role.EDITOR, "also records incidents, reviews, requests, actions and documents"),
    (Role.ADMIN, "also settings, closure days, agencies, themes, users, retention and legal holds"))]


class UsersBox(QGroupBox):
    """The register's users and their roles."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Users", parent)
        self.ctx = ctx
        self.users: list[UserView] = []
        self.dialog: FieldsDialog | None = None
        self.on_server = ctx.register_path is None
        self.me = QLabel(self)
        self.me.setWordWrap(True)
        self.me.setAccessibleName("Your role")
        self.table = record_table(self, "Users", ("Login", "Role", "Added"), 2, (200, 130))
        self.table.setMinimumHeight(150)
        self.add_button = ctx.writes(QPushButton("Add user…", self), needs=Role.ADMIN)
        self.role_button = ctx.writes(QPushButton("Change role…", self), needs=Role.ADMIN)
        self.remove_button = ctx.writes(QPushButton("Remove", self), needs=Role.ADMIN)
        lay = QVBoxLayout(self)
        lay.addWidget(self.me)
        lay.addWidget(hint("Each person uses their own login"
                           + (" to the server; the server itself enforces the roles, for every program that "
                              "connects." if self.on_server else
                              " to this PC. A login the register does not know can read it but not change it."),
                           self))
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        for b in (self.add_button, self.role_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.remove_button.clicked.connect(self.remove_user)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        ctx.identity_changed.connect(lambda _i: self._show_me())
        self._selection_changed()

    def refresh(self) -> None:
        """Read the users in the background."""
        self.ctx.ops.query(self, lambda svc: svc.users.list(), self._loaded, key="users")

    def _loaded(self, users: list[UserView]) -> None:
        self.users = users
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            added = (f"{uk(u.added_at.astimezone().date())} by {u.added_by}" if u.added_at else
                     "a login on the server")
            for c, text in enumerate((u.login, u.role.label, added)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._show_me()
        self._selection_changed()

    def _show_me(self) -> None:
        i = self.ctx.identity
        text = f"You are <b>{i.login}</b>, {i.role.article} in this register."
        if i.note:
            text += f" {i.note}"
        self.me.setText(text)

    def selected(self) -> UserView | None:
        """The user whose row is selected."""
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.role_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def add_user(self) -> FieldsDialog:
        """Ask for a login and role (and on a server, a password for a new login); returned for tests."""
        specs = [Spec("Login", "line", placeholder="the person's Windows login" if not self.on_server
                      else "their server login, such as j.smith"),
                 Spec("Role", "choice", Role.EDITOR, ROLE_CHOICES)]
        intro = "Add someone who uses this register, with the role their work needs."
        if self.on_server:
            specs.append(Spec("Password", "password", placeholder="only for a login the server does not have yet"))
            intro += (" A login the server does not have yet is created with this password; tell the person "
                      "how to change it. The program does not keep it.")
            submit = from_fields(lambda svc, login, role, pw: svc.users.add(login, role, pw or None),
                                 "Login", "Role", "Password")
        else:
            submit = from_fields(lambda svc, login, role: svc.users.add(login, role), "Login", "Role")
        return self._open(FieldsDialog(self.ctx, "Add user", intro, specs, submit, lambda _op: None,
                                       self.refresh, self))

    def change_role(self) -> FieldsDialog | None:
        """Give the selected user another role; returned for tests."""
        u = self.selected()
        if u is None:
            return None
        dlg = FieldsDialog(self.ctx, f"Change the role of {u.login}", "", [Spec("Role", "choice", u.role,
                                                                                  ROLE_CHOICES)],
                           from_fields(lambda svc, role: svc.users.set_role(u.login, role), "Role"),
                           lambda _op: None, self.refresh, self)
        return self._open(dlg)

    def remove_user(self) -> None:
        """Take the selected user off the register, after asking."""
        u = self.selected()
        if u is None:
            return
        after = (" Their server login stays, with no access to the register." if self.on_server
                 else " They will still be able to read it, but not change it.")
        if not errors.ask(self, "Remove user", f"Remove {u.login} ({u.role.label.lower()}) from this register?{after}"):
            return
        self.ctx.ops.write(self, lambda svc: svc.users.remove(u.login), self._removed)

    def _removed(self, _op: Op[None]) -> None:
        self.refresh()

    def _open(self, dlg: FieldsDialog) -> FieldsDialog:
        self.dialog = dlg
        dlg.open()
        return dlg
