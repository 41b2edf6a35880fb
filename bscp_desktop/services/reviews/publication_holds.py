"""Holds on a review's publication while parallel proceedings run (a criminal trial, an inquest, family
proceedings). While one is in force the LCSPR publication clock is "On hold", never overdue; when it is lifted
the target moves on by the calendar days held (``bscp_desktop.domain.hold_days`` has the counting convention).
Each change recomputes what the review's holds add up to on the review itself, in the same transaction, so the
clocks, registers and reports read it without another query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from bscp_desktop.domain.hold_days import HoldSpan, hold_state
from bscp_desktop.domain.vocab import PUBLICATION_TARGET_KINDS, PublicationHoldKind, ReviewStatus, Role
from bscp_desktop.schema import publication_holds, reviews
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, NotFound
from bscp_desktop.services.core.permissions import requires

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import PublicationHold, Review


@dataclass(frozen=True)
class PublicationHoldInput:
    """What the hold dialog collects."""

    kind: PublicationHoldKind
    started: dt.date | None
    expected_end: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class PublicationHoldView:
    """One hold on a review's publication."""

    id: int
    version: int
    review_id: int
    review_reference: str
    kind: PublicationHoldKind
    started: dt.date
    expected_end: dt.date | None
    reason: str
    lifted: dt.date | None
    recorded_by: str

    @property
    def active(self) -> bool:
        """True while the hold is in force."""
        return self.lifted is None

    @property
    def days(self) -> int | None:
        """Calendar days held, for a lifted hold."""
        return (self.lifted - self.started).days if self.lifted else None


def sum_up_holds(s: Session, r: Review) -> None:
    """Keep on the review what its holds add up to (the clocks read it), in transaction ``s``."""
    from bscp_desktop.models import PublicationHold

    s.flush()
    holds = s.scalars(select(PublicationHold).where(PublicationHold.review_id == r.id)).all()
    state = hold_state(HoldSpan(h.started, h.lifted, PublicationHoldKind.of(h.kind).label) for h in holds)
    r.held_days, r.held_since, r.held_kinds = state.days_held, state.since, ", ".join(state.kinds)  # at most the four kinds' labels


