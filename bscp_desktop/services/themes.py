"""Themes: a managed list tagged on incidents and reviews, and the view of each theme's reviews, briefing notes
and open actions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bscp_desktop.models import Action, BriefingNote, Incident, Recommendation, Review, Theme
from bscp_desktop.services.base import Manager
from bscp_desktop.services.changes import Changes, Op
from bscp_desktop.services.errors import ValidationError
from bscp_desktop.services.reference import ThemeView
from bscp_desktop.services.vocab import ACTION_DONE


@dataclass(frozen=True)
class ThemeSummary:
    """One theme's reviews, briefing notes and open actions."""

    id: int
    name: str
    reviews: tuple[tuple[int, str, str], ...]  # id, reference, title
    briefing_notes: tuple[str, ...]
    incidents: int
    open_actions: int


class ThemeManager(Manager):
    """Theme list, tagging, and the themes view."""

    def add(self, name: str) -> Op[ThemeView]:
        """Add a theme to the list (names are unique, ignoring case)."""
        clean = " ".join(name.split())
        if not clean:
            raise ValidationError.one("Theme", "is required")
        with self.db.write() as s:
            if s.scalar(select(Theme.id).where(func.lower(Theme.name) == clean.lower())) is not None:
                raise ValidationError.one("Theme", f"“{clean}” is already on the list")
            t = Theme(name=clean)
            s.add(t)
            s.flush()
            self.audit(s, "add theme", "theme", t.id, clean)
            view = ThemeView(t.id, t.name, t.active)
        return Op(view, Changes().add("reference"))

    def tag(self, entity: str, entity_id: int, theme_ids: list[int]) -> Op[tuple[str, ...]]:
        """Set the themes of an incident or a review (``entity`` "incident" or "review"); audited."""
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
        model: type[Incident] | type[Review] = Incident if entity == "incident" else Review
        with self.db.read() as s:
            return sorted(t.id for t in self.load(s, model, entity, entity_id).themes)

    def overview(self) -> list[ThemeSummary]:
        """Every theme with its reviews, their briefing notes, how many incidents carry it and its open actions."""
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
                                        tuple(notes), incidents, actions))
        return out
