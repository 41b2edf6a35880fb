"""The publication catalogue: the starting public catalogue, and each publication's status as of a date
(published, archived on its date under the three-year rule, or not published)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from bscp_desktop.domain.case_numbers import financial_year_bounds
from bscp_desktop.domain.rules import add_months
from bscp_desktop.domain.vocab import CatalogueStatus, ReviewStatus, Role
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.util.dates import parse_date
from bscp_desktop.util.resources import load_json

if TYPE_CHECKING:
    from bscp_desktop.models import Review


@dataclass(frozen=True)
class CatalogueFilter:
    """What the catalogue page shows: text searched across reference, title, summary, themes and
    recommendations; kind; status (published, archived, unpublished); theme id; publication financial year."""

    text: str = ""
    kind: str = ""
    status: str = ""
    theme_id: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class CatalogueRow:
    """A publication as the catalogue lists it."""

    id: int
    version: int
    reference: str
    kind: str
    title: str
    publication_date: dt.date | None
    status: str  # a CatalogueStatus: on the website, archived or not published
    archive_date: dt.date | None
    removed: dt.date | None
    unpublished_reason: str
    national_repository_url: str
    themes: tuple[str, ...]
    briefing_notes: tuple[tuple[int, str], ...]
    documents: int

    @property
    def status_label(self) -> str:
        """"Published", "Archived on 10/10/2026", "Not published: reason"."""
        if self.status == CatalogueStatus.UNPUBLISHED:
            return "Not published" + (f": {self.unpublished_reason}" if self.unpublished_reason else "")
        if self.status == CatalogueStatus.ARCHIVED:
            return f"Archived on {self.archive_date:%d/%m/%Y}" if self.archive_date else "Archived (date not recorded)"
        return "Published"

    @property
    def on_website(self) -> bool:
        """Still on the website: published, not yet archived, not taken down."""
        return self.status == CatalogueStatus.PUBLISHED and self.removed is None

    @property
    def must_come_down(self) -> bool:
        """Past its archive date and still on the website: it must be taken down."""
        return self.status == CatalogueStatus.ARCHIVED and self.removed is None and self.archive_date is not None

    @property
    def can_take_down(self) -> bool:
        """Published with a date and not yet taken down: its removal from the website can be recorded."""
        return (self.status in (CatalogueStatus.PUBLISHED, CatalogueStatus.ARCHIVED) and self.removed is None
                and self.publication_date is not None)


@dataclass(frozen=True)
class ImportSummary:
    """What importing the starting catalogue added (entries already present are left as they are)."""

    reviews: int
    briefing_notes: int


def archive_date(published: dt.date, years: int = 3) -> dt.date:
    """The day a publication is archived: ``years`` after publication (29 Feb clamps to 28 Feb)."""
    return add_months(published, 12 * years)


def publication_status(published: dt.date | None, as_of: dt.date,
                       years: int) -> tuple[CatalogueStatus, dt.date | None]:
    """(on the website or archived, archive date) of a review published on ``published`` (None: an old review
    with no date, treated as archived), as of ``as_of``, archived ``years`` after publication."""
    if published is None:
        return CatalogueStatus.ARCHIVED, None
    when = archive_date(published, years)
    return (CatalogueStatus.ARCHIVED if as_of >= when else CatalogueStatus.PUBLISHED), when


def catalogue_status(review_status: str, published: dt.date | None, as_of: dt.date,
                     years: int) -> tuple[CatalogueStatus, dt.date | None]:
    """(the catalogue's status, archive date) of a review: not published when the partnership decided so, else
    on the website or archived as ``publication_status`` says."""
    if review_status == ReviewStatus.UNPUBLISHED:
        return CatalogueStatus.UNPUBLISHED, None
    return publication_status(published, as_of, years)


class CatalogueManager(Manager):
    """Published reviews and briefing notes."""

    @requires(Role.ADMIN, "load the starting catalogue")
    def import_starting_catalogue(self) -> Op[ImportSummary]:
        """Add the public catalogue shipped in ``resources/catalogue.json`` (reviews, older references and the
        "Learning Lessons" briefing notes), skipping what is already there. One transaction."""
        from bscp_desktop.models import BriefingNote, Review, Theme

        data = load_json("catalogue.json")
        added_reviews = added_notes = 0
        changes = Changes()
        with self.db.write() as s:
            themes = {t.name: t for t in s.scalars(select(Theme))}
            existing = set(s.scalars(select(Review.case_reference)))
            by_ref: dict[str, Review] = {}
            for entry in [*data["reviews"], *data["older_reviews"]]:
                ref = entry["case_reference"]
                if ref in existing:
                    continue
                published = parse_date(entry["publication_date"]) if entry.get("publication_date") else None
                review = Review(
                    kind=entry["kind"], case_reference=ref, title=entry["title"], summary=entry.get("summary", ""),
                    publication_date=published, status=ReviewStatus.PUBLISHED, notes=entry.get("note", ""),
                    themes=[themes[t] for t in entry.get("themes", []) if t in themes],
                )
                s.add(review)
                by_ref[ref] = review
                added_reviews += 1
            s.flush()
            for r in by_ref.values():
                self.audit(s, "import catalogue", "review", r.id, r.case_reference or "", None,
                           {"case_reference": r.case_reference, "publication_date": r.publication_date
                            and r.publication_date.isoformat()})
                changes.add("review", r.id)
            titles = set(s.scalars(select(BriefingNote.title)))
            for note in data["briefing_notes"]:
                if note["title"] in titles:
                    continue
                review_id = None
                if note.get("review"):
                    review_id = s.scalar(select(Review.id).where(Review.case_reference == note["review"]))
                bn = BriefingNote(title=note["title"], review_id=review_id)
                s.add(bn)
                s.flush()
                self.audit(s, "import catalogue", "briefing_note", bn.id, bn.title)
                added_notes += 1
            if added_notes:
                changes.add("catalogue")
        return Op(ImportSummary(added_reviews, added_notes), changes)

    def entries(self, f: CatalogueFilter | None = None, as_of: dt.date | None = None) -> list[CatalogueRow]:
        """Published and unpublished reviews matching ``f``, newest publication first."""
        from sqlalchemy.orm import selectinload

        from bscp_desktop.models import BriefingNote, Document, Recommendation, Review, Theme

        f = f or CatalogueFilter()
        as_of = as_of or self.today()
        years = self.svc.cached_settings().amount("archive")
        q = select(Review).where(Review.status.in_((ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED)))
        if f.kind:
            q = q.where(Review.kind == f.kind)
        if f.theme_id is not None:
            q = q.where(Review.themes.any(Theme.id == f.theme_id))
        if f.year is not None:
            first, last = financial_year_bounds(f.year)
            q = q.where(Review.publication_date >= first, Review.publication_date <= last)
        text = f.text.strip()
        if text:
            like = f"%{text.replace('%', '').replace('_', '')}%"
            q = q.where(or_(Review.case_reference.ilike(like), Review.title.ilike(like), Review.summary.ilike(like),
                            Review.themes.any(Theme.name.ilike(like)),
                            Review.id.in_(select(Recommendation.review_id).where(Recommendation.text.ilike(like))),
                            Review.id.in_(select(BriefingNote.review_id).where(BriefingNote.title.ilike(like)))))
        with self.db.read() as s:
            reviews = s.scalars(q.options(selectinload(Review.themes))).all()
            ids = [r.id for r in reviews]
            notes: dict[int | None, list[tuple[int, str]]] = {}
            for nid, rid, title in s.execute(select(BriefingNote.id, BriefingNote.review_id, BriefingNote.title)
                                             .where(BriefingNote.review_id.in_(ids)).order_by(BriefingNote.id)):
                notes.setdefault(rid, []).append((nid, title))
            counts = dict(s.execute(select(Document.review_id, func.count()).where(Document.review_id.in_(ids))
                                    .group_by(Document.review_id)).all())
            rows = []
            for r in reviews:
                status, when = catalogue_status(r.status, r.publication_date, as_of, years)
                rows.append(CatalogueRow(r.id, r.version, r.case_reference or "", r.kind, r.title, r.publication_date,
                                         status, when, r.website_removed_date, r.unpublished_reason,
                                         r.national_repository_url, tuple(sorted(t.name for t in r.themes)),
                                         tuple(notes.get(r.id, ())), counts.get(r.id, 0)))
        if f.status:
            rows = [r for r in rows if r.status == f.status]
        rows.sort(key=lambda r: (r.publication_date or dt.date.min, r.reference), reverse=True)
        return rows

    def briefing_notes(self) -> list[tuple[int, str, int | None]]:
        """Every "Learning Lessons" briefing note: (id, title, review id or None)."""
        from bscp_desktop.models import BriefingNote

        with self.db.read() as s:
            return [(nid, title, rid) for nid, title, rid in
                    s.execute(select(BriefingNote.id, BriefingNote.title, BriefingNote.review_id).order_by(BriefingNote.id))]

    @requires(Role.EDITOR, "link a briefing note to a review")
    def link_briefing_note(self, note_id: int, review_id: int | None) -> Op[None]:
        """Link a briefing note to its review (or unlink it with None); audited."""
        from bscp_desktop.models import BriefingNote, Review

        with self.db.write() as s:
            note = self.load(s, BriefingNote, "briefing note", note_id)
            if review_id is not None:
                self.load(s, Review, "review", review_id)
            before = note.review_id
            note.review_id = review_id
            self.audit(s, "link briefing note", "briefing_note", note_id, note.title, {"review_id": before},
                       {"review_id": review_id})
        return Op(None, Changes().add("catalogue", note_id))

    def archive_status(self, published: dt.date | None, as_of: dt.date | None = None) -> tuple[str, dt.date | None]:
        """(on the website or archived, archive date) for a publication date as of a date."""
        return publication_status(published, as_of or self.today(), self.svc.cached_settings().amount("archive"))