class PublicationHoldManager(Manager):
    """Holds on reviews' publication."""

    def for_review(self, review_id: int) -> list[PublicationHoldView]:
        """A review's holds, the earliest first."""
        from bscp_desktop.models import PublicationHold

        with self.db.read() as s:
            return [self._view(s, h) for h in s.scalars(
                select(PublicationHold).where(PublicationHold.review_id == review_id)
                .order_by(PublicationHold.started, PublicationHold.id))]

    def past_expected_end(self, as_of: dt.date | None = None) -> list[PublicationHoldView]:
        """Holds still in force whose expected end has passed (check the hold is still needed), the longest
        overdue first. Read as plain columns: the dashboard asks before its first paint."""
        as_of = as_of or self.today()
        h, r = publication_holds.c, reviews.c
        with self.db.reading() as conn:
            rows = conn.execute(
                select(h.id, h.version, h.review_id, r.case_reference, h.kind, h.started, h.expected_end, h.reason,
                       h.lifted, h.recorded_by)
                .join(reviews, r.id == h.review_id).where(h.lifted.is_(None), h.expected_end < as_of)
                .order_by(h.expected_end, h.id)).all()
        return [PublicationHoldView(i, version, rid, ref or "", PublicationHoldKind.of(kind), started, end, reason,
                                    lifted, by) for i, version, rid, ref, kind, started, end, reason, lifted, by in rows]

    @requires(Role.EDITOR, "place a hold on a review's publication")
    def add(self, review_id: int, version: int, data: PublicationHoldInput) -> Op[PublicationHoldView]:
        """Hold a review's publication from ``data.started``; ``version`` is the review's as loaded."""
        from bscp_desktop.models import Review

        with self.db.write() as s:
            r = self.load(s, Review, "review", review_id, version)
            view = self._view(s, self.place_in(s, r, data))
        return Op(view, Changes().add("review", review_id))

    def place_in(self, s: Session, r: Review, data: PublicationHoldInput) -> PublicationHold:
        """Check and place a hold on ``r`` in transaction ``s``, with its audit entry (the caller has checked
        the user may: ``add``, or commissioning a review while a proceeding runs)."""
        from bscp_desktop.models import PublicationHold

        self._check_new(r, data)
        hold = PublicationHold(review_id=r.id, kind=PublicationHoldKind.of(data.kind), started=data.started,
                               expected_end=data.expected_end, reason=data.reason.strip(), recorded_by=self.svc.user)
        s.add(hold)
        s.flush()
        sum_up_holds(s, r)
        kind = PublicationHoldKind.of(data.kind).label
        self.audit(s, "place publication hold", "review", r.id,
                   f"{r.case_reference}: {kind} from {hold.started:%d/%m/%Y}", None,
                   {"kind": str(hold.kind), "started": hold.started.isoformat(),
                    "expected_end": hold.expected_end.isoformat() if hold.expected_end else None})
        return hold

    @requires(Role.EDITOR, "lift a hold on a review's publication")
    def lift(self, hold_id: int, version: int, lifted: dt.date | None) -> Op[PublicationHoldView]:
        """Lift a hold on ``lifted``: the target moves on by the days it held the review."""
        from bscp_desktop.models import PublicationHold, Review

        with self.db.write() as s:
            hold = self.load(s, PublicationHold, "publication hold", hold_id, version)
            c = Checker()
            if c.require(lifted is not None, "Lifted on", "is required"):
                assert lifted is not None
                c.require(lifted >= hold.started, "Lifted on",
                          f"cannot be before the hold started ({hold.started:%d/%m/%Y})")
                self.not_future(c, "Lifted on", lifted)
            c.require(hold.lifted is None, "Hold", "was lifted already")
            c.raise_if_any()
            hold.lifted = lifted
            review = s.get(Review, hold.review_id)
            assert review is not None
            s.flush()
            sum_up_holds(s, review)
            view = self._view(s, hold)
            self.audit(s, "lift publication hold", "review", review.id,
                       f"{review.case_reference}: {view.kind.label} lifted on {lifted:%d/%m/%Y} after "
                       f"{view.days} days", {"lifted": None}, {"lifted": lifted.isoformat() if lifted else None})
        return Op(view, Changes().add("review", hold.review_id))

    # -- helpers ---------------------------------------------------------------------------------------------
    def _check_new(self, r: Review, d: PublicationHoldInput) -> None:
        c = Checker()
        c.require(d.kind in PublicationHoldKind.labels(), "Kind",
                  f"must be one of: {', '.join(PublicationHoldKind.labels().values())}")
        c.require(r.kind in PUBLICATION_TARGET_KINDS, "Review", "has no publication target to hold")
        c.require(r.status not in (ReviewStatus.PUBLISHED, ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED), "Review",
                  f"{r.case_reference} is {ReviewStatus.of(r.status).label.lower()}: there is no publication to hold")
        if c.require(d.started is not None, "Started on", "is required"):
            assert d.started is not None
            self.not_future(c, "Started on", d.started)
            if r.decision_date is not None:
                c.require(d.started >= r.decision_date, "Started on",
                          f"cannot be before the decision to undertake the review ({r.decision_date:%d/%m/%Y})")
            if d.expected_end is not None:
                c.require(d.expected_end >= d.started, "Expected end", "cannot be before the hold starts")
        c.require(d.kind != PublicationHoldKind.OTHER or bool(d.reason.strip()), "Reason",
                  "is required when the kind is “Other”")
        c.at_most(d.reason, 4000, "Reason")
        c.raise_if_any()

    @staticmethod
    def _view(s: Session, h: PublicationHold) -> PublicationHoldView:
        from bscp_desktop.models import Review

        ref = s.scalar(select(Review.case_reference).where(Review.id == h.review_id))
        if ref is None and s.get(Review, h.review_id) is None:
            raise NotFound("review", h.review_id)
        return PublicationHoldView(h.id, h.version, h.review_id, ref or "", PublicationHoldKind.of(h.kind), h.started,
                                   h.expected_end, h.reason, h.lifted, h.recorded_by)
