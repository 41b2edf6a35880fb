"""Partnership settings (name, reference prefixes, protective marking, amber window, rule amounts) and
closure days; and the working calendar built from them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from bscp_desktop.domain.rules import DEFAULT_AMBER_DAYS, RULES
from bscp_desktop.domain.vocab import RecordClass, Role
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.schema import closure_days, settings
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.incidents.panel_details import PanelDetails, check_panel_details
from bscp_desktop.store.holiday_cache import cached_bank_holidays

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
# Suggested retention, in years after the trigger (the records manager sets the real ones in Settings).
DEFAULT_RETENTION_YEARS: dict[str, int] = {RecordClass.INCIDENT.value: 10, RecordClass.REQUEST.value: 3}
MAX_RETENTION_YEARS = 100
DEFAULT_COPY_DAYS = 90  # the program's copies made before an upgrade or a restore (daily copies: the last 14)
MAX_COPY_DAYS = 3650


@dataclass(frozen=True)
class PartnershipSettings:
    """The settings in force. ``rule_amounts`` maps every rule id to its amount."""

    partnership_name: str = "Birmingham Safeguarding Children Partnership"
    review_prefix: str = "BSCP"
    incident_prefix: str = "SI"
    protective_marking: str = "OFFICIAL-SENSITIVE"
    local_authority: str = "Birmingham City Council"
    amber_days: int = DEFAULT_AMBER_DAYS
    rule_amounts: dict[str, int] = field(default_factory=lambda: {r.id: r.default for r in RULES.values()})
    address: str = "PO Box 17340, Birmingham, B2 2DR"
    email: str = ""
    # Record class → years kept after its trigger (``retention.RETENTION_RULES``), as the records manager set them.
    retention_years: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RETENTION_YEARS))
    # Days the program keeps the copies it made of the register before an upgrade or a restore.
    copy_days: int = DEFAULT_COPY_DAYS
    # Who notifies the Panel, unless an incident names someone else (its form offers these).
    notifier_name: str = ""
    notifier_role: str = ""
    notifier_phone: str = ""
    notifier_email: str = ""

    @property
    def notifier(self) -> PanelDetails:
        """The default notifier as an incident's details would hold them."""
        return PanelDetails(notifier_name=self.notifier_name, notifier_role=self.notifier_role,
                            notifier_phone=self.notifier_phone, notifier_email=self.notifier_email)

    def amount(self, rule_id: str) -> int:
        """The amount in force for a rule."""
        return self.rule_amounts.get(rule_id, RULES[rule_id].default)


_SCALARS = ("partnership_name", "review_prefix", "incident_prefix", "protective_marking", "local_authority",
            "amber_days", "address", "email", "copy_days", "notifier_name", "notifier_role", "notifier_phone",
            "notifier_email")
_WHOLE_NUMBERS = ("amber_days", "copy_days")


@dataclass(frozen=True)
class ClosureView:
    """A closure day as the settings page lists it."""

    id: int
    day: dt.date
    description: str
    version: int


