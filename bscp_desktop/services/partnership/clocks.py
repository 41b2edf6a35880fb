"""Every statutory clock of every case, as of a date: the timeline of one case, and the open clocks of the
whole register (dashboard, deadlines report, benchmarks).

Bulk work reads plain columns in two queries and computes on date ordinals with the calendar's bisect, so all
clocks of 100 000 incidents take a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import func, select

from bscp_desktop.domain.clock_words import clock_state
from bscp_desktop.domain.rules import RULES, Rag, Unit, add_months, amber_window_end
from bscp_desktop.domain.vocab import FINISHED_REQUESTS, PUBLICATION_TARGET_KINDS, ReviewStatus, Stage
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.schema import (
    agencies,
    agency_returns,
    archive_requests,
    incidents,
    rapid_reviews,
    review_incidents,
    reviews,
)
from bscp_desktop.services.core.base import Manager
from bscp_desktop.services.core.errors import NotFound
from bscp_desktop.services.partnership.settings import PartnershipSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import Incident, Review

_RAG_ORDER = {Rag.OVERDUE: 0, Rag.DUE: 1, Rag.ON_TRACK: 2, Rag.ON_HOLD: 3, Rag.MET_LATE: 4, Rag.MET: 5}


class ClockView(NamedTuple):
    """One clock of one case as of a date. ``days`` is working days left (positive) or over (negative); for
    a met clock, working days between the due date and when it was met (negative: early). A named tuple:
    the register computes hundreds of thousands of them."""

    case_kind: str  # "incident", "review" or "request"
    case_id: int
    reference: str
    pseudonym: str
    rule_id: str
    start: dt.date
    due: dt.date
    met_on: dt.date | None
    rag: Rag
    days: int
    note: str = ""  # on hold: of what kind and since when ("Criminal proceedings since 02/03/2026"); an agency
    # return: the agency (its short name, "WMP", when it has one)

    @property
    def state(self) -> str:
        """How the clock stands, in the words every surface uses (``domain.clock_words``)."""
        return clock_state(self.rag, self.days, self.note if self.rag is Rag.ON_HOLD else "")

    @property
    def label(self) -> str:
        """The clock's short name as lists show it: "Rapid Review", "Agency return (WMP)"."""
        short = RULES[self.rule_id].short_label
        return f"{short} ({self.note})" if self.rule_id == "agency-return" and self.note else short

    @property
    def key(self) -> str:
        """What identifies the clock from one day to the next: the case and the rule, and for an agency's return
        the agency ("incident-12-agency-return-west-midlands-police")."""
        base = f"{self.case_kind}-{self.case_id}-{self.rule_id}"
        if self.rule_id != "agency-return":
            return base
        return f"{base}-{'-'.join(''.join(ch if ch.isalnum() else ' ' for ch in self.note.lower()).split())}"


class ReturnDates(NamedTuple):
    """One agency's return to an incident's Rapid Review, as its clock needs it."""

    agency: str
    asked_on: dt.date
    answered_on: dt.date | None


class PublicationHoldSummary(NamedTuple):
    """What a review's publication holds add up to, as ``Review`` keeps it: calendar days held by lifted holds,
    and while one is in force since when and the kinds (labels) in force."""

    days: int = 0
    since: dt.date | None = None
    kinds: str = ""


NO_HOLD = PublicationHoldSummary()


