"""Reference lists: agencies and themes, with the starting lists shipped in ``resources/``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services.core.base import Manager, diff, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.resources import load_json
from bscp_desktop.util.text import identifier


@dataclass(frozen=True)
class AgencyView:
    """A partner agency."""

    id: int
    name: str
    short_name: str
    active: bool
    version: int = 0


@dataclass(frozen=True)
class ThemeView:
    """A learning theme."""

    id: int
    name: str
    active: bool


class ReferenceListManager(Manager):
    """Agencies and themes."""

    def agencies(self, active_only: bool = True) -> list[AgencyView]:
        """Agencies by name."""
        from bscp_desktop.models import Agency

        with self.db.read() as s:
            q = select(Agency).order_by(Agency.name)
            if active_only:
                q = q.where(Agency.active.is_(True))
            return [AgencyView(a.id, a.name, a.short_name, a.active, a.version) for a in s.scalars(q)]

    @requires(Role.ADMIN, "add or change an agency")
    def save_agency(self, agency_id: int | None, version: int | None, name: str, short_name: str = "",
                    active: bool = True) -> Op[AgencyView]:
        """Add an agency (``agency_id`` None) or change one: its name, short name, and whether it is still in use
        (an agency no longer in use stays on the records that name it but is not offered for new ones)."""
        from bscp_desktop.models import Agency

        clean, short = identifier(name), identifier(short_name)
        c = Checker()
        c.require(bool(clean), "Name", "is required")
        c.require(len(clean) <= 200, "Name", "must be at most 200 characters")
        c.require(len(short) <= 40, "Short name", "must be at most 40 characters")
        c.raise_if_any()
        with self.db.write() as s:
            same = select(Agency.id).where(func.lower(Agency.name) == clean.lower())
            if agency_id is not None:
                same = same.where(Agency.id != agency_id)
            if s.scalar(same) is not None:
                raise ValidationError.one("Name", f"“{clean}” is already on the list")
            if agency_id is None:
                agency = Agency(name=clean, short_name=short, active=active)
                s.add(agency)
                s.flush()
                self.audit(s, "add agency", "reference", agency.id, clean, None,
                           {"name": clean, "short_name": short, "active": active})
            else:
                agency = self.load(s, Agency, "agency", agency_id, version)
                before = snapshot(agency, ["name", "short_name", "active"])
                agency.name, agency.short_name, agency.active = clean, short, active
                s.flush()
                b, a = diff(before, snapshot(agency, ["name", "short_name", "active"]))
                if a:
                    self.audit(s, "edit agency", "reference", agency.id, clean, b, a)
            view = AgencyView(agency.id, agency.name, agency.short_name, agency.active, agency.version)
        return Op(view, Changes().add("reference").add("action"))

    def themes(self, active_only: bool = True) -> list[ThemeView]:
        """Themes by name."""
        from bscp_desktop.models import Theme

        with self.db.read() as s:
            q = select(Theme).order_by(Theme.name)
            if active_only:
                q = q.where(Theme.active.is_(True))
            return [ThemeView(t.id, t.name, t.active) for t in s.scalars(q)]

    @requires(Role.ADMIN, "restore the starting agencies and themes")
    def ensure_defaults(self) -> Op[int]:
        """Add the starting agencies and themes that are missing; returns how many were added."""
        from bscp_desktop.models import Agency, Theme

        data = load_json("reference-data.json")
        added = 0
        with self.db.write() as s:
            have_a = set(s.scalars(select(Agency.name)))
            for name, short in data["agencies"]:
                if name not in have_a:
                    s.add(Agency(name=name, short_name=short))
                    added += 1
            have_t = set(s.scalars(select(Theme.name)))
            for name in data["themes"]:
                if name not in have_t:
                    s.add(Theme(name=name))
                    added += 1
            if added:
                self.audit(s, "add reference data", "reference", "defaults", f"{added} agencies and themes")
        return Op(added, Changes().add("reference") if added else Changes())
