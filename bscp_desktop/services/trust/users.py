"""Who the user is, the role they have, and managing the register's users: ``UserManager`` checks every write's
permission and records refusals; where the users live (a SQLite register's table or a PostgreSQL server's
roles) is ``services.trust.directories``, one interface with one implementation for each."""

from __future__ import annotations

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import PermissionDenied
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.trust.directories import Identity, RegisterUsers, ServerRoles, UserDirectory, UserView
from bscp_desktop.util.log_file import log
from bscp_desktop.util.text import abbreviated


class UserManager(Manager):
    """The register's users and the current user's role."""

    @property
    def directory(self) -> UserDirectory:
        """Where this register's users are kept."""
        return RegisterUsers(self) if self.db.is_sqlite else ServerRoles(self)

    # -- who am I --------------------------------------------------------------------------------------------
    def me(self) -> Identity:
        """The current user's login and role, read now (an administrator may have changed it)."""
        return self.directory.identity()

    def role(self) -> Role:
        """The current user's role."""
        return self.me().role

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
                self.directory.record_refusal(s, abbreviated(action, 60), summary)
        except Exception:  # noqa: BLE001 - the refusal stands even when it cannot be recorded
            log.exception("Could not record a refused attempt in the audit log")

    def claim_if_unowned(self) -> bool:
        """On a SQLite register with no users yet (a new one): make the current login its administrator, at its
        first write. True when it did."""
        return self.directory.claim_if_unowned()

    # -- the list --------------------------------------------------------------------------------------------
    def list(self) -> list[UserView]:
        """Every user of the register and their role, by login."""
        return self.directory.users()

    @requires(Role.ADMIN, "add a user")
    def add(self, login: str, role: Role, password: str | None = None) -> Op[UserView]:
        """Add ``login`` with ``role``. On PostgreSQL a login that does not exist yet is created with
        ``password`` (required then; never stored by the program)."""
        directory = self.directory
        return Op(directory.add(directory.valid_login(login), Role.of(role), password), Changes().add("settings"))

    @requires(Role.ADMIN, "change a user's role")
    def set_role(self, login: str, role: Role) -> Op[UserView]:
        """Give a user another role. The last administrator cannot be made anything less."""
        directory = self.directory
        return Op(directory.set_role(directory.valid_login(login), Role.of(role)), Changes().add("settings"))

    @requires(Role.ADMIN, "remove a user")
    def remove(self, login: str) -> Op[None]:
        """Take a user off the register (on PostgreSQL: take their roles away; the login itself stays)."""
        directory = self.directory
        directory.remove(directory.valid_login(login))
        return Op(None, Changes().add("settings"))


__all__ = ["UserManager"]
