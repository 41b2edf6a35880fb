"""Register queries for the Incidents and Reviews pages and the dashboard: filter and sort in SQL, return
ordered ids, then fetch display rows for just the ids on screen. RAG filters work in SQL on each case's
stored earliest open clock (``next_due``), so a filter over 100 000 incidents is one indexed query."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from bscp_desktop.domain.case_numbers import financial_year_start
from bscp_desktop.domain.rules import Rag, amber_window_end
from bscp_desktop.domain.vocab import ReviewStatus, Stage
from bscp_desktop.schema import incident_children, incidents, rapid_reviews, reviews
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.incidents.children import children_label

# The columns of each table as the queries name them (plain Core: a register reads no ORM objects).
incident, child, rapid_review, review = incidents.c, incident_children.c, rapid_reviews.c, reviews.c

RAG_FILTERS = ("overdue", "due", "on track", "on hold", "no open clock")


@dataclass(frozen=True)
class RegisterFilter:
    """What a register shows: free text, stage/status, RAG, financial year, and the sort."""

    text: str = ""
    stage: str = ""  # an incident stage, a review status; "" for all; "open" for all but closed
    rag: str = ""  # one of RAG_FILTERS or ""
    year: int | None = None  # financial year (first calendar year)
    sort: str = "ref"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One line of the incident register."""

    id: int
    local_ref: str
    pseudonym: str
    harm: str
    age_band: str
    became_aware: dt.date
    notified_date: dt.date | None
    rr_sent: dt.date | None
    decision: str
    stage: str
    next_rule: str
    next_due: dt.date | None
    rag: Rag | None
    days: int | None
    lead_officer: str
    child_count: int = 1
    rapid_review_required: bool = True
    notification_reason: str = "serious-incident"

    @property
    def children(self) -> str:
        """The first child's pseudonym, with "+2" when the notification covers three children."""
        return children_label(self.pseudonym, self.child_count)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One line of the review register."""

    id: int
    case_reference: str
    kind: str
    title: str
    decision_date: dt.date | None
    planned_publication_date: dt.date | None
    publication_date: dt.date | None
    status: str
    next_rule: str
    next_due: dt.date | None
    rag: Rag | None
    days: int | None
    reviewer: str
    held: str = ""  # while its publication is held: the kinds and since when


INCIDENT_SORTS: dict[str, Any] = {
    "ref": (incident.financial_year, incident.sequence), "pseudonym": (incident.pseudonym,),
    "harm": (incident.harm,), "age": (child.age_band,), "aware": (incident.became_aware,),
    "notified": (incident.notified_date,), "rr_sent": (rapid_review.sent_date,), "decision": (rapid_review.decision,),
    "stage": (incident.stage,), "next": (incident.next_rule,), "due": (incident.next_due,),
    "officer": (incident.lead_officer,),
}
REVIEW_SORTS: dict[str, Any] = {
    "ref": (review.case_reference,), "kind": (review.kind,), "title": (review.title,),
    "decision": (review.decision_date,), "planned": (review.planned_publication_date,),
    "published": (review.publication_date,), "status": (review.status,), "next": (review.next_rule,),
    "due": (review.next_due,), "reviewer": (review.reviewer,),
}


class RegisterManager(Manager):
    """Ordered ids and display rows for the registers."""

    # -- incidents --------------------------------------------------------------------------------------
    def incident_ids(self, f: RegisterFilter, as_of: dt.date | None = None) -> list[int]:
        """Ids of the incidents matching ``f``, in its order."""
        q: Select[Any] = select(incident.id)
        if f.sort in ("rr_sent", "decision"):
            q = q.outerjoin(rapid_reviews, rapid_review.incident_id == incident.id)
        if f.sort == "age":
            q = q.outerjoin(incident_children, and_(child.incident_id == incident.id, child.position == 1))
        if f.text.strip():  # any child's pseudonym: the first is on the incident, the others in its children
            others = (select(child.incident_id)
                      .where(child.position > 1, self._contains(f.text, child.pseudonym)))
            q = q.where(or_(self._contains(f.text, incident.local_ref, incident.pseudonym, incident.panel_reference,
                                           incident.lead_officer), incident.id.in_(others)))
        if f.stage == "open":
            q = q.where(incident.stage != Stage.CLOSED)
        elif f.stage:
            q = q.where(incident.stage == f.stage)
        if f.year is not None:
            q = q.where(incident.financial_year == f.year)
        if f.rag:
            q = q.where(self._rag_clause(incident.next_due, f.rag, as_of))
        return self._ids(q.order_by(*self._order(INCIDENT_SORTS, f, incident.id, unique=("ref",))))

    def incident_rows(self, ids: list[int], as_of: dt.date | None = None) -> dict[int, IncidentRow]:
        """Display rows for ``ids`` (missing ids — deleted meanwhile — are left out)."""
        if not ids:
            return {}
        cal, as_of, amber = self._rag_context(as_of)
        q = (select(incident.id, incident.local_ref, incident.pseudonym, incident.harm, child.age_band,
                    incident.became_aware, incident.notified_date, rapid_review.sent_date, rapid_review.decision,
                    incident.stage, incident.next_rule, incident.next_due, incident.lead_officer,
                    incident.child_count, incident.rapid_review_required, incident.notification_reason)
             .outerjoin(rapid_reviews, rapid_review.incident_id == incident.id)
             .outerjoin(incident_children, and_(child.incident_id == incident.id, child.position == 1))
             .where(incident.id.in_(ids)))
        out: dict[int, IncidentRow] = {}
        with self.db.reading() as s:
            for r in s.execute(q):
                rag, days = self._rag(cal, as_of, amber, r.next_due)
                out[r.id] = IncidentRow(r.id, r.local_ref, r.pseudonym, r.harm, r.age_band or "", r.became_aware,
                                        r.notified_date, r.sent_date, r.decision or "", r.stage, r.next_rule,
                                        r.next_due, rag, days, r.lead_officer, r.child_count,
                                        r.rapid_review_required, r.notification_reason)
        return out

    def incident_years(self) -> list[int]:
        """Financial years that have incidents, newest first."""
        with self.db.reading() as s:
            return list(s.scalars(select(incident.financial_year).distinct().order_by(incident.financial_year.desc())))

    def stage_counts(self) -> dict[str, int]:
        """Incidents per lifecycle stage."""
        with self.db.reading() as s:
            return dict(s.execute(select(incident.stage, func.count()).group_by(incident.stage)).all())

    # -- reviews ----------------------------------------------------------------------------------------
    def review_ids(self, f: RegisterFilter, as_of: dt.date | None = None) -> list[int]:
        """Ids of the reviews matching ``f``, in its order."""
        q: Select[Any] = select(review.id)
        if f.text.strip():
            q = q.where(self._contains(f.text, review.case_reference, review.title, review.summary, review.reviewer))
        if f.stage == "open":
            q = q.where(review.status.not_in((ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED,
                                              ReviewStatus.CLOSED)))
        elif f.stage:
            q = q.where(review.status == f.stage)
        if f.year is not None:
            start, end = dt.date(f.year, 4, 1), dt.date(f.year + 1, 3, 31)
            when = func.coalesce(review.decision_date, review.publication_date)
            q = q.where(and_(when >= start, when <= end))
        if f.rag == "on hold":
            q = q.where(review.held_since.is_not(None), review.held_since <= (as_of or self.today()))
        elif f.rag:
            q = q.where(self._rag_clause(review.next_due, f.rag, as_of))
            if f.rag != "no open clock":  # a held review is on hold, whatever its moved target says
                q = q.where(or_(review.held_since.is_(None), review.held_since > (as_of or self.today())))
        return self._ids(q.order_by(*self._order(REVIEW_SORTS, f, review.id)))

    def review_rows(self, ids: list[int], as_of: dt.date | None = None) -> dict[int, ReviewRow]:
        """Display rows for ``ids``."""
        if not ids:
            return {}
        cal, as_of, amber = self._rag_context(as_of)
        q = select(review.id, review.case_reference, review.kind, review.title, review.decision_date,
                   review.planned_publication_date, review.publication_date, review.status, review.next_rule,
                   review.next_due, review.reviewer, review.held_since, review.held_kinds).where(review.id.in_(ids))
        out: dict[int, ReviewRow] = {}
        with self.db.reading() as s:
            for r in s.execute(q):
                rag, days = self._rag(cal, as_of, amber, r.next_due)
                out[r.id] = ReviewRow(r.id, r.case_reference or "", r.kind, r.title, r.decision_date,
                                      r.planned_publication_date, r.publication_date, r.status, r.next_rule,
                                      r.next_due, rag, days, r.reviewer)
            held = [rid for rid, row in out.items() if row.next_due is not None]
            out |= self._held_rows(s, out, held, as_of)
        return out

    def _held_rows(self, s: Any, rows: dict[int, ReviewRow], ids: list[int],
                   as_of: dt.date) -> dict[int, ReviewRow]:
        """The rows of the reviews among ``ids`` whose publication is held as of ``as_of``, with the earliest open
        clock as the review's own clocks have it that day (the held target moves on daily; while it is held, the
        advance copy may come first, with its own RAG): the same date, state and words as the form's timeline."""
        from bscp_desktop.services.partnership.clocks import PublicationHoldSummary

        q = select(review.id, review.kind, review.decision_date, review.planned_publication_date,
                   review.advance_copy_date, review.publication_date, review.website_removed_date,
                   review.held_days, review.held_since, review.held_kinds).where(
            review.id.in_(ids), review.held_since.is_not(None), review.held_since <= as_of)
        out: dict[int, ReviewRow] = {}
        eng = self.svc.clocks.engine(as_of)
        for r in s.execute(q):
            clocks = [c for c in eng.review_clocks(r.id, "", "", r.kind, r.decision_date, r.planned_publication_date,
                                                   r.advance_copy_date, r.publication_date, r.website_removed_date,
                                                   PublicationHoldSummary(r.held_days or 0, r.held_since,
                                                                          r.held_kinds or ""))
                      if c.met_on is None]
            if clocks:
                first = min(clocks, key=lambda c: c.due)
                out[r.id] = dataclasses.replace(rows[r.id], next_rule=first.rule_id, next_due=first.due,
                                                rag=first.rag, days=first.days,
                                                held=first.note if first.rag is Rag.ON_HOLD else "")
        return out

    def review_years(self) -> list[int]:
        """Financial years of review decisions or publications, newest first (the Reviews page's year filter
        reads it as ``<entity>_years``)."""
        with self.db.reading() as s:
            dates = s.execute(select(review.decision_date, review.publication_date)).all()
        return sorted({financial_year_start(when) for d, p in dates if (when := d or p) is not None}, reverse=True)

    def archive_due(self, within_days: int = 30, as_of: dt.date | None = None) -> list[ReviewRow]:
        """Published reviews still on the website whose archive date falls within ``within_days`` (or has
        passed): they must come down from the website."""
        as_of = as_of or self.today()
        with self.db.reading() as s:
            ids = list(s.scalars(
                select(review.id).where(review.next_rule == "archive",
                                        review.next_due <= as_of + dt.timedelta(days=within_days))
                .order_by(review.next_due)))
        rows = self.review_rows(ids, as_of)
        return [rows[i] for i in ids if i in rows]

    # -- helpers ----------------------------------------------------------------------------------------
    def _ids(self, q: Select[Any]) -> list[int]:
        # Core, not the ORM: a list of 100 000 ids comes back in half the time.
        with self.db.engine.connect() as conn:
            ids = list(conn.execute(q).scalars().all())  # fetchall: one call, not one per row
            conn.rollback()
        return ids

    def _contains(self, text: str, *columns: Any) -> ColumnElement[bool]:
        """Any of ``columns`` contains ``text``, ignoring case. SQLite's LIKE already ignores (ASCII) case and
        is twice as fast as LIKE over lower(); other databases use ILIKE."""
        escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        if self.db.is_sqlite:
            return or_(*(c.like(pattern, escape="\\") for c in columns))
        return or_(*(c.ilike(pattern, escape="\\") for c in columns))

    def _rag_context(self, as_of: dt.date | None) -> tuple[Any, dt.date, dt.date]:
        cal = self.svc.calendar()
        as_of = as_of or self.today()
        return cal, as_of, amber_window_end(as_of, cal, self.svc.cached_settings().amber_days)

    @staticmethod
    def _rag(cal: Any, as_of: dt.date, amber: dt.date, due: dt.date | None) -> tuple[Rag | None, int | None]:
        if due is None:
            return None, None
        rag = Rag.OVERDUE if due < as_of else Rag.DUE if due <= amber else Rag.ON_TRACK
        return rag, cal.between(as_of, due)

    def _rag_clause(self, column: Any, rag: str, as_of: dt.date | None) -> ColumnElement[bool]:
        _, as_of, amber = self._rag_context(as_of)
        if rag == "overdue":
            return column < as_of
        if rag == "due":
            return and_(column >= as_of, column <= amber)
        if rag == "on track":
            return column > amber
        if rag == "no open clock":
            return column.is_(None)
        raise ValueError(f"unknown RAG filter {rag!r}")

    @staticmethod
    def _order(sorts: dict[str, Any], f: RegisterFilter, id_column: Any, unique: tuple[str, ...] = ()) -> list[Any]:
        """ORDER BY for the filter's sort (the first key by default), ties broken by id unless the sort key is
        ``unique`` (an incident's reference): without the tie-break SQLite reads the key's index in order."""
        key = f.sort if f.sort in sorts else next(iter(sorts))
        order = [(c.desc() if f.descending else c.asc()).nulls_last() for c in sorts[key]]
        return order if key in unique else [*order, id_column]
