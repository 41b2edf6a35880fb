"""The data behind the printed reports, read in plain queries and returned as plain rows. The ``reports``
package lays them out; nothing here knows about PDFs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bscp_desktop.domain.case_numbers import financial_year_bounds, financial_year_start
from bscp_desktop.domain.rules import due_date
from bscp_desktop.domain.vocab import STAGES, ReviewStatus, Stage
from bscp_desktop.services.catalogue.catalogue import catalogue_status
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.errors import NotFound
from bscp_desktop.util.text import identifier


@dataclass(frozen=True)
class StatusRow:
    """An open incident at its lifecycle stage, with its key dates."""

    id: int
    reference: str
    pseudonym: str
    stage: str
    became_aware: dt.date
    notified: dt.date | None
    rr_sent: dt.date | None
    decision_date: dt.date | None
    reviews: str
    stage_since: dt.date
    days_in_stage: int

    @property
    def stage_label(self) -> str:
        """The stage as staff read it."""
        return STAGES.get(self.stage, self.stage)


@dataclass(frozen=True)
class HistoryRow:
    """One recorded change."""

    at: dt.datetime
    user: str
    action: str
    summary: str


@dataclass(frozen=True)
class ClosedRow:
    """A case closed in the period."""

    reference: str
    pseudonym: str
    closed: dt.date
    reason: str


@dataclass(frozen=True)
class CatalogueEntry:
    """A publication: status as of a date (published, archived on its date, not published, in progress)."""

    id: int
    reference: str
    kind: str
    title: str
    publication_date: dt.date | None
    status: str
    archive_date: dt.date | None
    removed: dt.date | None
    documents: tuple[str, ...]
    briefing_notes: tuple[str, ...]


@dataclass(frozen=True)
class RequestRow:
    """An archive request in the period and whether it was answered within its clock."""

    reference: str
    received: dt.date
    organisation: str
    publications: str
    status: str
    due: dt.date
    responded: dt.date | None
    on_time: bool | None  # None: still open and not yet late


@dataclass
class AnnualYear:
    """Counts for one financial year."""

    first_year: int
    notifications: int = 0
    notifications_on_time: int = 0
    rapid_reviews: int = 0
    rapid_reviews_on_time: int = 0
    reviews_commissioned: int = 0
    reviews_published: int = 0
    child_deaths: int | None = None

    @property
    def label(self) -> str:
        """``2025-26``."""
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"


@dataclass
class AnnualFigures:
    """The annual report's years, oldest first, and the ten-year figures."""

    years: list[AnnualYear] = field(default_factory=list)

    @property
    def average_commissioned(self) -> float:
        """Reviews commissioned per year, averaged over the years shown."""
        return sum(y.reviews_commissioned for y in self.years) / len(self.years) if self.years else 0.0

    def share(self, on_time: str, total: str) -> float | None:
        """Share met on time over all years (None when there were none)."""
        n = sum(getattr(y, total) for y in self.years)
        return sum(getattr(y, on_time) for y in self.years) / n if n else None


