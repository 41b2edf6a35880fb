"""Who the user is, the role they have, and managing the register's users.

On a SQLite register the user is the operating-system login and the register keeps its users in
``register_users``: the login that creates a register is its administrator; a login it does not know opens it
as a viewer and is told whom to ask. On PostgreSQL the user is the server login and the role is read from the
server (membership of ``bscp_viewer`` / ``bscp_editor`` / ``bscp_admin``, see ``store.server_roles``), which
also enforces it on every table; managing users there creates logins and grants those roles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bscp_desktop.domain.vocab import Role
from bscp_desktop.models import AuditEntry, RegisterUser
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import PermissionDenied, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.store import server_roles
from bscp_desktop.store.audit_chain import entry_hash, lock_and_read_head, server_stamp, values_digest
from bscp_desktop.util.log_file import log
from bscp_desktop.util.text import abbreviated, identifier


@dataclass(frozen=True)
class UserView:
    """A user of the register and their role (``added_by``/``added_at`` are known on a SQLite register)."""

    login: str
    role: Role
    added_by: str = ""
    added_at: dt.datetime | None = None


@dataclass(frozen=True)
class Identity:
    """The person using the program: their login, role, whether the register knows them, and what they are
    told when it does not (``note``), with the administrators to ask. ``unowned``: a SQLite register with no
    users yet (a new one), whose first writer becomes its administrator."""

    login: str
    role: Role
    known: bool
    administrators: tuple[str, ...]
    note: str = ""
    unowned: bool = False

    @property
    def ask(self) -> str:
        """Whom to ask for another role, in words: "an administrator (alice, bob)"."""
        names = ", ".join(self.administrators)
        return f"an administrator ({names})" if names else "an administrator"


def _clean_login(login: str) -> str:
    return identifier(login)


class UserManager(Manager):
    """The register's users and the current user's role."""

    # -- who am I --------------------------------------------------------------------------------------------
    def me(self) -> Identity:
        """The current user's login and role, read now (an administrator may have changed it)."""
        if self.db.is_sqlite:
            return self._sqlite_identity()
        return self._server_identity()

    def role(self) -> Role:
        """The current user's role."""
        return self.me().role

    def _sqlite_identity(self) -> Identity:
        login = self.svc.user
        with self.db.read() as s:
            rows = s.execute(select(RegisterUser.login, RegisterUser.role)).all()
        if not rows:  # a new register: whoever writes first creates it, and administers it
            return Identity(login, Role.ADMIN, True, (login,), unowned=True)
        admins = tuple(sorted(u for u, r in rows if r == Role.ADMIN))
        mine = next((Role.of(r) for u, r in rows if u.casefold() == login.casefold()), None)
        if mine is not None:
            return Identity(login, mine, True, admins)
        note = (f"You ({login}) are not one of this register's users, so you can read it but not change it. "
                f"Ask {Identity(login, Role.VIEWER, False, admins).ask} to add you.")
        return Identity(login, Role.VIEWER, False, admins, note)

    def _server_identity(self) -> Identity:
        with self.db.read() as s:
            conn = s.connection()
            me = server_roles.server_identity(conn)
            admins = tuple(u.login for u in server_roles.server_users(conn) if u.role is Role.ADMIN)
            owner = server_roles.table_owner(conn)
        ask = admins or (owner,)
        if me.role is not None:
            return Identity(me.login, me.role, True, ask)
        if not me.set_up:
            note = (f"This server's roles are not set up, so you ({me.login}) can read the register but not change "
                    f"it. Ask {owner} to run “bscp-desktop server-setup” and add you.")
        else:
            note = (f"Your login ({me.login}) has no bscp-desktop role on this server. Ask an administrator "
                    f"({', '.join(ask)}) to add you.")
        return Identity(me.login, Role.VIEWER, False, ask, note)

    def check(self, needed: Role, action: str) -> None:
        """Refuse ``action`` with ``PermissionDenied`` unless the current user's role allows ``needed``; a refusal
        is recorded in the audit log (who, what, when) before it is raised. A register open read-only refuses
        every write first, with ``ReadOnlyStore``, whatever the role."""
        self.db.refuse_if_read_only()
        me = self.me()
        if me.unowned and not self.claim_if_unowned():
            me = self.me()  # a colleague created it a moment ago: their register, their users
        if me.role.allows(needed):
            return
        self._audit_refusal(me, needed, action)
        raise PermissionDenied(action, needed, me.login, me.role, me.ask)

    def _audit_refusal(self, me: Identity, needed: Role, action: str) -> None:
        if self.db.read_only:
            return
        summary = f"{me.login} ({me.role.label.lower()}) tried to {action}; it needs the {needed.label.lower()} role"
        try:
            with self.db.write() as s:
                if not self.db.is_sqlite and s.connection().exec_driver_sql(
                        "SELECT to_regproc('bscp_audit_refused')").scalar() is not None:
                    _refused_on_server(s, abbreviated(action, 60), summary)  # a viewer's only way into the log
                else:
                    s.add(AuditEntry(user=self.svc.user, action="refused", entity="access", entity_id=abbreviated(action, 60),
                                     summary=summary))
        except Exception:  # noqa: BLE001 - the refusal stands even when it cannot be recorded
            log.exception("Could not record a refused attempt in the audit log")

    def claim_if_unowned(self) -> bool:
        """On a SQLite register with no users yet (a new one): make the current login its administrator. Done at
        the register's first write, not when it is opened, so that opening a new file (a copy's target, say)
        leaves it empty. True when it did."""
        if not self.db.is_sqlite or self.db.read_only:
            return False
        with self.db.write() as s:
            if s.scalar(select(func.count(RegisterUser.id))):
                return False
            s.add(RegisterUser(login=self.svc.user, role=Role.ADMIN, added_by=self.svc.user))
            self.audit(s, "add user", "user", self.svc.user, f"{self.svc.user} created the register: administrator",
                       None, {"role": Role.ADMIN.value})
        return True

    # -- the list --------------------------------------------------------------------------------------------
    def list(self) -> list[UserView]:
        """Every user of the register and their role, by login."""
        if self.db.is_sqlite:
            with self.db.read() as s:
                return [UserView(u.login, Role.of(u.role), u.added_by, u.added_at)
                        for u in s.scalars(select(RegisterUser).order_by(func.lower(RegisterUser.login)))]
        with self.db.read() as s:
            return [UserView(u.login, u.role) for u in server_roles.server_users(s.connection())]

    @requires(Role.ADMIN, "add a user")
    def add(self, login: str, role: Role, password: str | None = None) -> Op[UserView]:
        """Add ``login`` with ``role``. On PostgreSQL a login that does not exist yet is created with
        ``password`` (required then; never stored by the program)."""
        login = self._valid_login(login)
        role = Role.of(role)
        if self.db.is_sqlite:
            with self.db.write() as s:
                if self._sqlite_user(s, login) is not None:
                    raise ValidationError.one("Login", f"{login} is already a user of this register")
                s.add(RegisterUser(login=login, role=role, added_by=self.svc.user))
                self.audit(s, "add user", "user", login, f"{login}: {role.label.lower()}", None,
                           {"role": role.value})
            return Op(UserView(login, role, self.svc.user), Changes().add("settings"))
        self._server_change(login, role, password, "add user")
        return Op(UserView(login, role), Changes().add("settings"))

    @requires(Role.ADMIN, "change a user's role")
    def set_role(self, login: str, role: Role) -> Op[UserView]:
        """Give a user another role. The last administrator cannot be made anything less."""
        login = self._valid_login(login)
        role = Role.of(role)
        if self.db.is_sqlite:
            with self.db.write() as s:
                user = self._sqlite_user(s, login)
                if user is None:
                    raise ValidationError.one("Login", f"{login} is not a user of this register: add them instead")
                if user.role == Role.ADMIN and role != Role.ADMIN:
                    self._keep_an_administrator(s, login)
                before = user.role
                user.role = role
                self.audit(s, "change role", "user", user.login, f"{user.login}: {role.label.lower()}",
                           {"role": before}, {"role": role.value})
            return Op(UserView(user.login, role, user.added_by, user.added_at), Changes().add("settings"))
        if login not in {u.login for u in self.list()}:
            raise ValidationError.one("Login", f"{login} has no bscp-desktop role on this server: add them instead")
        self._server_change(login, role, None, "change role")
        return Op(UserView(login, role), Changes().add("settings"))

    @requires(Role.ADMIN, "remove a user")
    def remove(self, login: str) -> Op[None]:
        """Take a user off the register (on PostgreSQL: take their roles away; the login itself stays)."""
        login = self._valid_login(login)
        if self.db.is_sqlite:
            with self.db.write() as s:
                user = self._sqlite_user(s, login)
                if user is None:
                    raise ValidationError.one("Login", f"{login} is not a user of this register")
                if user.role == Role.ADMIN:
                    self._keep_an_administrator(s, login)
                s.execute(delete(RegisterUser).where(RegisterUser.id == user.id))
                self.audit(s, "remove user", "user", user.login, user.login, {"role": user.role}, None)
            return Op(None, Changes().add("settings"))
        if login not in {u.login for u in self.list()}:
            raise ValidationError.one("Login", f"{login} has no bscp-desktop role on this server")
        self._server_change(login, None, None, "remove user")
        return Op(None, Changes().add("settings"))

    # -- helpers ---------------------------------------------------------------------------------------------
    def _valid_login(self, login: str) -> str:
        login = _clean_login(login)
        if not login:
            raise ValidationError.one("Login", "is required")
        if len(login) > 63:
            raise ValidationError.one("Login", "can be at most 63 characters")
        if not self.db.is_sqlite and not server_roles.LOGIN.match(login):
            raise ValidationError.one("Login", "must start with a lower-case letter and hold only lower-case "
                                               "letters, digits and . _ @ -")
        return login

    @staticmethod
    def _sqlite_user(s: Session, login: str) -> RegisterUser | None:
        return s.scalar(select(RegisterUser).where(func.lower(RegisterUser.login) == login.casefold()))

    @staticmethod
    def _keep_an_administrator(s: Session, login: str) -> None:
        others = s.scalar(select(func.count(RegisterUser.id)).where(
            RegisterUser.role == Role.ADMIN, func.lower(RegisterUser.login) != login.casefold()))
        if not others:
            raise ValidationError.one("Role", f"{login} is the register's only administrator: make someone else "
                                              "an administrator first")

    def _server_change(self, login: str, role: Role | None, password: str | None, action: str) -> None:
        try:
            with self.db.write() as s:
                server_roles.set_server_role(s.connection(), login, role, password)
                self.audit(s, action, "user", login, f"{login}: {role.label.lower() if role else 'no role'}",
                           None, {"role": role.value if role else None})
        except DBAPIError as e:
            message = str(getattr(e, "orig", e)).strip().splitlines()[0]
            if "give a password" in message:
                raise ValidationError.one("Password", f"is needed: there is no login {login} on the server yet, "
                                                      "and it is created with this password") from None
            raise ValidationError.one("Login", message) from None


def _refused_on_server(s: Session, what_for: str, summary: str) -> None:
    """Record a refused attempt through the server's ``bscp_audit_refused`` (``store.server_audit``), sealed here
    with the server's login and time as the function will store them."""
    conn = s.connection()
    prev = lock_and_read_head(conn)
    stamp = server_stamp(conn)
    assert stamp is not None
    login, at = stamp
    digest = values_digest(summary, None, None)
    sealed = entry_hash(login, at, "refused", "access", what_for, digest, prev)
    conn.execute(text("SELECT bscp_audit_refused(:w, :s, :p, :d, :h)"),
                 {"w": what_for, "s": summary, "p": prev, "d": digest, "h": sealed})
