"""A demo database: the public catalogue plus fictional incidents and reviews at every stage of the lifecycle
(some overdue, some due, some met late). Deterministic for a seed and an "as of" date; fast enough for
100 000 incidents (rows are written with bulk INSERTs in one transaction, not through the per-record services).

Everything generated is fictional: pseudonyms "Child A", "Child B"…, role titles instead of staff names.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bscp_desktop.domain.case_numbers import financial_year_label, financial_year_start, parse_reference
from bscp_desktop.domain.rules import add_months
from bscp_desktop.domain.vocab import (
    CATEGORIES,
    CHILD_AGE_BANDS,
    ETHNICITIES,
    Decision,
    NotificationReason,
    ReviewKind,
    ReviewStatus,
    Role,
    Stage,
)
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.models import (
    Action,
    Agency,
    AgencyReturn,
    AnnualFigure,
    ArchiveRequest,
    Disclosure,
    Document,
    DocumentContent,
    Incident,
    IncidentChild,
    ParallelProceeding,
    PartnerAgreement,
    RapidReview,
    Recommendation,
    Review,
    Theme,
    archive_request_reviews,
    incident_themes,
    review_incidents,
    review_themes,
)
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.demo.extras import learning_rows, place_holds, record_checklists, request_rows
from bscp_desktop.services.demo.rapid_reviews import DemoRapidReviews
from bscp_desktop.services.demo.releases import release_rows
from bscp_desktop.services.partnership.settings import PartnershipSettings
from bscp_desktop.store.engine import reset_sequences

Progress = Callable[[float, str], None]

_OFFICERS = tuple(f"Review Officer {n}" for n in range(1, 5))
_REVIEWERS = tuple(f"Independent Reviewer {n}" for n in range(1, 7))
_BATCH = 5000
# Months from the decision to the final report and to publication, by the demo's draw (six in ten on time).
_FINAL_MONTHS = (3, 3, 4, 4, 5, 7)
_PUBLISHED_MONTHS = (4, 5, 5, 5, 6, 6, 7, 8, 10, 13)


@dataclass(frozen=True)
class DemoSummary:
    """What was generated."""

    incidents: int
    reviews: int
    as_of: dt.date
    seed: int


def letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA: pseudonym letters."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out



class DemoManager(Manager):
    """Builds demo data into the (new) database."""

    @requires(Role.ADMIN, "build demo cases")
    def build(self, incidents: int = 300, seed: int = 1, as_of: dt.date | None = None,
              progress: Progress | None = None) -> Op[DemoSummary]:
        """Generate ``incidents`` fictional incidents and their reviews as of ``as_of`` (today by default), in one
        transaction with their due dates."""
        say = progress or (lambda _f, _m: None)
        as_of = as_of or self.today()
        self.svc.initialise_new()
        say(0.02, "Starting catalogue loaded")
        settings = self.svc.settings.get()
        rng = random.Random(seed)
        with self.db.write() as s:
            cases = self._cases(s, rng, as_of, settings)
            # Dates the local authority became aware: most spread over eight years, a tenth in the last 60 days.
            start_span = as_of - dt.timedelta(days=8 * 365)
            aware_dates = sorted(
                as_of - dt.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.1
                else start_span + dt.timedelta(days=rng.randint(0, 8 * 365 - 61))
                for _ in range(incidents)
            )
            for k, aware in enumerate(aware_dates):
                cases.add(k, aware)
            say(0.3, f"Generated {incidents} incidents")
            self._write(s, cases, self._others(s, rng, cases, incidents), say)
            place_holds(s, as_of)
            record_checklists(s, as_of)
            self.audit(s, "generate demo data", "database", "demo", f"{incidents} fictional incidents, "
                       f"{len(cases.rev_rows)} reviews, seed {seed}, as of {as_of.isoformat()}")
            say(0.96, "Computing clocks")
            self.svc.due_keeper.recompute_all(s)  # in the same transaction: the demo is whole or not there
        say(1.0, "Demo database ready")
        return Op(DemoSummary(incidents, len(cases.rev_rows), as_of, seed),
                  Changes().add("incident").add("review").add("catalogue"))

    def _cases(self, s: Session, rng: random.Random, as_of: dt.date, settings: PartnershipSettings) -> _DemoCases:
        """A maker of cases that numbers them after everything the register already holds."""
        prefix = settings.review_prefix
        review_seq: dict[int, int] = {}
        for text in s.scalars(select(Review.case_reference)):
            try:
                ref = parse_reference(text or "")
            except ValueError:
                continue
            if ref.prefix == prefix:
                review_seq[ref.first_year] = max(review_seq.get(ref.first_year, 0), ref.sequence)
        incident_seq: dict[int, int] = {
            fy: n for fy, n in s.execute(select(Incident.financial_year, func.max(Incident.sequence))
                                         .group_by(Incident.financial_year))
        }
        return _DemoCases(rng, self.svc.calendar(), as_of, prefix, settings.incident_prefix,
                          settings.local_authority, list(s.scalars(select(Agency.id).order_by(Agency.id))),
                          list(s.scalars(select(Theme.id).order_by(Theme.id))),
                          (s.scalar(select(func.max(Incident.id))) or 0) + 1,
                          (s.scalar(select(func.max(RapidReview.id))) or 0) + 1,
                          (s.scalar(select(func.max(Review.id))) or 0) + 1, incident_seq, review_seq,
                          dt.datetime.combine(as_of, dt.time(9), dt.UTC))

    def _others(self, s: Session, rng: random.Random, cases: _DemoCases,
                incidents: int) -> list[tuple[Any, list[dict[str, Any]]]]:
        """Every table's rows in the order they are written: the cases', then archive requests, the learning
        of the published reviews and the child deaths of past years."""
        as_of = cases.as_of
        req_rows, req_links = request_rows(s, rng, as_of, max(6, incidents // 60), cases.cal)
        doc_rows, content_rows, disclosure_rows = release_rows(s, req_rows, req_links, cases.created)
        rec_rows, act_rows = learning_rows(rng, cases.rev_rows, cases.agency_ids, as_of, s)
        fig_rows = [{"first_year": fy, "child_deaths": rng.randint(95, 130), "national_reviews": None,
                     "child_population_share": None, "version": 1}
                    for fy in range(financial_year_start(as_of) - 9, financial_year_start(as_of))
                    if s.scalar(select(AnnualFigure.id).where(AnnualFigure.first_year == fy)) is None]
        return [(Incident.__table__, cases.inc_rows), (RapidReview.__table__, cases.rr_rows),
                (Review.__table__, cases.rev_rows), (review_incidents, cases.links),
                (IncidentChild.__table__, cases.rapid.child_rows), (AgencyReturn.__table__, cases.rapid.return_rows),
                (PartnerAgreement.__table__, cases.rapid.agreement_rows),
                (ParallelProceeding.__table__, cases.rapid.proceeding_rows), (incident_themes, cases.inc_themes),
                (review_themes, cases.rev_themes), (ArchiveRequest.__table__, req_rows),
                (archive_request_reviews, req_links), (Document.__table__, doc_rows),
                (DocumentContent.__table__, content_rows), (Disclosure.__table__, disclosure_rows),
                (Recommendation.__table__, rec_rows),
                (Action.__table__, act_rows), (AnnualFigure.__table__, fig_rows)]

    def _write(self, s: Session, cases: _DemoCases, steps: list[tuple[Any, list[dict[str, Any]]]],
               say: Progress) -> None:
        """Insert every table's rows in batches, then carry the counters on after the numbers used."""
        total = sum(len(rows) for _, rows in steps) or 1
        done = 0
        for table, rows in steps:
            for i in range(0, len(rows), _BATCH):
                chunk = rows[i:i + _BATCH]
                s.execute(insert(table), chunk)
                done += len(chunk)
                say(0.3 + 0.65 * done / total, f"Writing {table.name}")
        reset_sequences(s.connection(), [table for table, _ in steps])
        for fy, n in cases.incident_seq.items():
            self.raise_counter(s, f"incident:{fy}", n)
        for fy, n in cases.review_seq.items():
            self.raise_counter(s, f"review:{cases.prefix}:{fy}", n)


