"""What every page and form shares: the services, the background runner, the change bus and the "as of" date."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from bscp_desktop.domain.vocab import Role
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.services import Changes, Services
from bscp_desktop.services.partnership.settings import PartnershipSettings
from bscp_desktop.services.trust.directories import Identity
from bscp_desktop.store.keys import KeyKind
from bscp_desktop.ui.runtime.ops import Ops
from bscp_desktop.ui.runtime.tasks import TaskRunner
from bscp_desktop.ui.runtime.write_guard import guard_write


class ChangeBus(QObject):
    """One signal for every write: pages decide from the ``Changes`` whether to refresh."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        """Tell every page what a write changed."""
        if changes:
            self.changed.emit(changes)


class AppContext(QObject):
    """The application's shared state. Lives on the UI thread.

    Every few seconds it asks the database, off the UI thread, whether other users have saved anything, and
    broadcasts what they changed on the same bus as local writes, so colleagues' work appears by itself.
    """

    POLL_MS = 3000
    identity_changed = Signal(object)  # an ``Identity``: an administrator changed this user's role

    def __init__(self, svc: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._svc = svc  # private: screens reach the services only through ``ops``
        self.write_refusal: str | None = (
            (svc.db.read_only_reason or "This register is open read-only: it can be read, printed and exported, "
             "not changed") if svc.db.read_only else None)
        self.read_only_reason = svc.db.read_only_reason  # why, when it is more than a read-only file
        self.runner = TaskRunner(self)
        self.maintenance: TaskRunner | None = None  # what runs while the register is closed (encrypting it)
        self.bus = ChangeBus(self)
        self.ops = Ops(svc, self.runner, self.bus.publish, self)
        # The rules in force, for what screens work out as the user types (a due date under a date field):
        # read once at start-up, read again in the background whenever a change touches the settings.
        self.settings: PartnershipSettings = svc.cached_settings()
        self.calendar: WorkingCalendar = svc.calendar()
        # Who is working and their role, read at start-up (the controls a role may not use are disabled, with
        # the reason) and again whenever users change; the services check the role at every write regardless.
        self.identity: Identity = svc.users.me()
        self.bus.changed.connect(self._maybe_reload_rules)
        self._seen: int | None = None
        self._polling = False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(self.POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()

    def poll(self) -> None:
        """Check for other users' changes (background; at most one check at a time)."""
        if self._polling:
            return
        self._polling = True
        since = self._seen
        self.ops.query(self, lambda svc: svc.others_changes(since), self._polled, on_error=self._poll_failed)

    def _polled(self, got: tuple[int, Changes]) -> None:
        self._polling = False
        self._seen, changes = got
        self.bus.publish(changes)

    def _poll_failed(self, _exc: BaseException) -> None:
        self._polling = False  # the server may be away for a moment: the next poll tries again

    def _maybe_reload_rules(self, changes: Changes) -> None:
        if changes.touches("settings"):
            self.reload_rules()
            self.ops.query(self, lambda svc: svc.users.me(), self._identity_read, key="identity")

    def _identity_read(self, identity: Identity) -> None:
        changed = (identity.role, identity.known) != (self.identity.role, self.identity.known)
        self.identity = identity
        if changed:
            self.identity_changed.emit(identity)

    def reload_rules(self, then: Callable[[], object] | None = None) -> None:
        """Read the settings and working calendar again (background), then run ``then``."""
        def read(svc: Services) -> tuple[PartnershipSettings, WorkingCalendar]:
            svc.invalidate_calendar()
            return svc.cached_settings(), svc.calendar()

        def loaded(got: tuple[PartnershipSettings, WorkingCalendar]) -> None:
            self.settings, self.calendar = got
            if then is not None:
                then()
        self.ops.query(self, read, loaded, key="rules")

    @property
    def register_name(self) -> str:
        """The register as the user knows it: its file, or its server without the password."""
        return self._svc.db.describe()

    @property
    def register_url(self) -> str:
        """The address the register was opened by (as ``store.engine.resolve_url`` gives it)."""
        return self._svc.db.url

    @property
    def register_path(self) -> Path | None:
        """The register's SQLite file, or None on a server."""
        return self._svc.db.path

    @property
    def encrypted(self) -> bool:
        """True for an encrypted (SQLCipher) register."""
        return self._svc.db.encrypted

    @property
    def needs_passphrase(self) -> bool:
        """True when the register opened with a typed passphrase (the locked window asks for it again)."""
        key = self._svc.db.key
        return key is not None and key.kind is KeyKind.PASSPHRASE

    def passphrase_matches(self, text: str) -> bool:
        """True when ``text`` is the passphrase the register was opened with (compared in constant time)."""
        key = self._svc.db.key
        return key is not None and hmac.compare_digest(text.encode(), key.secret.encode())

    @property
    def read_only(self) -> bool:
        """True when the register was opened read-only (every write control is disabled)."""
        return self._svc.db.read_only

    @property
    def user(self) -> str:
        """Who is working (the login the audit log records)."""
        return self._svc.user

    @property
    def role(self) -> Role:
        """The user's role in this register."""
        return self.identity.role

    def can(self, needed: Role) -> bool:
        """True when the register can be written and the user's role allows what needs ``needed``."""
        return self.write_refusal is None and self.role.allows(needed)

    def refusal(self, needed: Role = Role.EDITOR) -> str | None:
        """Why a control that needs ``needed`` is disabled (a read-only register; a role without the right,
        naming the role it needs and whom to ask), or None when it may be used."""
        if self.write_refusal is not None:
            return self.write_refusal
        if self.role.allows(needed):
            return None
        who = " or ".join(r.article for r in Role if r.allows(needed))
        return (f"Only {who} can do this; you ({self.identity.login}) are {self.role.article} in this register. "
                f"Ask {self.identity.ask} if you need to.")

    def writes[C: (QWidget | QAction)](self, control: C, needs: Role = Role.EDITOR) -> C:
        """Mark a control that changes the register and the role it needs; disabled, with the reason as its
        tooltip, when the register is read-only or the user's role does not allow it."""
        return guard_write(control, self.refusal(needs))

    def close_register(self) -> None:
        """Finish the background work and release the database (the window has closed)."""
        self.poll_timer.stop()
        self.runner.shutdown()
        self._svc.close()

    def run_with_register_closed(self, parent: QWidget, title: str, work: Callable[[], object],
                                 on_finished: Callable[[BaseException | None], object]) -> None:
        """Close the register (its background work finished, every connection released), then run ``work``, a
        change to the register file itself such as encrypting it, on a task runner of its own behind a progress
        dialog that cannot be cancelled; ``on_finished`` gets None or the error, on the UI thread."""
        self.close_register()
        runner = self.maintenance = TaskRunner(self)
        runner.run(lambda _progress: work(), lambda _result: on_finished(None), on_finished, title=title,
                   parent=parent, cancellable=False)

    def as_of(self) -> dt.date:
        """The date clocks are shown as of: today."""
        return self._svc.today()
