"""Reference lists: agencies and themes, with the starting lists shipped in ``resources/``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bscp_desktop.models import Agency, Theme
from bscp_desktop.resources import load_json
from bscp_desktop.services.base import Manager
from bscp_desktop.services.changes import Changes, Op


@dataclass(frozen=True)
class AgencyView:
    """A partner agency."""

    id: int
    name: str
    short_name: str
    active: bool


@dataclass(frozen=True)
class ThemeView:
    """A learning theme."""

    id: int
    name: str
    active: bool


class ReferenceManager(Manager):
    """Agencies and themes."""

    def agencies(self, active_only: bool = True) -> list[AgencyView]:
        """Agencies by name."""
        with self.db.read() as s:
            q = select(Agency).order_by(Agency.name)
            if active_only:
                q = q.where(Agency.active.is_(True))
            return [AgencyView(a.id, a.name, a.short_name, a.active) for a in s.scalars(q)]

    def themes(self, active_only: bool = True) -> list[ThemeView]:
        """Themes by name."""
        with self.db.read() as s:
            q = select(Theme).order_by(Theme.name)
            if active_only:
                q = q.where(Theme.active.is_(True))
            return [ThemeView(t.id, t.name, t.active) for t in s.scalars(q)]

    def ensure_defaults(self) -> Op[int]:
        """Add the starting agencies and themes that are missing; returns how many were added."""
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