class SettingsManager(Manager):
    """Reads and writes the partnership settings and closure days; builds the working calendar."""

    def get(self) -> PartnershipSettings:
        """The settings in force (defaults for anything never saved)."""
        with self.db.reading() as conn:
            return self._settings_in(conn)

    @staticmethod
    def _settings_in(s: Session | Connection) -> PartnershipSettings:
        """The settings as ``s`` sees them (inside a write, flushed: with its changes)."""
        rows = {key: value for key, value in s.execute(select(settings.c.key, settings.c.value))}
        base = PartnershipSettings()
        values: dict[str, object] = {}
        for key in _SCALARS:
            if key in rows:
                values[key] = int(rows[key]) if key in _WHOLE_NUMBERS else rows[key]
        amounts = dict(base.rule_amounts)
        for rid in RULES:
            if f"rule.{rid}" in rows:
                amounts[rid] = int(rows[f"rule.{rid}"])
        years = dict(base.retention_years)
        for record_class in years:
            if f"retention.{record_class}" in rows:
                years[record_class] = int(rows[f"retention.{record_class}"])
        return replace(base, rule_amounts=amounts, retention_years=years, **values)  # type: ignore[arg-type]

    @requires(Role.ADMIN, "change the settings")
    def update(self, new: PartnershipSettings) -> Op[PartnershipSettings]:
        """Save every setting that differs from what is stored, each change audited; one transaction."""
        c = Checker()
        c.require(bool(new.partnership_name.strip()), "Partnership name", "must not be empty")
        c.require(new.review_prefix.isalpha() and 2 <= len(new.review_prefix) <= 10, "Review reference prefix",
                  "must be 2 to 10 letters, such as BSCP")
        c.require(new.incident_prefix.isalpha() and 1 <= len(new.incident_prefix) <= 10,
                  "Incident reference prefix", "must be 1 to 10 letters, such as SI")
        c.require(bool(new.protective_marking.strip()), "Protective marking", "must not be empty")
        c.require(0 <= new.amber_days <= 20, "Amber window", "must be between 0 and 20 working days")
        c.require(1 <= new.copy_days <= MAX_COPY_DAYS, "Program copies kept",
                  f"must be between 1 and {MAX_COPY_DAYS} days")
        check_panel_details(c, new.notifier)  # the default notifier by the incident's own rules
        for rid, n in new.rule_amounts.items():
            c.require(rid in RULES, f"Rule {rid}", "is not a known rule")
            if rid in RULES:
                c.require(1 <= n <= RULES[rid].max_amount, f"Rule {rid}",
                          f"amount must be between 1 and {RULES[rid].max_amount}")
        for record_class, years in new.retention_years.items():
            known = record_class in DEFAULT_RETENTION_YEARS
            c.require(known, f"Retention of {record_class}", "is not a class of record the schedule covers")
            if known:
                c.require(1 <= years <= MAX_RETENTION_YEARS, f"Retention: {RecordClass.of(record_class).label}",
                          f"must be between 1 and {MAX_RETENTION_YEARS} years")
        c.raise_if_any()
        wanted = {k: str(getattr(new, k)) for k in _SCALARS}
        wanted.update({f"rule.{rid}": str(n) for rid, n in new.rule_amounts.items()})
        wanted.update({f"retention.{k}": str(n) for k, n in new.retention_years.items()})
        current = self.get()
        have = {k: str(getattr(current, k)) for k in _SCALARS}
        have.update({f"rule.{rid}": str(n) for rid, n in current.rule_amounts.items()})
        have.update({f"retention.{k}": str(n) for k, n in current.retention_years.items()})
        from bscp_desktop.models import Setting

        with self.db.write() as s:
            for key, value in wanted.items():
                if have.get(key) == value:
                    continue
                row = s.get(Setting, key)  # a write: the ORM is loaded
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
                self.audit(s, "change setting", "setting", key, f"{key}: {have.get(key)} → {value}",
                           {key: have.get(key)}, {key: value})
            self._recompute_due_dates(s)
            saved = self._settings_in(s)
        self.svc.invalidate_calendar()
        return Op(saved, Changes().add("settings").add("incident").add("review"))

    def _recompute_due_dates(self, s: Session) -> None:
        """Every case's earliest open clock, by the settings and closure days as this transaction leaves them:
        in the same transaction as the change, so no case is ever saved with a due date of the old rules."""
        s.flush()
        self.svc.clocks.recompute_all_in(s, self.calendar_in(s), self._settings_in(s))

    # -- closure days -----------------------------------------------------------------------------------
    def take_machine_defaults(self) -> None:
        """Take the partnership's settings IT gave for a new register in this PC's settings file
        (``util.machine_config``), if it gives any."""
        from bscp_desktop.util.machine_config import partnership_defaults

        if defaults := partnership_defaults():
            self.update(dataclasses.replace(self.get(), **defaults))  # type: ignore[arg-type]

    def closures(self) -> list[ClosureView]:
        """Closure days in date order."""
        t = closure_days
        with self.db.reading() as conn:
            return [ClosureView(*r) for r in conn.execute(
                select(t.c.id, t.c.day, t.c.description, t.c.version).order_by(t.c.day))]

    @requires(Role.ADMIN, "add a closure day")
    def add_closure(self, day: dt.date, description: str) -> Op[ClosureView]:
        """Add a closure day; clocks skip it from now on."""
        if day.weekday() >= 5:
            raise ValidationError.one("Closure day", f"{day:%d/%m/%Y} is a {day:%A}: weekends are already skipped")
        if day in self.calendar().bank_holidays:
            raise ValidationError.one("Closure day", f"{day:%d/%m/%Y} is already a bank holiday")
        from bscp_desktop.models import ClosureDay

        with self.db.write() as s:
            if s.scalar(select(ClosureDay).where(ClosureDay.day == day)) is not None:
                raise ValidationError.one("Closure day", f"{day:%d/%m/%Y} is already a closure day")
            row = ClosureDay(day=day, description=description.strip() or "Office closed")
            s.add(row)
            s.flush()
            self.audit(s, "add closure day", "closure_day", row.id, f"{day.isoformat()} {row.description}",
                       None, {"day": day.isoformat(), "description": row.description})
            view = ClosureView(row.id, row.day, row.description, row.version)
            self._recompute_due_dates(s)
        self.svc.invalidate_calendar()
        return Op(view, Changes().add("settings").add("incident").add("review"))

    @requires(Role.ADMIN, "remove a closure day")
    def remove_closure(self, closure_id: int, version: int) -> Op[None]:
        """Remove a closure day."""
        from bscp_desktop.models import ClosureDay

        with self.db.write() as s:
            row = self.load(s, ClosureDay, "closure day", closure_id, version)
            self.audit(s, "remove closure day", "closure_day", closure_id, row.day.isoformat(),
                       {"day": row.day.isoformat(), "description": row.description}, None)
            s.delete(row)
            self._recompute_due_dates(s)
        self.svc.invalidate_calendar()
        return Op(None, Changes().add("settings").add("incident").add("review"))

    def calendar(self) -> WorkingCalendar:
        """The working calendar: bank holidays plus the closure days (cached until they change)."""
        return self.svc.calendar()

    def build_calendar(self) -> WorkingCalendar:
        """The working calendar read afresh (the facade caches it: ``calendar``)."""
        with self.db.reading() as conn:
            return self.calendar_in(conn)

    def calendar_in(self, s: Session | Connection) -> WorkingCalendar:
        """The working calendar as ``s`` sees the closure days (inside a write, flushed: with its changes)."""
        closures = {day: text for day, text in s.execute(select(closure_days.c.day, closure_days.c.description))}
        return WorkingCalendar(closures, holidays_=cached_bank_holidays())
