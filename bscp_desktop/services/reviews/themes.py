"""Themes: a managed list tagged on incidents and reviews, and the view of each theme's reviews, briefing notes
and open actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bscp_desktop.domain.vocab import ACTION_DONE, Role
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.partnership.reference_lists import ThemeView
from bscp_desktop.util.text import identifier

if TYPE_CHECKING:
    from bscp_desktop.models import Incident, Review


@dataclass(frozen=True)
class ThemeSummary:
    """One theme's reviews, briefing notes and open actions."""

    id: int
    name: str
    reviews: tuple[tuple[int, str, str], ...]  # id, reference, title
    briefing_notes: tuple[str, ...]
    incidents: int
    open_actions: int
    version: int = 0


class ThemeManager(Manager):
    """Theme list, tagging, and the themes view."""

    @requires(Role.ADMIN, "add a theme")
    def add(self, name: str) -> Op[ThemeView]:
        """Add a theme to the list (names are unique, ignoring case); a retired theme of that name comes back."""
        from bscp_desktop.models import Theme

        clean = self._clean(name)
        with self.db.write() as s:
            t = s.scalar(select(Theme).where(func.lower(Theme.name) == clean.lower()))
            if t is not None and t.active:
                raise ValidationError.one("Theme", f"“{clean}” is already on the list")
            if t is not None:
                t.active = True
                s.flush()
                self.audit(s, "edit theme", "theme", t.id, t.name, {"active": False}, {"active": True})
            else:
                t = Theme(name=clean)
                s.add(t)
                s.flush()
                self.audit(s, "add theme", "theme", t.id, clean)
            view = ThemeView(t.id, t.name, t.active)
        return Op(view, Changes().add("reference"))

    @requires(Role.ADMIN, "rename or retire a theme")
    def update(self, theme_id: int, version: int, name: str, active: bool = True) -> Op[ThemeView]:
        """Rename a theme, or retire it: a retired theme stays on the records that carry it but is not offered
        for tagging or listed on the Themes page (adding its name again brings it back)."""
        from bscp_desktop.models import Theme

        clean = self._clean(name)
        with self.db.write() as s:
            t = self.load(s, Theme, "theme", theme_id, version)
            other = s.scalar(select(Theme.id).where(func.lower(Theme.name) == clean.lower(), Theme.id != theme_id))
            if other is not None:
                raise ValidationError.one("Theme", f"“{clean}” is already on the list")
            before = {"name": t.name, "active": t.active}
            t.name, t.active = clean, active
            s.flush()
            after = {"name": t.name, "active": t.active}
            if after != before:
                self.audit(s, "edit theme", "theme", t.id, clean, before, after)
            view = ThemeView(t.id, t.name, t.active)
        return Op(view, Changes().add("reference").add("review").add("incident"))

    @staticmethod
    def _clean(name: str) -> str:
        clean = identifier(name)
        c = Checker()
        c.require(bool(clean), "Theme", "is required")
        c.require(len(clean) <= 200, "Theme", "must be at most 200 characters")
        c.raise_if_any()
        return clean

    @requires(Role.EDITOR, "tag a record with themes")
    def tag(self, entity: str, entity_id: int, theme_ids: list[int]) -> Op[tuple[str, ...]]:
        """Set the themes of an incident or a review (``entity`` "incident" or "review"); audited."""
        from bscp_desktop.models import Incident, Review, Theme

        model: type[Incident] | type[Review] = Incident if entity == "incident" else Review
        with self.db.write() as s:
            obj = self.load(s, model, entity, entity_id)
            themes = list(s.scalars(select(Theme).where(Theme.id.in_(theme_ids))))
            if len(themes) != len(set(theme_ids)):
                raise ValidationError.one("Themes", "one of the themes no longer exists")
            before = sorted(t.name for t in obj.themes)
            obj.themes = themes
            after = sorted(t.name for t in themes)
            if before != after:
                self.audit(s, "tag themes", entity, entity_id, ", ".join(after) or "none", {"themes": before},
                           {"themes": after})
        return Op(tuple(after), Changes().add(entity, entity_id).add("reference"))

    def of(self, entity: str, entity_id: int) -> list[int]:
        """The theme ids of an incident or a review."""
        from bscp_desktop.models import Incident, Review

        model: type[Incident] | type[Review] = Incident if entity == "incident" else Review
        with self.db.read() as s:
            return sorted(t.id for t in self.load(s, model, entity, entity_id).themes)

    def overview(self) -> list[ThemeSummary]:
        """Every theme with its reviews, their briefing notes, how many incidents carry it and its open actions."""
        from bscp_desktop.models import Action, BriefingNote, Incident, Recommendation, Review, Theme

        with self.db.read() as s:
            out = []
            for t in s.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.name)):
                reviews = s.execute(select(Review.id, Review.case_reference, Review.title)
                                    .where(Review.themes.any(Theme.id == t.id))
                                    .order_by(Review.publication_date.desc().nulls_last(), Review.case_reference)).all()
                ids = [r[0] for r in reviews]
                notes = s.scalars(select(BriefingNote.title).where(BriefingNote.review_id.in_(ids))).all()
                incidents = s.scalar(select(func.count(Incident.id)).where(Incident.themes.any(Theme.id == t.id))) or 0
                actions = s.scalar(select(func.count(Action.id))
                                   .join(Recommendation, Recommendation.id == Action.recommendation_id)
                                   .where(Recommendation.review_id.in_(ids), Action.status.not_in(ACTION_DONE))) or 0
                out.append(ThemeSummary(t.id, t.name, tuple((r[0], r[1] or "", r[2]) for r in reviews),
                                        tuple(notes), incidents, actions, t.version))
        return out
