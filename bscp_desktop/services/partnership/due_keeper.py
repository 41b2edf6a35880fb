"""Keeps each case's earliest open clock (``next_rule``, ``next_due``) on the incident and review rows, so the
registers filter by RAG in SQL: worked out again for every case a flush touches, and for every case at once when
the rules or closure days change."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bscp_desktop.domain.vocab import ReviewStatus, Stage
from bscp_desktop.models import AgencyReturn, Incident, RapidReview, Review
from bscp_desktop.services.partnership.clocks import (
    NO_HOLD,
    ClockEngine,
    ClockManager,
    PublicationHoldSummary,
    ReturnDates,
    earliest_open,
    hold_of,
    returns_of,
)


class DueKeeper:
    """Keeps ``next_rule``/``next_due`` of incidents and reviews current.

    ``before_flush`` runs inside every write transaction for the incidents, Rapid Reviews and reviews it
    touches, so no write path can forget it; ``recompute_all`` refreshes every case after the calendar or the
    rule amounts change (and after a migration that added the columns).
    """

    def __init__(self, clocks: ClockManager) -> None:
        self.clocks = clocks

    def before_flush(self, session: Session, _ctx: object, _instances: object) -> None:
        """Session hook: recompute the earliest open clock of each touched case."""
        incidents: set[Incident] = set()
        reviews: set[Review] = set()
        for obj in session.deleted:  # a removed agency return: its incident's earliest clock may move
            if isinstance(obj, AgencyReturn) and obj.rapid_review is not None:
                incidents.add(obj.rapid_review.incident)
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Incident):
                incidents.add(obj)
            elif isinstance(obj, RapidReview) and obj.incident is not None:
                incidents.add(obj.incident)
            elif isinstance(obj, AgencyReturn) and obj.rapid_review is not None:
                incidents.add(obj.rapid_review.incident)
            elif isinstance(obj, Review):
                reviews.add(obj)
        if not incidents and not reviews:
            return
        eng = self.clocks.engine()
        with session.no_autoflush:
            for inc in incidents:
                rule, due = self.incident_next(eng, inc.stage, inc.became_aware, inc.notified_date,
                                               inc.rapid_review.sent_date if inc.rapid_review else None,
                                               inc.rapid_review_required, returns_of(inc))
                if (inc.next_rule, inc.next_due) != (rule, due):
                    inc.next_rule, inc.next_due = rule, due
            for r in reviews:
                rule, due = self.review_next(eng, r.status, r.kind, r.decision_date, r.planned_publication_date,
                                             r.advance_copy_date, r.publication_date, r.website_removed_date,
                                             hold_of(r))
                if (r.next_rule, r.next_due) != (rule, due):
                    r.next_rule, r.next_due = rule, due

    @staticmethod
    def incident_next(eng: ClockEngine, stage: str, aware: dt.date | None, notified: dt.date | None,
                      sent: dt.date | None, rr_required: bool = True,
                      returns: Sequence[ReturnDates] = ()) -> tuple[str, dt.date | None]:
        """Earliest open clock of an incident with these dates and agency returns."""
        if stage == Stage.CLOSED or aware is None:
            return "", None
        return earliest_open(eng.incident_clocks(0, "", "", aware, notified, sent, rr_required, returns))

    @staticmethod
    def review_next(eng: ClockEngine, status: str, kind: str, decision: dt.date | None, planned: dt.date | None,
                    advance: dt.date | None, published: dt.date | None, removed: dt.date | None,
                    hold: PublicationHoldSummary = NO_HOLD) -> tuple[str, dt.date | None]:
        """Earliest open clock of a review with these dates and holds."""
        if status in (ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED):
            return "", None
        return earliest_open(eng.review_clocks(0, "", "", kind, decision, planned, advance, published, removed,
                                               hold))

    def recompute_all(self, s: Session | None = None, eng: ClockEngine | None = None) -> int:
        """Recompute every case's earliest open clock, in transaction ``s`` (a change of the rules that must
        carry its new due dates with it) or in one of its own, by ``eng`` (default: the rules in force); returns
        how many rows changed."""
        if s is None:
            with self.clocks.db.write() as own:
                return self.recompute_all(own, eng)
        eng = eng or self.clocks.engine()
        changed = 0
        inc_updates = []
        returns: dict[int, list[ReturnDates]] = defaultdict(list)
        for iid, asked, answered in s.execute(
            select(RapidReview.incident_id, AgencyReturn.asked_on, AgencyReturn.answered_on)
            .join(RapidReview, RapidReview.id == AgencyReturn.rapid_review_id)
            .where(AgencyReturn.answered_on.is_(None))
        ):
            returns[iid].append(ReturnDates("", asked, answered))
        for iid, stage, aware, notified, sent, required, rule, due in s.execute(
            select(Incident.id, Incident.stage, Incident.became_aware, Incident.notified_date,
                   RapidReview.sent_date, Incident.rapid_review_required, Incident.next_rule, Incident.next_due)
            .outerjoin(RapidReview, RapidReview.incident_id == Incident.id)
        ):
            new = self.incident_next(eng, stage, aware, notified, sent, required, returns.get(iid, ()))
            if new != (rule, due):
                inc_updates.append({"b_id": iid, "next_rule": new[0], "next_due": new[1]})
        rev_updates = []
        for row in s.execute(
            select(Review.id, Review.status, Review.kind, Review.decision_date, Review.planned_publication_date,
                   Review.advance_copy_date, Review.publication_date, Review.website_removed_date,
                   Review.next_rule, Review.next_due, Review.held_days, Review.held_since, Review.held_kinds)
        ):
            new = self.review_next(eng, *row[1:8], PublicationHoldSummary(row.held_days or 0, row.held_since, row.held_kinds or ""))
            if new != (row[8], row[9]):
                rev_updates.append({"b_id": row[0], "next_rule": new[0], "next_due": new[1]})
        conn = s.connection()
        for table, updates in ((Incident.__table__, inc_updates), (Review.__table__, rev_updates)):
            if updates:
                conn.execute(
                    update(table).where(table.c.id == bindparam("b_id"))
                    .values(next_rule=bindparam("next_rule"), next_due=bindparam("next_due")),
                    updates,
                )
                changed += len(updates)
        return changed
