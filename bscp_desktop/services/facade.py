"""The one object the UI and the command line hold: ``Services``, with a manager per use case (``svc.incidents``,
``svc.rapid_reviews``, ``svc.reviews``, ``svc.clocks`` and the rest: ``_MANAGERS`` lists them all, each with its
module and class; ``Services.manager_classes`` gives them to tests).

Each public manager method opens its own session, validates, writes, audits, commits and returns plain data.
Managers are created (and their modules imported) on first use, so a command that prints one report does not
load the whole program. The facade is thread-safe: the UI calls it from background workers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.schema import audit_log
from bscp_desktop.services.core.base import Manager, long_writes_note, os_login
from bscp_desktop.services.core.changes import ENTITIES, Changes, Op
from bscp_desktop.services.core.errors import ValidationError
from bscp_desktop.store.copies import unusable_message
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.errors import (
    PasswordNeeded,
    ReadOnlyStore,
    RegisterUnusable,
    StoreUnavailable,
    password_refused,
    unavailable,
)
from bscp_desktop.store.keys import RegisterKey
from bscp_desktop.store.migrate import MigrationResult, upgrade

if TYPE_CHECKING:
    from pathlib import Path

    from bscp_desktop.services.catalogue.catalogue import CatalogueManager
    from bscp_desktop.services.catalogue.documents import DocumentManager
    from bscp_desktop.services.catalogue.fulfilment import FulfilmentManager
    from bscp_desktop.services.catalogue.requests import RequestManager
    from bscp_desktop.services.demo.demo import DemoManager
    from bscp_desktop.services.exchange.action_plan_import import ActionPlanImportManager
    from bscp_desktop.services.exchange.catalogue_import import CatalogueImportManager
    from bscp_desktop.services.exchange.ics_export import IcsExportManager
    from bscp_desktop.services.exchange.incident_import import IncidentImportManager
    from bscp_desktop.services.incidents.characteristics import CharacteristicsManager
    from bscp_desktop.services.incidents.incidents import IncidentManager
    from bscp_desktop.services.incidents.proceedings import ProceedingManager
    from bscp_desktop.services.incidents.rapid_reviews import RapidReviewManager
    from bscp_desktop.services.partnership.clocks import ClockManager
    from bscp_desktop.services.partnership.due_keeper import DueKeeper
    from bscp_desktop.services.partnership.reference_lists import ReferenceListManager
    from bscp_desktop.services.partnership.settings import PartnershipSettings, SettingsManager
    from bscp_desktop.services.registers.registers import RegisterManager
    from bscp_desktop.services.reporting.annual import AnnualManager
    from bscp_desktop.services.reporting.reporting import ReportingManager
    from bscp_desktop.services.reviews.actions import ActionManager
    from bscp_desktop.services.reviews.checklist import ChecklistManager
    from bscp_desktop.services.reviews.panel_notices import PanelNoticeManager
    from bscp_desktop.services.reviews.publication_holds import PublicationHoldManager
    from bscp_desktop.services.reviews.reviews import ReviewManager
    from bscp_desktop.services.reviews.slippage import SlippageManager
    from bscp_desktop.services.reviews.themes import ThemeManager
    from bscp_desktop.services.trust.audit_log import AuditLogManager
    from bscp_desktop.services.trust.retention import RetentionManager
    from bscp_desktop.services.trust.users import UserManager
    from bscp_desktop.store.copies import RegisterCopy
    from bscp_desktop.store.restore import Restored

# Attribute → (module, class) of each manager.
_MANAGERS: dict[str, tuple[str, str]] = {
    "settings": ("bscp_desktop.services.partnership.settings", "SettingsManager"), "reference_lists": ("bscp_desktop.services.partnership.reference_lists", "ReferenceListManager"),
    "incidents": ("bscp_desktop.services.incidents.incidents", "IncidentManager"), "reviews": ("bscp_desktop.services.reviews.reviews", "ReviewManager"),
    "clocks": ("bscp_desktop.services.partnership.clocks", "ClockManager"), "registers": ("bscp_desktop.services.registers.registers", "RegisterManager"),
    "catalogue": ("bscp_desktop.services.catalogue.catalogue", "CatalogueManager"), "documents": ("bscp_desktop.services.catalogue.documents", "DocumentManager"),
    "requests": ("bscp_desktop.services.catalogue.requests", "RequestManager"), "fulfilment": ("bscp_desktop.services.catalogue.fulfilment", "FulfilmentManager"),
    "actions": ("bscp_desktop.services.reviews.actions", "ActionManager"), "themes": ("bscp_desktop.services.reviews.themes", "ThemeManager"),
    "annual": ("bscp_desktop.services.reporting.annual", "AnnualManager"), "reporting": ("bscp_desktop.services.reporting.reporting", "ReportingManager"),
    "demo": ("bscp_desktop.services.demo.demo", "DemoManager"), "ics_export": ("bscp_desktop.services.exchange.ics_export", "IcsExportManager"),
    "incident_import": ("bscp_desktop.services.exchange.incident_import", "IncidentImportManager"),
    "action_plan_import": ("bscp_desktop.services.exchange.action_plan_import", "ActionPlanImportManager"),
    "catalogue_import": ("bscp_desktop.services.exchange.catalogue_import", "CatalogueImportManager"),
    "audit_log": ("bscp_desktop.services.trust.audit_log", "AuditLogManager"), "users": ("bscp_desktop.services.trust.users", "UserManager"),
    "retention": ("bscp_desktop.services.trust.retention", "RetentionManager"),
    "publication_holds": ("bscp_desktop.services.reviews.publication_holds", "PublicationHoldManager"),
    "checklist": ("bscp_desktop.services.reviews.checklist", "ChecklistManager"),
    "slippage": ("bscp_desktop.services.reviews.slippage", "SlippageManager"),
    "rapid_reviews": ("bscp_desktop.services.incidents.rapid_reviews", "RapidReviewManager"),
    "characteristics": ("bscp_desktop.services.incidents.characteristics", "CharacteristicsManager"),
    "panel_notices": ("bscp_desktop.services.reviews.panel_notices", "PanelNoticeManager"),
    "proceedings": ("bscp_desktop.services.incidents.proceedings", "ProceedingManager"),
}

# Which pages an audited change concerns (an entity not listed refreshes everything).
_AUDIT_TO_CHANGES: dict[str, tuple[str, ...]] = {
    "incident": ("incident",), "review": ("review", "catalogue"), "document": ("catalogue",),
    "briefing_note": ("catalogue",), "request": ("request",), "action": ("action",), "theme": ("reference",),
    "reference": ("reference",), "annual_figures": ("reference",), "setting": ("settings", "incident", "review"),
    "closure_day": ("settings", "incident", "review"), "access": (), "user": ("settings",),
    "legal_hold": ("incident", "request", "review"), "disposal": ("incident", "request"),
}


def server_login(database: Database) -> str:
    """The login a PostgreSQL connection is made as (what the audit log records and roles are read for)."""
    with database.reading() as conn:
        return str(conn.scalar(text("SELECT session_user")))


def _cannot_open(database: Database, e: DBAPIError) -> Exception:
    """The error to raise for a database that failed while being opened (its connections released): a server
    out of reach, or a register that cannot be used, in plain words."""
    no_role = not database.is_sqlite and getattr(getattr(e, "orig", None), "sqlstate", None) == "42501"
    message = _no_role_message(database) if no_role else None
    database.dispose()
    if not database.is_sqlite and password_refused(e):
        url = make_url(database.url)
        return PasswordNeeded(database.describe(), url.username or os_login(), url.password is not None)
    if unavailable(e) and not database.is_sqlite:
        return StoreUnavailable(database.unavailable_message(e))
    return RegisterUnusable(message or unusable_message(database, e))


def _no_role_message(database: Database) -> str | None:
    """What a server login the register's tables are closed to is told: that it has no bscp-desktop role, and
    whom to ask (the server's administrators, read from its catalogue, which every login may read)."""
    from bscp_desktop.domain.vocab import Role
    from bscp_desktop.store import server_roles

    try:
        with database.engine.connect() as conn:
            login = conn.execute(text("SELECT session_user")).scalar_one()
            admins = [u.login for u in server_roles.server_users(conn) if u.role is Role.ADMIN]
            owner = conn.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                      "WHERE datname = current_database()")).scalar_one()
    except DBAPIError:
        return None
    ask = ", ".join(admins or [owner])
    return (f"Your login ({login}) has no bscp-desktop role on this server, so it cannot open the register. "
            f"Ask an administrator ({ask}) to add you (Settings › Users, or “bscp-desktop users add”).")