@dataclass
class _DemoCases:
    """The fictional cases of one demo as table rows, made one case at a time: an incident, its notification and
    Rapid Review, and for a decision to review, the review and its publication (the random draws in the order a
    seed has always given)."""

    rng: random.Random
    cal: WorkingCalendar
    as_of: dt.date
    prefix: str
    iprefix: str
    local_authority: str
    agency_ids: list[int]
    theme_ids: list[int]
    next_inc: int
    next_rr: int
    next_rev: int
    incident_seq: dict[int, int]
    review_seq: dict[int, int]
    created: dt.datetime
    inc_rows: list[dict[str, Any]] = field(default_factory=list)
    rr_rows: list[dict[str, Any]] = field(default_factory=list)
    rev_rows: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    rapid: DemoRapidReviews = field(init=False)
    inc_themes: list[dict[str, Any]] = field(default_factory=list)
    rev_themes: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A stream of its own (seeded from the demo's, drawing nothing from it), so the cases a seed gives stay.
        self.rapid = DemoRapidReviews(random.Random(repr(self.rng.getstate()[1][:8])), self.cal, self.as_of,
                                      self.agency_ids)

    def add(self, k: int, aware: dt.date) -> None:
        """The ``k``-th case, which the local authority became aware of on ``aware``."""
        row, iid, name, themes = self._incident(k, aware)
        decided = self._rapid_review(row, iid, aware)
        if decided is not None:
            self._review(row, iid, name, themes, *decided)

    def _incident(self, k: int, aware: dt.date) -> tuple[dict[str, Any], int, str, list[int]]:
        """The incident's row (on a working day, not after the as-of date) and its themes."""
        aware = self.cal.add(aware, 1) if not self.cal.is_working_day(aware) else aware
        if aware > self.as_of:
            aware = self.as_of
        fy = financial_year_start(aware)
        seq = self.incident_seq[fy] = self.incident_seq.get(fy, 0) + 1
        iid = self.next_inc + k
        name = f"Child {letters(seq)}"
        themes = self.rng.sample(self.theme_ids, k=self.rng.choice((1, 1, 2))) if self.theme_ids else []
        row: dict[str, Any] = {
            "id": iid, "local_ref": f"{self.iprefix}{financial_year_label(fy)}/{seq:03d}", "financial_year": fy,
            "sequence": seq, "pseudonym": name, "harm": "died" if self.rng.random() < 0.6 else "seriously harmed",
            "categories": sorted(self.rng.sample(list(CATEGORIES), k=self.rng.choice((1, 1, 2)))),
            "incident_date": aware - dt.timedelta(days=self.rng.randint(0, 6)),
            "became_aware": aware, "notified_date": None, "panel_reference": "",
            "local_authority": self.local_authority, "lead_officer": self.rng.choice(_OFFICERS),
            "stage": Stage.NOTIFICATION, "closed_date": None, "closed_reason": "", "notes": "Fictional demo case.",
            "created_at": self.created, "version": 1,
        }
        self.rng.choices(CHILD_AGE_BANDS, weights=(45, 20, 10, 15, 10))  # the draws the child's details once took,
        self.rng.choice(("female", "male")), self.rng.choice(ETHNICITIES)  # so the cases a seed gives stay
        self.rapid.incident(row, k)
        self.inc_rows.append(row)
        self.inc_themes += [{"incident_id": iid, "theme_id": t} for t in themes]
        return row, iid, name, themes

    def _rapid_review(self, row: dict[str, Any], iid: int, aware: dt.date) -> tuple[dt.date, str] | None:
        """The notification, the Rapid Review and the decision, as far as the as-of date reaches; the meeting
        date and the decision when it is to review, else None (no review, or not that far yet)."""
        # Notification: usually within 5 working days, sometimes late.
        notified = self.cal.add(aware, self.rng.randint(1, 5) if self.rng.random() < 0.85 else self.rng.randint(6, 9))
        if notified > self.as_of:
            return None
        row.update(notified_date=notified, panel_reference=f"NCSPRP-{aware.year}-{iid:06d}", stage=Stage.RAPID_REVIEW)
        # Rapid Review: usually within 15 working days of the notification.
        rr_days = self.rng.randint(8, 15) if self.rng.random() < 0.8 else self.rng.randint(16, 24)
        sent = self.cal.add(notified, rr_days)
        meeting = self.cal.add(notified, rr_days - 2)
        if not row["rapid_review_required"]:  # a death the Panel does not review (notification.py): notified
            self._no_rapid_review(row, sent)
            return None
        if sent > self.as_of:  # still gathering the agencies' returns and the partners' agreement
            rr: dict[str, Any] = {"id": self.next_rr + len(self.rr_rows), "incident_id": iid, "version": 1,
                  "meeting_date": meeting if meeting <= self.as_of else None, "sent_date": None, "decision": "",
                  "decision_date": None, "decision_reasons": "", "immediate_learning": "", "panel_response_date": None,
                  "panel_view": ""}
            self.rapid.workflow(rr, row["local_ref"], notified, None, rr["meeting_date"])
            self.rr_rows.append(rr)
            return None
        decision = self.rng.choices((Decision.NO_REVIEW, Decision.LCSPR, Decision.OTHER_REVIEW), weights=(78, 14, 8))[0]
        responded = self.cal.add(sent, self.rng.randint(10, 30))
        rr_id = self.next_rr + len(self.rr_rows)
        self.rr_rows.append({
            "id": rr_id, "incident_id": iid, "meeting_date": meeting, "sent_date": sent, "decision": decision,
            "decision_date": meeting,
            "immediate_learning": f"Fictional learning from {row['local_ref']} shared with the agencies involved.",
            "decision_reasons": (f"Learning from {row['local_ref']} can be taken forward through single-agency work."
                                 if decision == Decision.NO_REVIEW else ""),
            "panel_response_date": responded if responded <= self.as_of else None,
            "panel_view": "", "version": 1,
        })
        self.rng.sample(self.agency_ids, k=min(len(self.agency_ids), self.rng.randint(3, 6)))  # as the draws were
        self.rapid.workflow(self.rr_rows[-1], row["local_ref"], notified, sent, meeting)
        if decision == Decision.NO_REVIEW:
            row["stage"] = Stage.NO_REVIEW
            if responded + dt.timedelta(days=365) <= self.as_of or (
                    responded + dt.timedelta(days=60) <= self.as_of and self.rng.random() < 0.8):
                row.update(stage=Stage.CLOSED, closed_date=responded, closed_reason="No local review; Panel agreed.")
            return None
        return meeting, decision

    def _no_rapid_review(self, row: dict[str, Any], closed: dt.date) -> None:
        """A notified death that needs no Rapid Review: it waits for nothing, and is closed once its notification
        is well past, in words that say why."""
        row["stage"] = Stage.NO_REVIEW
        if closed <= self.as_of:
            leaver = row["notification_reason"] == NotificationReason.CARE_LEAVER_DEATH
            why = ("a care leaver of 18 or over is not a child" if leaver and row["abuse_suspected"]
                   else "no abuse or neglect was known or suspected")
            row.update(stage=Stage.CLOSED, closed_date=closed, closed_reason=(
                f"{row['pseudonym']}'s death as a {'care leaver' if leaver else 'looked-after child'} was "
                f"notified; {why}, so no Rapid Review was needed."))

    def _review(self, row: dict[str, Any], iid: int, name: str, themes: list[int], meeting: dt.date,
                decision: str) -> None:
        """The review commissioned at the Rapid Review meeting: final report, publication, archive, closure."""
        row["stage"] = Stage.REVIEW
        rid = self.next_rev + len(self.rev_rows)
        dfy = financial_year_start(meeting)
        rseq = self.review_seq[dfy] = self.review_seq.get(dfy, 0) + 1
        kind = ReviewKind.LCSPR if decision == Decision.LCSPR else self.rng.choice(
            (ReviewKind.OTHER, ReviewKind.DHR, ReviewKind.THEMATIC))
        planned = add_months(meeting, 6) + dt.timedelta(days=self.rng.randint(-20, 60))
        rev: dict[str, Any] = {
            "id": rid, "kind": kind, "case_reference": f"{self.prefix}{financial_year_label(dfy)}/{rseq:02d}",
            "title": f"{name}: fictional demo review", "summary": "A fictional review for demonstration.",
            "decision_date": meeting, "reviewer": self.rng.choice(_REVIEWERS), "planned_publication_date": planned,
            "final_report_date": None, "advance_copy_date": None, "publication_date": None,
            "status": ReviewStatus.COMMISSIONED, "unpublished_reason": "", "website_removed_date": None,
            "national_repository_url": "", "notes": "", "created_at": self.created, "version": 1,
        }
        self.rev_rows.append(rev)
        self.links.append({"review_id": rid, "incident_id": iid})
        self.rev_themes += [{"review_id": rid, "theme_id": t} for t in themes]
        # Most final reports come in time to publish within the six-month target; some slip well past it.
        final = self.cal.add(add_months(meeting, _FINAL_MONTHS[self.rng.randint(4, 9) - 4]), 1)
        if final <= self.as_of:
            rev.update(final_report_date=final, status=ReviewStatus.FINAL_REPORT)
        published = max(self.cal.add(add_months(meeting, _PUBLISHED_MONTHS[self.rng.randint(5, 14) - 5]), -5),
                        self.cal.add(final, 10))
        if published > self.as_of:
            if planned < self.as_of:  # the plan slipped: the unit re-plans to the date it will really publish
                rev["planned_publication_date"] = published
            return
        advance = self.cal.add(published, -self.rng.randint(7, 12) if self.rng.random() < 0.85 else -self.rng.randint(2, 6))
        rev.update(publication_date=published, planned_publication_date=published,
                   advance_copy_date=max(advance, final), status=ReviewStatus.PUBLISHED)
        row["stage"] = Stage.PUBLISHED
        archive_on = add_months(published, 36)
        if archive_on + dt.timedelta(days=20) <= self.as_of or (archive_on <= self.as_of and self.rng.random() < 0.5):
            rev["website_removed_date"] = archive_on + dt.timedelta(days=self.rng.randint(0, 10) if self.rng.random() < 0.8
                                                                    else self.rng.randint(11, 20))
        if published + dt.timedelta(days=365) <= self.as_of or (
                published + dt.timedelta(days=60) <= self.as_of and self.rng.random() < 0.5):
            row.update(stage=Stage.CLOSED, closed_date=published + dt.timedelta(days=60),
                       closed_reason="Review published; learning monitored through actions.")
