"""The publication catalogue: the starting public catalogue, and each publication's status as of a date
(published, archived on its date under the three-year rule, or not published)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from bscp_desktop.dates import parse_date
from bscp_desktop.models import BriefingNote, Review, Theme
from bscp_desktop.resources import load_json
from bscp_desktop.rules import add_months
from bscp_desktop.services.base import Manager
from bscp_desktop.services.changes import Changes, Op


@dataclass(frozen=True)
class ImportSummary:
    """What importing the starting catalogue added (entries already present are left as they are)."""

    reviews: int
    briefing_notes: int


def archive_date(published: dt.date, years: int = 3) -> dt.date:
    """The day a publication is archived: ``years`` after publication (29 Feb clamps to 28 Feb)."""
    return add_months(published, 12 * years)


class CatalogueManager(Manager):
    """Published reviews and briefing notes."""

    def import_starting_catalogue(self) -> Op[ImportSummary]:
        """Add the public catalogue shipped in ``resources/catalogue.json`` (reviews, older references and the
        "Learning Lessons" briefing notes), skipping what is already there. One transaction."""
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
                    publication_date=published, status="published", notes=entry.get("note", ""),
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

    def archive_status(self, published: dt.date | None, as_of: dt.date | None = None) -> tuple[str, dt.date | None]:
        """("published" | "archived" | "unpublished", archive date) for a publication date as of a date."""
        if published is None:
            return "archived", None
        when = archive_date(published, self.svc.settings.get().amount("archive"))
        return ("archived" if (as_of or self.today()) >= when else "published"), when
