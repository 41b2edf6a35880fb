"""Where a register's users live, behind one interface (``UserDirectory``): a SQLite register keeps them in its
``register_users`` table (``RegisterUsers``: the login that creates the register administers it; a login it does
not know opens it as a viewer and is told whom to ask); a PostgreSQL server keeps them as logins and memberships
of ``bscp_viewer`` / ``bscp_editor`` / ``bscp_admin`` (``ServerRoles``, see ``store.server_roles``), which the
server enforces on every table. ``UserManager`` checks permissions and speaks to whichever the register has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError

from bscp_desktop.domain.vocab import Role
from bscp_desktop.schema import register_users
from bscp_desktop.services.core.errors import ValidationError
from bscp_desktop.store import server_roles
from bscp_desktop.store.audit_chain import entry_hash, lock_and_read_head, server_stamp, values_digest
from bscp_desktop.util.text import identifier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import RegisterUser
    from bscp_desktop.services.core.base import Manager

MAX_LOGIN = 63


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


class UserDirectory(Protocol):
    """What the users of a register are kept in: who the current user is, the list, and its changes (each one
    transaction with its audit entry)."""

    def identity(self) -> Identity: ...

    def users(self) -> list[UserView]: ...

    def valid_login(self, login: str) -> str: ...

    def add(self, login: str, role: Role, password: str | None) -> UserView: ...

    def set_role(self, login: str, role: Role) -> UserView: ...

    def remove(self, login: str) -> None: ...

    def record_refusal(self, s: Session, action: str, summary: str) -> None: ...

    def claim_if_unowned(self) -> bool: ...


def _login(login: str) -> str:
    login = identifier(login)
    if not login:
        raise ValidationError.one("Login", "is required")
    if len(login) > MAX_LOGIN:
        raise ValidationError.one("Login", f"can be at most {MAX_LOGIN} characters")
    return login


class RegisterUsers:
    """A SQLite register's users, in its ``register_users`` table, by operating-system login."""

    def __init__(self, manager: Manager) -> None:
        self.manager = manager

    @property
    def me(self) -> str:
        return self.manager.svc.user

    def identity(self) -> Identity:
        """The current login's role; a register with no users yet is the first writer's to administer (read as
        plain columns: the window asks it before its first paint)."""
        login = self.me
        with self.manager.db.reading() as conn:
            rows = conn.execute(select(register_users.c.login, register_users.c.role)).all()
        if not rows:
            return Identity(login, Role.ADMIN, True, (login,), unowned=True)
        admins = tuple(sorted(u for u, r in rows if r == Role.ADMIN))
        mine = next((Role.of(r) for u, r in rows if u.casefold() == login.casefold()), None)
        if mine is not None:
            return Identity(login, mine, True, admins)
        note = (f"You ({login}) are not one of this register's users, so you can read it but not change it. "
                f"Ask {Identity(login, Role.VIEWER, False, admins).ask} to add you.")
        return Identity(login, Role.VIEWER, False, admins, note)

    def users(self) -> list[UserView]:
        t = register_users.c
        with self.manager.db.reading() as conn:
            return [UserView(u.login, Role.of(u.role), u.added_by, u.added_at)
                    for u in conn.execute(select(t.login, t.role, t.added_by, t.added_at).order_by(func.lower(t.login)))]

    def valid_login(self, login: str) -> str:
        return _login(login)

    def add(self, login: str, role: Role, password: str | None) -> UserView:
        from bscp_desktop.models import RegisterUser

        with self.manager.db.write() as s:
            if self._user(s, login) is not None:
                raise ValidationError.one("Login", f"{login} is already a user of this register")
            s.add(RegisterUser(login=login, role=role, added_by=self.me))
            self.manager.audit(s, "add user", "user", login, f"{login}: {role.label.lower()}", None,
                               {"role": role.value})
        return UserView(login, role, self.me)

    def set_role(self, login: str, role: Role) -> UserView:
        with self.manager.db.write() as s:
            user = self._known(s, login, ": add them instead")
            if user.role == Role.ADMIN and role != Role.ADMIN:
                self._keep_an_administrator(s, login)
            before = user.role
            user.role = role
            self.manager.audit(s, "change role", "user", user.login, f"{user.login}: {role.label.lower()}",
                               {"role": before}, {"role": role.value})
            return UserView(user.login, role, user.added_by, user.added_at)

    def remove(self, login: str) -> None:
        from bscp_desktop.models import RegisterUser

        with self.manager.db.write() as s:
            user = self._known(s, login)
            if user.role == Role.ADMIN:
                self._keep_an_administrator(s, login)
            s.execute(delete(RegisterUser).where(RegisterUser.id == user.id))
            self.manager.audit(s, "remove user", "user", user.login, user.login, {"role": user.role}, None)

    def record_refusal(self, s: Session, action: str, summary: str) -> None:
        from bscp_desktop.models import AuditEntry

        s.add(AuditEntry(user=self.me, action="refused", entity="access", entity_id=action, summary=summary))

    def claim_if_unowned(self) -> bool:
        """On a register with no users yet (a new one): make the current login its administrator. Done at the
        register's first write, not when it is opened, so that opening a new file (a copy's target, say) leaves
        it empty. True when it did."""
        from bscp_desktop.models import RegisterUser

        if self.manager.db.read_only:
            return False
        with self.manager.db.write() as s:
            if s.scalar(select(func.count(RegisterUser.id))):
                return False
            s.add(RegisterUser(login=self.me, role=Role.ADMIN, added_by=self.me))
            self.manager.audit(s, "add user", "user", self.me, f"{self.me} created the register: administrator",
                               None, {"role": Role.ADMIN.value})
        return True

    def _known(self, s: Session, login: str, what_to_do: str = "") -> RegisterUser:
        user = self._user(s, login)
        if user is None:
            raise ValidationError.one("Login", f"{login} is not a user of this register{what_to_do}")
        return user

    @staticmethod
    def _user(s: Session, login: str) -> RegisterUser | None:
        from bscp_desktop.models import RegisterUser

        return s.scalar(select(RegisterUser).where(func.lower(RegisterUser.login) == login.casefold()))

    @staticmethod
    def _keep_an_administrator(s: Session, login: str) -> None:
        from bscp_desktop.models import RegisterUser

        others = s.scalar(select(func.count(RegisterUser.id)).where(
            RegisterUser.role == Role.ADMIN, func.lower(RegisterUser.login) != login.casefold()))
        if not others:
            raise ValidationError.one("Role", f"{login} is the register's only administrator: make someone else "
                                              "an administrator first")