class ReportingManager(Manager):
    """Report data."""

    def status(self, as_of: dt.date | None = None) -> list[StatusRow]:
        """Every open incident with the date it entered its current stage, ordered by stage then reference."""
        from bscp_desktop.models import Incident, RapidReview, Review, review_incidents

        as_of = as_of or self.today()
        order = list(STAGES)
        with self.db.read() as s:
            rows = s.execute(
                select(Incident.id, Incident.local_ref, Incident.pseudonym, Incident.stage, Incident.became_aware,
                       Incident.notified_date, RapidReview.sent_date, RapidReview.decision_date,
                       Incident.financial_year, Incident.sequence)
                .outerjoin(RapidReview, RapidReview.incident_id == Incident.id)
                .where(Incident.stage != Stage.CLOSED)).all()
            reviews: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = defaultdict(list)
            for iid, ref, decided, published in s.execute(
                select(review_incidents.c.incident_id, Review.case_reference, Review.decision_date,
                       Review.publication_date).join(Review, Review.id == review_incidents.c.review_id)):
                reviews[iid].append((ref or "", decided, published))
        out = []
        for r in rows:
            revs = reviews.get(r.id, [])
            since = {
                "notification": r.became_aware, "rapid-review": r.notified_date, "decision": r.sent_date,
                Stage.COMMISSIONING: r.decision_date, Stage.NO_REVIEW: r.decision_date,
                "review": min((d for _, d, _ in revs if d), default=r.decision_date),
                "published": max((p for _, _, p in revs if p), default=None),
            }.get(r.stage) or r.became_aware
            out.append(StatusRow(r.id, r.local_ref, r.pseudonym, r.stage, r.became_aware, r.notified_date,
                                 r.sent_date, r.decision_date, ", ".join(x for x, _, _ in revs), since,
                                 (as_of - since).days))
        out.sort(key=lambda x: (order.index(x.stage) if x.stage in order else 99, x.reference))
        return out

    def closed_between(self, start: dt.date, end: dt.date) -> list[ClosedRow]:
        """Cases closed from ``start`` to ``end`` inclusive."""
        from bscp_desktop.models import Incident

        with self.db.read() as s:
            rows = s.execute(select(Incident.local_ref, Incident.pseudonym, Incident.closed_date, Incident.closed_reason)
                             .where(Incident.closed_date >= start, Incident.closed_date <= end)
                             .order_by(Incident.closed_date, Incident.local_ref)).all()
        return [ClosedRow(ref, name, closed, reason) for ref, name, closed, reason in rows
                if closed is not None]  # always set: the WHERE clause compares it

    def catalogue(self, as_of: dt.date | None = None) -> list[CatalogueEntry]:
        """Every review that is published, archived or decided not to publish; newest publication first."""
        from bscp_desktop.models import BriefingNote, Document, Review

        as_of = as_of or self.today()
        years = self.svc.cached_settings().amount("archive")
        with self.db.read() as s:
            reviews = s.execute(
                select(Review.id, Review.case_reference, Review.kind, Review.title, Review.publication_date,
                       Review.status, Review.website_removed_date)
                .where(Review.status.in_((ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED)))).all()
            docs: dict[int | None, list[str]] = defaultdict(list)
            for rid, kind, name in s.execute(select(Document.review_id, Document.kind, Document.file_name)
                                             .where(Document.review_id.is_not(None)).order_by(Document.id)):
                docs[rid].append(f"{kind}: {name}")
            notes: dict[int | None, list[str]] = defaultdict(list)
            for rid, title in s.execute(select(BriefingNote.review_id, BriefingNote.title).order_by(BriefingNote.id)):
                notes[rid].append(title)
        out = []
        for r in reviews:
            status, archive = catalogue_status(r.status, r.publication_date, as_of, years)
            out.append(CatalogueEntry(r.id, r.case_reference or "", r.kind, r.title, r.publication_date, status,
                                      archive, r.website_removed_date, tuple(docs.get(r.id, ())),
                                      tuple(notes.get(r.id, ()))))
        out.sort(key=lambda e: (e.publication_date or dt.date.min, e.reference), reverse=True)
        return out

    def unlinked_briefing_notes(self) -> list[str]:
        """"Learning Lessons" briefing notes not linked to a review."""
        from bscp_desktop.models import BriefingNote

        with self.db.read() as s:
            return list(s.scalars(select(BriefingNote.title).where(BriefingNote.review_id.is_(None))
                                  .order_by(BriefingNote.id)))

    def requests(self, start: dt.date, end: dt.date, as_of: dt.date | None = None) -> list[RequestRow]:
        """Archive requests received from ``start`` to ``end``, with their due date and whether answered in time."""
        from bscp_desktop.models import ArchiveRequest, Review, archive_request_reviews

        as_of = as_of or self.today()
        cal, amount = self.svc.calendar(), self.svc.cached_settings().amount("archive-request")
        with self.db.read() as s:
            rows = s.execute(select(ArchiveRequest).where(ArchiveRequest.received_date >= start,
                                                          ArchiveRequest.received_date <= end)
                             .order_by(ArchiveRequest.received_date, ArchiveRequest.reference)).scalars().all()
            pubs: dict[int, list[str]] = defaultdict(list)
            for rid, ref in s.execute(select(archive_request_reviews.c.request_id, Review.case_reference)
                                      .join(Review, Review.id == archive_request_reviews.c.review_id)):
                pubs[rid].append(ref or "")
            out = []
            for r in rows:
                due = due_date("archive-request", r.received_date, cal, amount)
                on_time = (r.responded_date <= due) if r.responded_date else (False if as_of > due else None)
                out.append(RequestRow(r.reference, r.received_date, r.organisation, ", ".join(pubs.get(r.id, [])),
                                      r.status, due, r.responded_date, on_time))
        return out

    def annual(self, last_year: int, years: int = 10) -> AnnualFigures:
        """Counts per financial year for ``last_year`` and the ``years - 1`` before it: notifications and Rapid
        Reviews (and how many on time), reviews commissioned and published, child deaths entered."""
        from bscp_desktop.models import AnnualFigure, Incident, RapidReview, Review

        first = last_year - years + 1
        cal = self.svc.calendar()
        settings = self.svc.cached_settings()
        lo, hi = financial_year_bounds(first)[0], financial_year_bounds(last_year)[1]
        by_year = {y: AnnualYear(y) for y in range(first, last_year + 1)}
        with self.db.read() as s:
            for aware, notified in s.execute(select(Incident.became_aware, Incident.notified_date)
                                             .where(Incident.notified_date >= lo, Incident.notified_date <= hi)):
                assert notified is not None  # the WHERE clause compares it
                y = by_year[financial_year_start(notified)]
                y.notifications += 1
                y.notifications_on_time += notified <= due_date("notification", aware, cal, settings.amount("notification"))
            for notified, sent in s.execute(select(Incident.notified_date, RapidReview.sent_date)
                                            .join(RapidReview, RapidReview.incident_id == Incident.id)
                                            .where(RapidReview.sent_date >= lo, RapidReview.sent_date <= hi)):
                assert sent is not None  # the WHERE clause compares it
                y = by_year[financial_year_start(sent)]
                y.rapid_reviews += 1
                if notified is not None:
                    y.rapid_reviews_on_time += sent <= due_date("rapid-review", notified, cal,
                                                                settings.amount("rapid-review"))
            for (decided,) in s.execute(select(Review.decision_date)
                                        .where(Review.decision_date >= lo, Review.decision_date <= hi)):
                assert decided is not None  # the WHERE clause compares it
                by_year[financial_year_start(decided)].reviews_commissioned += 1
            for (published,) in s.execute(select(Review.publication_date)
                                          .where(Review.publication_date >= lo, Review.publication_date <= hi)):
                assert published is not None  # the WHERE clause compares it
                by_year[financial_year_start(published)].reviews_published += 1
            for fy, deaths in s.execute(select(AnnualFigure.first_year, AnnualFigure.child_deaths)
                                        .where(AnnualFigure.first_year >= first, AnnualFigure.first_year <= last_year)):
                by_year[fy].child_deaths = deaths
        return AnnualFigures([by_year[y] for y in sorted(by_year)])

    def history(self, entity: str, entity_id: int) -> list[HistoryRow]:
        """The audit entries of one record, oldest first (times in local time)."""
        from bscp_desktop.models import AuditEntry

        with self.db.read() as s:
            rows = s.execute(select(AuditEntry.at, AuditEntry.user, AuditEntry.action, AuditEntry.summary)
                             .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                             .order_by(AuditEntry.id)).all()
        return [HistoryRow(at.astimezone(), user, action, summary) for at, user, action, summary in rows]

    def find_case(self, reference: str) -> tuple[str, int]:
        """("incident" | "review", id) for a local or case reference, exactly as entered; ``NotFound`` otherwise."""
        from bscp_desktop.models import Incident, Review

        ref = identifier(reference)
        with self.db.read() as s:
            iid = s.scalar(select(Incident.id).where(func.upper(Incident.local_ref) == ref.upper()))
            if iid is not None:
                return "incident", iid
            rid = s.scalar(select(Review.id).where(func.upper(Review.case_reference) == ref.upper()))
            if rid is not None:
                return "review", rid
        raise NotFound("case", ref)