class ClockEngine:
    """Computes clocks for a calendar and settings as of a date; cheap to build, pure, thread-safe."""

    def __init__(self, cal: WorkingCalendar, settings: PartnershipSettings, as_of: dt.date) -> None:
        self.cal = cal
        self.as_of = as_of
        self.amounts = dict(settings.rule_amounts)
        self.amber_end = amber_window_end(as_of, cal, settings.amber_days)
        self._as_of_o = as_of.toordinal()
        self._amber_o = self.amber_end.toordinal()
        self._ords = cal.working_ordinals
        self._cache: dict[tuple[str, dt.date], tuple[int, dt.date, Rag, int]] = {}
        # Per rule: (working days, signed) or (None, signed months).
        self._steps: dict[str, tuple[int | None, int]] = {}
        for rid, rule in RULES.items():
            n = self.amounts.get(rid, rule.default)
            sign = -1 if rule.before else 1
            if rule.unit is Unit.WORKING_DAYS:
                self._steps[rid] = (sign * n, 0)
            else:
                self._steps[rid] = (None, sign * (n if rule.unit is Unit.MONTHS else 12 * n))

    def due(self, rule_id: str, start: dt.date) -> dt.date:
        """Due date of ``rule_id`` for a clock started on ``start``."""
        wd, months = self._steps[rule_id]
        if wd is None:
            return add_months(start, months)
        return dt.date.fromordinal(self.cal.add_ordinal(start.toordinal(), wd))

    def clock(self, kind: str, case_id: int, ref: str, name: str, rule_id: str, start: dt.date,
              met: dt.date | None) -> ClockView:
        """One clock, with its RAG and working days left or over."""
        hit = self._cache.get((rule_id, start))
        if hit is None:
            hit = self._cache[(rule_id, start)] = self._due_info(rule_id, start)
        due_o, due, rag, days = hit
        if met is not None:
            met_o = met.toordinal()
            rag = Rag.MET if met_o <= due_o else Rag.MET_LATE
            days = bisect_right(self._ords, met_o) - bisect_right(self._ords, due_o)
        return ClockView(kind, case_id, ref, name, rule_id, start, due, met, rag, days)

    def _due_info(self, rule_id: str, start: dt.date) -> tuple[int, dt.date, Rag, int]:
        """Due ordinal and date, and the RAG and working days left of the clock if still open. Many cases
        share a start date, so ``clock`` memoises this per (rule, start)."""
        due = self.due(rule_id, start)
        due_o = due.toordinal()
        rag = Rag.OVERDUE if due_o < self._as_of_o else Rag.DUE if due_o <= self._amber_o else Rag.ON_TRACK
        return due_o, due, rag, bisect_right(self._ords, due_o) - bisect_right(self._ords, self._as_of_o)

    def publication_clock(self, case_id: int, ref: str, name: str, decision: dt.date, published: dt.date | None,
                          hold: PublicationHoldSummary) -> ClockView:
        """The LCSPR publication target, moved on by the calendar days the review was held; "On hold" while a
        hold is in force (``publication_holds`` has the counting convention)."""
        if not hold.days and hold.since is None:
            return self.clock("review", case_id, ref, name, "lcspr-publication", decision, published)
        base = self.due("lcspr-publication", decision)
        end = published or self.as_of
        running = (end - hold.since).days if hold.since is not None and hold.since <= end else 0
        due = base + dt.timedelta(days=hold.days + max(running, 0))
        if published is None and hold.since is not None and hold.since <= self.as_of:
            note = f"{hold.kinds or 'On hold'} since {hold.since:%d/%m/%Y}"
            return ClockView("review", case_id, ref, name, "lcspr-publication", decision, due, None, Rag.ON_HOLD, 0,
                             note)
        c = self._moved(rule_id="lcspr-publication", start=decision, due=due, met=published)
        return ClockView("review", case_id, ref, name, c[0], decision, due, published, c[1], c[2])

    def _moved(self, rule_id: str, start: dt.date, due: dt.date, met: dt.date | None) -> tuple[str, Rag, int]:
        """RAG and working days of a clock whose due date was moved (not memoised: it is the case's own)."""
        due_o = due.toordinal()
        if met is not None:
            met_o = met.toordinal()
            return (rule_id, Rag.MET if met_o <= due_o else Rag.MET_LATE,
                    bisect_right(self._ords, met_o) - bisect_right(self._ords, due_o))
        rag = Rag.OVERDUE if due_o < self._as_of_o else Rag.DUE if due_o <= self._amber_o else Rag.ON_TRACK
        return rule_id, rag, bisect_right(self._ords, due_o) - bisect_right(self._ords, self._as_of_o)

    def incident_clocks(self, case_id: int, ref: str, name: str, became_aware: dt.date,
                        notified: dt.date | None, rr_sent: dt.date | None, rr_required: bool = True,
                        returns: Sequence[ReturnDates] = ()) -> list[ClockView]:
        """The notification clock of an incident; its Rapid Review clock when the notification reason needs one
        (``notification.needs_rapid_review``); and, until the Rapid Review is sent, a clock for each agency's
        return (noted with the agency's name)."""
        out = [self.clock("incident", case_id, ref, name, "notification", became_aware, notified)]
        if notified is not None and rr_required:
            out.append(self.clock("incident", case_id, ref, name, "rapid-review", notified, rr_sent))
        if rr_sent is None:
            for r in returns:
                out.append(self.clock("incident", case_id, ref, name, "agency-return", r.asked_on,
                                      r.answered_on)._replace(note=r.agency))
        return out

    def review_clocks(self, case_id: int, ref: str, name: str, kind: str, decision: dt.date | None,
                      planned: dt.date | None, advance: dt.date | None, published: dt.date | None,
                      removed: dt.date | None, hold: PublicationHoldSummary = NO_HOLD) -> list[ClockView]:
        """The publication-target, advance-copy and archive clocks of a review; ``hold``: what its publication
        holds add up to (the target moves on by the days held; while held the target clock is on hold)."""
        out: list[ClockView] = []
        if decision is not None and kind in PUBLICATION_TARGET_KINDS:
            out.append(self.publication_clock(case_id, ref, name, decision, published, hold))
        if planned is not None or (published is not None and advance is not None):
            start = planned or published
            assert start is not None
            out.append(self.clock("review", case_id, ref, name, "advance-copy", start, advance))
        if published is not None:
            out.append(self.clock("review", case_id, ref, name, "archive", published, removed))
        return out


