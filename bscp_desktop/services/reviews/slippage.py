"""Slippage explained: for each LCSPR, the publication target (moved on by the days it was held), the actual or
planned publication, the days late and why (the holds with their kinds and days, or the reason typed when the
target was missed); and the share published on time with the commonest reasons for delay."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from bscp_desktop.domain.vocab import PUBLICATION_TARGET_KINDS, PublicationHoldKind, ReviewStatus
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.partnership.clocks import PublicationHoldSummary

NO_REASON = "no reason recorded"


@dataclass(frozen=True)
class SlippageRow:
    """One LCSPR against its publication target. ``when`` is the publication, else the planned date, else (the
    target passed, nothing planned) the as-of date; ``days_late`` is calendar days after the target (0: on
    time); ``reasons`` the holds and the typed reason, each in words."""

    review_id: int
    reference: str
    title: str
    decided: dt.date
    target: dt.date
    when: dt.date | None
    published: bool
    days_late: int
    reasons: tuple[str, ...]
    causes: tuple[str, ...] = ()  # what the summary counts: each hold's kind, "Other reason recorded" or none

    @property
    def late(self) -> bool:
        """True when publication is (or will be, as planned) after the target."""
        return self.days_late > 0

    @property
    def reason(self) -> str:
        """Why it is late, in words ("" when it is not)."""
        return "; ".join(self.reasons) if self.late else ""


@dataclass(frozen=True)
class SlippageSummary:
    """LCSPRs published in a period: how many, how many on time, and the commonest reasons for delay."""

    published: int
    on_time: int
    reasons: tuple[tuple[str, int], ...]

    @property
    def share_on_time(self) -> float | None:
        """The share published on time (None when none was published)."""
        return self.on_time / self.published if self.published else None


class SlippageManager(Manager):
    """LCSPR publication against the target."""

    def row(self, review_id: int, as_of: dt.date | None = None) -> SlippageRow | None:
        """One LCSPR against its target (None for a review the target does not apply to)."""
        found = self.rows(as_of, review_id)
        return found[0] if found else None

    def rows(self, as_of: dt.date | None = None, review_id: int | None = None) -> list[SlippageRow]:
        """Every LCSPR with a decision date that is to be published or was, the latest decided first (only
        ``review_id``'s when given)."""
        from bscp_desktop.models import PublicationHold, Review

        as_of = as_of or self.today()
        eng = self.svc.clocks.engine(as_of)
        q = (select(Review.id, Review.case_reference, Review.title, Review.decision_date, Review.publication_date,
                    Review.planned_publication_date, Review.held_days, Review.held_since, Review.held_kinds,
                    Review.delay_reason)
             .where(Review.kind.in_(PUBLICATION_TARGET_KINDS), Review.decision_date.is_not(None),
                    Review.status.not_in((ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED)))
             .order_by(Review.decision_date.desc(), Review.id))
        holds_q = (select(PublicationHold.review_id, PublicationHold.kind, PublicationHold.started,
                          PublicationHold.lifted).order_by(PublicationHold.started))
        if review_id is not None:
            q = q.where(Review.id == review_id)
            holds_q = holds_q.where(PublicationHold.review_id == review_id)
        with self.db.read() as s:
            reviews = s.execute(q).all()
            holds: dict[int, list[tuple[str, str]]] = {}
            for rid, kind, started, lifted in s.execute(holds_q):
                label = PublicationHoldKind.of(kind).label
                state = f"{(lifted - started).days} days held" if lifted else f"held since {started:%d/%m/%Y}"
                holds.setdefault(rid, []).append((label, f"{label} ({state})"))
        out = []
        for r in reviews:
            assert r.decision_date is not None  # the WHERE clause says so
            clock = eng.publication_clock(r.id, r.case_reference or "", "", r.decision_date, r.publication_date,
                                          PublicationHoldSummary(r.held_days or 0, r.held_since, r.held_kinds or ""))
            when = r.publication_date or r.planned_publication_date or (as_of if clock.due < as_of else None)
            late = max(0, (when - clock.due).days) if when is not None else 0
            typed = r.delay_reason.strip()
            held = holds.get(r.id, [])
            reasons = tuple(text for _k, text in held) + ((typed,) if typed else ())
            causes = tuple(dict.fromkeys(k for k, _t in held)) + (("Other reason recorded",) if typed else ())
            out.append(SlippageRow(r.id, r.case_reference or "", r.title, r.decision_date, clock.due, when,
                                   r.publication_date is not None, late, reasons or (NO_REASON,),
                                   causes or (NO_REASON,)))
        return out

    def summary(self, start: dt.date, end: dt.date, as_of: dt.date | None = None) -> SlippageSummary:
        """LCSPRs published from ``start`` to ``end``: on time, and the commonest reasons for delay (holds by
        kind, then "other reasons" typed)."""
        rows = [r for r in self.rows(as_of) if r.published and r.when is not None and start <= r.when <= end]
        causes: Counter[str] = Counter(c for r in rows if r.late for c in r.causes)
        return SlippageSummary(len(rows), sum(1 for r in rows if not r.late), tuple(causes.most_common()))
