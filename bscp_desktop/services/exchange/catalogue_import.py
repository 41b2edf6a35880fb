"""Importing a partnership's publication catalogue from a spreadsheet: the reviews it has published, so a
partnership other than Birmingham (whose public catalogue ships with the program) starts with its own.

One row is one published review. ``check`` reports every problem by row and column (a reference that is not
one, used twice, or already in the catalogue; a missing title; dates out of order or in the future; an unknown
theme, with a "did you mean") and writes nothing; ``apply`` adds every review in one transaction. The archive
dates follow from the publication dates, as for every review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from sqlalchemy import select

from bscp_desktop.domain.case_numbers import parse_reference
from bscp_desktop.domain.vocab import REVIEW_KINDS, ReviewKind, ReviewStatus, Role
from bscp_desktop.models import Review, Theme
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, Problem, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.exchange.sheet import Cells, RowProblem, SheetPlan, normalise, read_sheet

COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("Case reference", "Reference", "Ref"),
    "title": ("Title", "Review"),
    "kind": ("Kind", "Type", "Review type"),
    "published": ("Published", "Publication date", "Date published"),
    "removed": ("Removed from website", "Archived", "Date archived"),
    "summary": ("Summary", "Description"),
    "themes": ("Themes", "Theme"),
    "repository": ("National repository link", "NSPCC link", "Repository"),
    "notes": ("Notes",),
}
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}
REQUIRED = ("reference", "title")
_KIND_SYNONYMS = {"scr": ReviewKind.SCR, "serious case review": ReviewKind.SCR, "lcspr": ReviewKind.LCSPR,
                  "local child safeguarding practice review": ReviewKind.LCSPR, "dhr": ReviewKind.DHR,
                  "thematic": ReviewKind.THEMATIC, "domestic homicide review": ReviewKind.DHR,
                  "child safeguarding practice review": ReviewKind.LCSPR}


@dataclass(frozen=True)
class CatalogueImportRow:
    """One published review as the file describes it."""

    line: int
    reference: str
    title: str
    kind: str
    published: dt.date | None
    removed: dt.date | None
    summary: str
    themes: tuple[int, ...]
    repository: str
    notes: str


CataloguePlan = SheetPlan[CatalogueImportRow]


def _key(reference: str) -> str:
    """What makes two references the same review: "WSCP 2023-24/5" is "WSCP2023-24/05"."""
    try:
        return parse_reference(reference).canonical
    except ValueError:
        return normalise(reference)


class CatalogueImportManager(Manager):
    """Checks and imports publication catalogues kept in spreadsheets."""

    def check(self, path: Path) -> CataloguePlan:
        """Read ``path`` and check every row; nothing is written."""
        path = Path(path)
        with self.db.read() as s:
            themes = {name: i for i, name in s.execute(select(Theme.id, Theme.name))}
            existing = {_key(r) for r in s.scalars(select(Review.case_reference)) if r}
        by_name = {normalise(n): i for n, i in themes.items()}
        sheet = read_sheet(path, COLUMNS, REQUIRED)
        problems: list[RowProblem] = []
        rows: list[CatalogueImportRow] = []
        seen: dict[str, int] = {}
        for line, cells in sheet.rows:
            c = Cells(line, cells, LABELS, problems)
            row = self._row(c, by_name, list(themes))
            if row is None:
                continue
            key = _key(row.reference)
            if key in existing:
                c.problem("reference", f"{row.reference} is already in the catalogue")
            elif key in seen:
                c.problem("reference", f"{row.reference} is also on row {seen[key]}")
            else:
                seen[key] = line
                rows.append(row)
        return CataloguePlan.checked(path, rows, problems, sheet)

    @requires(Role.EDITOR, "import a catalogue")
    def apply(self, plan: CataloguePlan) -> Op[int]:
        """Add every review of a plan with no problems, in one transaction; returns how many."""
        plan.require_ok("reviews")
        ids: list[int] = []
        with self.db.write() as s:
            taken = {_key(r) for r in s.scalars(select(Review.case_reference)) if r}
            clash = [r for r in plan.rows if _key(r.reference) in taken]
            if clash:  # a colleague added them since the check
                raise ValidationError([Problem(f"Row {r.line}: {LABELS['reference']}",
                                               f"{r.reference} is already in the catalogue") for r in clash])
            themes = {t.id: t for t in s.scalars(select(Theme))}
            for r in plan.rows:
                review = Review(kind=r.kind, case_reference=r.reference, title=r.title, summary=r.summary,
                                publication_date=r.published, website_removed_date=r.removed, status=ReviewStatus.PUBLISHED,
                                national_repository_url=r.repository, notes=r.notes,
                                themes=[themes[i] for i in r.themes])
                s.add(review)
                s.flush()
                self.audit(s, "import catalogue", "review", review.id, f"{r.reference} from {plan.source.name}")
                ids.append(review.id)
        return Op(len(ids), Changes().add_all("review", ids).add("catalogue"))

    def _row(self, c: Cells, themes: dict[str, int], theme_names: list[str]) -> CatalogueImportRow | None:
        """One row read and checked; None when it has problems. ``themes``: normalised name → id."""
        before = len(c.problems)
        reference = c.text("reference")
        if not reference:
            c.problem("reference", "is required")
        else:
            try:
                parse_reference(reference)
            except ValueError as e:
                c.problem("reference", str(e).removeprefix(f"'{reference}' "))
        title = c.text("title")
        ck = Checker()
        ck.require(bool(title), LABELS["title"], "is required")
        ck.require(len(title) <= 300, LABELS["title"], "must be at most 300 characters")
        kind = c.choice("kind", REVIEW_KINDS, _KIND_SYNONYMS) or self._kind_from(reference)
        published, removed = c.date("published"), c.date("removed")
        if published is not None:
            self.not_future(ck, LABELS["published"], published)
        if removed is not None:
            self.required_date(ck, LABELS["removed"], removed, published, "the publication")
        tagged: list[int] = []
        for name in c.text("themes").replace(";", ",").split(","):
            if not name.strip():
                continue
            found = themes.get(normalise(name))
            if found is None:
                close = get_close_matches(name.strip(), theme_names, n=1, cutoff=0.6)
                c.problem("themes", f"'{name.strip()}' is not a theme on the list"
                          + (f": did you mean {close[0]}?" if close else " (add it on the Themes page first)"))
            else:
                tagged.append(found)
        for p in ck.problems:
            c.problems.append(RowProblem(c.line, p.field, p.message))
        if len(c.problems) != before:
            return None
        return CatalogueImportRow(c.line, reference, title, kind, published, removed, c.text("summary"),
                            tuple(sorted(set(tagged))), c.text("repository"), c.text("notes"))

    @staticmethod
    def _kind_from(reference: str) -> str:
        """A kind when the file gives none, from the reference's prefix: a DHR prefix says so; a Safeguarding
        Children Board's ("…SCB") was a Serious Case Review; anything else is an LCSPR."""
        try:
            prefix = parse_reference(reference).prefix
        except ValueError:
            return ReviewKind.LCSPR
        if "DHR" in prefix:
            return ReviewKind.DHR
        return ReviewKind.SCR if prefix.endswith("SCB") else ReviewKind.LCSPR