class ClockManager(Manager):
    """Clocks as of a date (today unless given)."""

    def recompute_all_in(self, s: Session, calendar: WorkingCalendar, settings: PartnershipSettings) -> None:
        """Every case's earliest open clock under ``calendar`` and ``settings`` as transaction ``s`` leaves them
        (a change of the rules or the closure days, in the same transaction)."""
        self.svc.due_keeper.recompute_all(s, ClockEngine(calendar, settings, self.today()))

    def engine(self, as_of: dt.date | None = None) -> ClockEngine:
        """A clock engine with the calendar and rule amounts in force."""
        return ClockEngine(self.svc.calendar(), self.svc.cached_settings(), as_of or self.today())

    def for_incident(self, incident_id: int, as_of: dt.date | None = None) -> list[ClockView]:
        """Every clock of an incident and of the reviews covering it, met or not, in lifecycle order."""
        from bscp_desktop.models import Incident, Review

        eng = self.engine(as_of)
        with self.db.read() as s:
            inc = s.get(Incident, incident_id)
            if inc is None:
                raise NotFound("incident", incident_id)
            rr = inc.rapid_review
            out = eng.incident_clocks(inc.id, inc.local_ref, inc.pseudonym, inc.became_aware, inc.notified_date,
                                      rr.sent_date if rr else None, inc.rapid_review_required, returns_of(inc))
            for r in s.scalars(select(Review).where(Review.incidents.any(Incident.id == inc.id))):
                if r.status in (ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED):
                    continue
                out += eng.review_clocks(r.id, r.case_reference or "", inc.pseudonym, r.kind, r.decision_date,
                                         r.planned_publication_date, r.advance_copy_date, r.publication_date,
                                         r.website_removed_date, hold_of(r))
        return out

    def for_review(self, review_id: int, as_of: dt.date | None = None) -> list[ClockView]:
        """Every clock of a review."""
        from bscp_desktop.models import Review

        eng = self.engine(as_of)
        with self.db.read() as s:
            r = s.get(Review, review_id)
            if r is None:
                raise NotFound("review", review_id)
            names = ", ".join(i.pseudonym for i in r.incidents)
            return eng.review_clocks(r.id, r.case_reference or "", names, r.kind, r.decision_date,
                                     r.planned_publication_date, r.advance_copy_date, r.publication_date,
                                     r.website_removed_date, hold_of(r))

    def all_clocks(self, as_of: dt.date | None = None, open_only: bool = True) -> list[ClockView]:
        """The clocks of every case that is not closed (only those not yet met, by default), overdue first."""
        return self._clocks(self.engine(as_of), open_only, None)

    def urgent(self, as_of: dt.date | None = None) -> list[ClockView]:
        """Open clocks that are overdue or due within the amber window, overdue first: the dashboard's list.
        Only cases whose earliest open clock falls due by the window's end are read (an indexed query)."""
        eng = self.engine(as_of)
        clocks = self._clocks(eng, True, eng.amber_end)
        return [c for c in clocks if c.rag in (Rag.OVERDUE, Rag.DUE)]

    def _clocks(self, eng: ClockEngine, open_only: bool, due_by: dt.date | None) -> list[ClockView]:
        inc, rr, ret, agency, rev, req = incidents.c, rapid_reviews.c, agency_returns.c, agencies.c, reviews.c, \
            archive_requests.c  # plain columns (``bscp_desktop.schema``): reading them loads no ORM
        inc_q = (select(inc.id, inc.local_ref, inc.pseudonym, inc.became_aware, inc.notified_date, rr.sent_date,
                        inc.rapid_review_required)
                 .select_from(incidents).outerjoin(rapid_reviews, rr.incident_id == inc.id)
                 .where(inc.stage != Stage.CLOSED))
        short = func.coalesce(func.nullif(agency.short_name, ""), agency.name)  # "WMP": tight columns show it
        ret_q = (select(rr.incident_id, short, ret.asked_on, ret.answered_on)
                 .select_from(agency_returns)
                 .join(rapid_reviews, rr.id == ret.rapid_review_id)
                 .join(agencies, agency.id == ret.agency_id)
                 .join(incidents, inc.id == rr.incident_id)
                 .where(inc.stage != Stage.CLOSED, rr.sent_date.is_(None))
                 .order_by(ret.id))
        rev_q = (select(rev.id, rev.case_reference, rev.kind, rev.decision_date, rev.planned_publication_date,
                        rev.advance_copy_date, rev.publication_date, rev.website_removed_date, rev.held_days,
                        rev.held_since, rev.held_kinds)
                 .where(rev.status.not_in((ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED))))
        names_q = (select(review_incidents.c.review_id, inc.pseudonym)
                   .join(incidents, inc.id == review_incidents.c.incident_id))
        if open_only:  # cases with no open clock have no next due date (DueKeeper): skip them in SQL
            inc_q = inc_q.where(inc.next_due.is_not(None))
            ret_q = ret_q.where(ret.answered_on.is_(None))
            rev_q = rev_q.where(rev.next_due.is_not(None))
        if due_by is not None:
            inc_q = inc_q.where(inc.next_due <= due_by)
            ret_q = ret_q.where(inc.next_due <= due_by)
            rev_q = rev_q.where(rev.next_due <= due_by)
            names_q = names_q.join(reviews, rev.id == review_incidents.c.review_id).where(rev.next_due <= due_by)
        with self.db.reading() as conn:
            inc_rows = conn.execute(inc_q).all()
            returns: dict[int, list[ReturnDates]] = defaultdict(list)
            for iid, agency_name, asked, answered in conn.execute(ret_q).all():
                returns[iid].append(ReturnDates(agency_name, asked, answered))
            rev_rows = conn.execute(rev_q).all()
            names: dict[int, list[str]] = defaultdict(list)
            for rid, name in conn.execute(names_q).all():
                names[rid].append(name)
            req_rows = conn.execute(
                select(req.id, req.reference, req.received_date, req.responded_date, req.status)).all()
        clocks = compute_all(eng, inc_rows, rev_rows, names, open_only, sort=False, returns=returns)
        for rid, ref, received, responded, status in req_rows:
            met = responded if status in FINISHED_REQUESTS else None
            if open_only and (met is not None or status in FINISHED_REQUESTS):
                continue
            c = eng.clock("request", rid, ref, "", "archive-request", received, met)  # requesters' names stay off lists
            if due_by is None or c.due <= due_by:
                clocks.append(c)
        return sort_clocks(clocks)