class Services:
    """The service facade over one database."""

    if TYPE_CHECKING:
        settings: SettingsManager
        reference_lists: ReferenceListManager
        incidents: IncidentManager
        reviews: ReviewManager
        clocks: ClockManager
        registers: RegisterManager
        catalogue: CatalogueManager
        documents: DocumentManager
        requests: RequestManager
        fulfilment: FulfilmentManager
        actions: ActionManager
        themes: ThemeManager
        annual: AnnualManager
        reporting: ReportingManager
        demo: DemoManager
        ics_export: IcsExportManager
        incident_import: IncidentImportManager
        action_plan_import: ActionPlanImportManager
        catalogue_import: CatalogueImportManager
        audit_log: AuditLogManager
        users: UserManager
        retention: RetentionManager
        publication_holds: PublicationHoldManager
        checklist: ChecklistManager
        slippage: SlippageManager
        rapid_reviews: RapidReviewManager
        characteristics: CharacteristicsManager
        panel_notices: PanelNoticeManager
        proceedings: ProceedingManager

    def __init__(self, db: Database, user: str | None = None, today: Callable[[], dt.date] | None = None) -> None:
        self.user = user or os_login()
        self.today: Callable[[], dt.date] = today or dt.date.today
        self.migration: MigrationResult | None = None
        self._calendar: WorkingCalendar | None = None
        self._settings: PartnershipSettings | None = None
        self._lock = threading.Lock()
        self._managers_lock = threading.RLock()
        self._due_keeper: DueKeeper | None = None
        self._own_entries: set[int] = set()  # audit entries this program wrote, not news for its poll
        self._attach(db)

    def _attach(self, db: Database) -> None:
        """Hold ``db``: every write's flush hooks, and the note of long writes."""
        self.db = db
        db.add_write_hook("before_flush", self._before_flush)
        db.add_write_hook("after_flush", self._note_own_entries)
        db.busy_note = partial(long_writes_note, db)

    @staticmethod
    def manager_classes() -> dict[str, type[Manager]]:
        """Each manager's attribute and class (imports them all: for tests and tools that walk every manager)."""
        return {name: getattr(importlib.import_module(module), cls) for name, (module, cls) in _MANAGERS.items()}

    def __getattr__(self, name: str) -> Any:
        """Create a manager the first time it is asked for (only called for attributes not set yet)."""
        spec = _MANAGERS.get(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        with self._managers_lock:
            if name not in self.__dict__:
                module = importlib.import_module(spec[0])
                self.__dict__[name] = getattr(module, spec[1])(self)
            return self.__dict__[name]

    @property
    def due_keeper(self) -> DueKeeper:
        """Keeps each case's earliest open clock current (see ``due_keeper.DueKeeper``)."""
        with self._managers_lock:
            if self._due_keeper is None:
                from bscp_desktop.services.partnership.due_keeper import DueKeeper

                self._due_keeper = DueKeeper(self.clocks)
            return self._due_keeper

    def _before_flush(self, session: Any, flush_context: Any, instances: Any) -> None:
        from bscp_desktop.services.core.lengths import check_session  # the hooks of a write: the ORM is loaded
        from bscp_desktop.services.core.normal_text import normalise_session
        from bscp_desktop.store.audit_chain import seal_new_entries

        normalise_session(session)  # first: lengths are checked, and audit entries sealed, on the stored form
        check_session(session)
        self.due_keeper.before_flush(session, flush_context, instances)
        seal_new_entries(session)  # last: the audit entries of this flush join the chain

    def _note_own_entries(self, session: Any, _flush_context: Any) -> None:
        from bscp_desktop.models import AuditEntry  # a flush: the ORM is loaded

        ids = [obj.id for obj in session.new if isinstance(obj, AuditEntry)]
        if ids:
            with self._lock:
                self._own_entries.update(ids)

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None, migrate: bool = True, key: RegisterKey | None = None,
             **kwargs: object) -> Services:
        """Open (and by default migrate) the database named by ``--db``: a path, a URL, or None for the default.
        An encrypted register opens with ``key`` or the key the credential store or ``BSCP_DB_PASSPHRASE``
        holds (``KeyNeeded``, ``WrongKey`` otherwise); a new file given a ``key`` is created encrypted."""
        database = Database(resolve_url(db), key=key)
        try:
            result = upgrade(database) if migrate else None
        except DBAPIError as e:
            raise _cannot_open(database, e) from e
        except ReadOnlyStore:
            database.dispose()
            if database.read_only_reason:
                raise RegisterUnusable(database.read_only_reason) from None
            raise RegisterUnusable(
                f"{database.describe()} is read-only and was written by an older version of bscp-desktop, so it "
                "cannot be upgraded where it is. Copy it to a folder you can write to and open the copy.") from None
        if database.path is not None and database.key is not None:
            from bscp_desktop.store.encryption import settle_register_copies

            settle_register_copies(database)
        if not database.is_sqlite and kwargs.get("user") is None:  # on a server the user is its login
            kwargs["user"] = server_login(database)
        svc = cls(database, **kwargs)  # type: ignore[arg-type]
        svc.migration = result
        if result is not None and result.after is not None:
            try:  # a cheap read of the tables every screen needs: a damaged file is told now, in words
                svc.cached_settings()
                svc.calendar()
            except DBAPIError as e:
                raise _cannot_open(database, e) from e
        if result is not None and result.before is not None and result.before < "0014":
            svc.due_keeper.recompute_all()  # added empty by 0003; 0014 changed which incidents have a Rapid Review
        if result is not None and result.before is not None and result.before != result.after \
                and not database.is_sqlite:
            from bscp_desktop.store.server_roles import regrant_after_upgrade

            with database.write() as s:  # the upgrade's new tables are granted to the roles as the old ones were
                regrant_after_upgrade(s.connection())
        return svc

    def initialise_new(self) -> None:
        """Fill a newly created database with the starting agencies, themes and public catalogue, and the
        partnership's settings IT gave for a new register on this PC."""
        self.reference_lists.ensure_defaults()
        self.catalogue.import_starting_catalogue()
        self.settings.take_machine_defaults()

    def others_changes(self, since: int | None) -> tuple[int, Changes]:
        """(newest audit id, what other programs changed after ``since``): a cheap poll for shared use, so open
        pages can refresh when a colleague saves. The first call (``since`` None) only reads the newest id."""
        with self._lock:
            own = {i for i in self._own_entries if since is None or i > since}
            self._own_entries = own
        with self.db.reading() as conn:
            newest = conn.scalar(select(func.max(audit_log.c.id))) or 0
            changes = Changes()
            if since is not None and newest > since:
                # Another program's entries (a colleague's, or the same login's on another PC): not this one's.
                query = select(audit_log.c.entity).distinct().where(audit_log.c.id > since)
                if own:
                    query = query.where(audit_log.c.id.not_in(sorted(own)))
                for entity, in conn.execute(query):
                    for name in _AUDIT_TO_CHANGES.get(entity, ("incident", "review", "catalogue", "request",
                                                               "action", "reference", "settings")):
                        changes.add(name)
        if changes.touches("settings"):  # a colleague changed the rules: due dates from now on use theirs
            self.invalidate_calendar()
        return newest, changes

    def calendar(self) -> WorkingCalendar:
        """The working calendar in force (bank holidays and closure days), built once and cached."""
        with self._lock:
            if self._calendar is None:
                self._calendar = self.settings.build_calendar()
            return self._calendar

    def cached_settings(self) -> PartnershipSettings:
        """The settings in force, read once and cached until they change (for hot paths)."""
        with self._lock:
            cached = self._settings
        if cached is None:
            cached = self.settings.get()
            with self._lock:
                self._settings = cached
        return cached

    def invalidate_calendar(self) -> None:
        """Forget the cached calendar and settings (closure days or settings changed)."""
        with self._lock:
            self._calendar = None
            self._settings = None

    def register_state(self) -> tuple[str | None, str]:
        """The schema revision the register is at (None: not yet created) and how it is protected, in words:
        plain, or encrypted and with what key (Help › About, Settings › Privacy)."""
        from bscp_desktop.store.check import encryption_state
        from bscp_desktop.store.migrate import stored_revision

        return stored_revision(self.db), encryption_state(self.db)

    def backup_to(self, out: Path) -> Path:
        """A consistent copy of this SQLite register at ``out`` while in use (encrypted as the register is)."""
        from bscp_desktop.store.backup import backup_sqlite

        return backup_sqlite(self.db, out)

    @staticmethod
    def write_import_templates(folder: Path) -> list[Path]:
        """The blank spreadsheets for importing incidents, an action plan and a catalogue, into ``folder``."""
        from bscp_desktop.services.exchange.templates import TEMPLATES, write_template

        return [write_template(kind, folder / f"bscp-import-{kind}.xlsx") for kind in TEMPLATES]

    def register_copies(self) -> list[RegisterCopy]:
        """The copies the program made of this SQLite register (newest first; none on a server)."""
        from bscp_desktop.store.restore import restorable_copies

        return restorable_copies(self.db.path, self.db.key) if self.db.path is not None else []

    def restore_from(self, copy: Path) -> Op[Restored]:
        """Put this register back as its copy ``copy`` was (``store.restore``; administrators): this program's own
        connections are closed for it and the register is opened again afterwards, restored or not."""
        from bscp_desktop.domain.vocab import Role
        from bscp_desktop.store.restore import RestoreRefused, restore_register

        self.users.check(Role.ADMIN, "restore the register from a copy")
        path, key = self.db.path, self.db.key
        if path is None:
            raise RestoreRefused("a server database is restored with the server's own tools (pg_restore)")
        self.db.dispose()
        try:
            done = restore_register(path, key, copy, self.user)
        except RestoreRefused as e:  # told like any other refused input, naming what was chosen
            raise ValidationError.one("Copy", str(e)) from None
        finally:
            self._attach(Database(self.db.url, key=key))
            self.invalidate_calendar()
        changes = Changes()
        for entity in ENTITIES:
            changes.add(entity)
        return Op(done, changes)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()