class ServerRoles:
    """A PostgreSQL server's users: its logins and their membership of the three bscp-desktop roles."""

    def __init__(self, manager: Manager) -> None:
        self.manager = manager

    def identity(self) -> Identity:
        """The server login's role, read from the server (which enforces it too)."""
        with self.manager.db.read() as s:
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

    def users(self) -> list[UserView]:
        with self.manager.db.read() as s:
            return [UserView(u.login, u.role) for u in server_roles.server_users(s.connection())]

    def valid_login(self, login: str) -> str:
        login = _login(login)
        if not server_roles.LOGIN.match(login):
            raise ValidationError.one("Login", "must start with a lower-case letter and hold only lower-case "
                                               "letters, digits and . _ @ -")
        return login

    def add(self, login: str, role: Role, password: str | None) -> UserView:
        """Grant ``role`` to ``login``, creating the login with ``password`` when the server has none."""
        self._change(login, role, password, "add user")
        return UserView(login, role)

    def set_role(self, login: str, role: Role) -> UserView:
        self._must_have_a_role(login, ": add them instead")
        self._change(login, role, None, "change role")
        return UserView(login, role)

    def remove(self, login: str) -> None:
        """Take the login's roles away (the login itself stays on the server)."""
        self._must_have_a_role(login)
        self._change(login, None, None, "remove user")

    def record_refusal(self, s: Session, action: str, summary: str) -> None:
        """Through the server's ``bscp_audit_refused`` when it has one (a viewer's only way into the log),
        sealed here with the server's login and time as the function will store them; else as any entry."""
        from bscp_desktop.models import AuditEntry

        conn = s.connection()
        if conn.exec_driver_sql("SELECT to_regproc('bscp_audit_refused')").scalar() is None:
            s.add(AuditEntry(user=self.manager.svc.user, action="refused", entity="access", entity_id=action,
                             summary=summary))
            return
        prev = lock_and_read_head(conn)
        stamp = server_stamp(conn)
        assert stamp is not None
        login, at = stamp
        digest = values_digest(summary, None, None)
        sealed = entry_hash(login, at, "refused", "access", action, digest, prev)
        conn.execute(text("SELECT bscp_audit_refused(:w, :s, :p, :d, :h)"),
                     {"w": action, "s": summary, "p": prev, "d": digest, "h": sealed})

    def claim_if_unowned(self) -> bool:
        """A server's users are its logins: nobody claims a register there."""
        return False

    def _must_have_a_role(self, login: str, what_to_do: str = "") -> None:
        if login not in {u.login for u in self.users()}:
            raise ValidationError.one("Login", f"{login} has no bscp-desktop role on this server{what_to_do}")

    def _change(self, login: str, role: Role | None, password: str | None, action: str) -> None:
        try:
            with self.manager.db.write() as s:
                server_roles.set_server_role(s.connection(), login, role, password)
                self.manager.audit(s, action, "user", login, f"{login}: {role.label.lower() if role else 'no role'}",
                                   None, {"role": role.value if role else None})
        except DBAPIError as e:
            message = str(getattr(e, "orig", e)).strip().splitlines()[0]
            if "give a password" in message:
                raise ValidationError.one("Password", f"is needed: there is no login {login} on the server yet, "
                                                      "and it is created with this password") from None
            raise ValidationError.one("Login", message) from None


__all__ = ["Identity", "RegisterUsers", "ServerRoles", "UserDirectory", "UserView"]