def returns_of(inc: Incident) -> list[ReturnDates]:
    """The agency returns of ``inc``'s Rapid Review, as their clocks need them."""
    rr = inc.rapid_review
    return [ReturnDates(r.agency.short_name or r.agency.name, r.asked_on, r.answered_on)
            for r in rr.returns] if rr is not None else []


def hold_of(review: Review) -> PublicationHoldSummary:
    """What ``review``'s publication holds add up to, as the review keeps it."""
    return PublicationHoldSummary(review.held_days or 0, review.held_since, review.held_kinds or "")


def compute_all(eng: ClockEngine, inc_rows: Sequence[Any], rev_rows: Sequence[Any], names: dict[int, list[str]],
                open_only: bool = True, sort: bool = True,
                returns: dict[int, list[ReturnDates]] | None = None) -> list[ClockView]:
    """All clocks of the given incident and review rows (as ``ClockManager.all_clocks`` selects them) and of
    the incidents' agency returns (by incident id), sorted by ``sort_clocks`` unless ``sort`` is False."""
    out: list[ClockView] = []
    append, clock = out.append, eng.clock
    returns = returns or {}
    for iid, ref, name, aware, notified, sent, required in inc_rows:
        append(clock("incident", iid, ref, name, "notification", aware, notified))
        if notified is not None and required:
            append(clock("incident", iid, ref, name, "rapid-review", notified, sent))
        if returns and sent is None and iid in returns:
            for r in returns[iid]:
                append(clock("incident", iid, ref, name, "agency-return", r.asked_on, r.answered_on)
                       ._replace(note=r.agency))
    for rid, ref, kind, decision, planned, advance, published, removed, *held in rev_rows:
        n = names.get(rid, ())
        label = n[0] if len(n) == 1 else f"{n[0]} and {len(n) - 1} more" if n else ""
        hold = PublicationHoldSummary(*held) if held else NO_HOLD  # rows without the hold columns: nothing held
        out += eng.review_clocks(rid, ref or "", label, kind, decision, planned, advance, published, removed, hold)
    if open_only:
        out = [c for c in out if c.met_on is None]
    return sort_clocks(out) if sort else out


def sort_clocks(clocks: list[ClockView]) -> list[ClockView]:
    """Overdue first, then due, on track, met late, met; each by due date, then reference (in place)."""
    order = _RAG_ORDER
    clocks.sort(key=lambda c: (order[c.rag], c.due, c.reference))
    return clocks


def earliest_open(clocks: list[ClockView]) -> tuple[str, dt.date | None]:
    """The rule and due date of the earliest clock not yet met, or ("", None)."""
    open_ = [c for c in clocks if c.met_on is None]
    if not open_:
        return "", None
    first = min(open_, key=lambda c: c.due)
    return first.rule_id, first.due
