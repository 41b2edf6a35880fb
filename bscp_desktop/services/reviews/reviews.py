"""Reviews: commission one for one or more incidents, edit it, record the final report, the advance copy to the
Panel and the Secretary of State, publication (or a decision not to publish), and close it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from bscp_desktop.domain.case_numbers import financial_year_start, format_reference, parse_reference
from bscp_desktop.domain.rapid_review import ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import REVIEW_KINDS, REVIEW_STATUSES, ReviewStatus, Role, Stage
from bscp_desktop.models import Incident, Review
from bscp_desktop.services.core.base import Manager, diff, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires
from bscp_desktop.services.reviews.checklist import checklist
from bscp_desktop.util.text import identifier

_FIELDS = ["kind", "case_reference", "title", "summary", "decision_date", "reviewer", "planned_publication_date",
           "final_report_date", "advance_copy_date", "publication_date", "status", "unpublished_reason",
           "website_removed_date", "national_repository_url", "notes"]


@dataclass(frozen=True)
class ReviewInput:
    """What the review form edits (dates of lifecycle events are recorded by their own actions)."""

    kind: str
    title: str
    decision_date: dt.date | None
    case_reference: str = ""
    summary: str = ""
    reviewer: str = ""
    planned_publication_date: dt.date | None = None
    national_repository_url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class IncidentLink:
    """An incident a review covers."""

    id: int
    local_ref: str
    pseudonym: str


@dataclass(frozen=True)
class ReviewView:
    """A review, detached from the database."""

    id: int
    version: int
    kind: str
    case_reference: str
    title: str
    summary: str
    decision_date: dt.date | None
    reviewer: str
    planned_publication_date: dt.date | None
    final_report_date: dt.date | None
    advance_copy_date: dt.date | None
    publication_date: dt.date | None
    status: str
    unpublished_reason: str
    website_removed_date: dt.date | None
    national_repository_url: str
    notes: str
    incidents: tuple[IncidentLink, ...]

    @property
    def kind_label(self) -> str:
        """The kind as staff read it."""
        return REVIEW_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The stored status as staff read it."""
        return REVIEW_STATUSES.get(self.status, self.status)

    def available_actions(self) -> list[str]:
        """Lifecycle actions that apply now, in order."""
        if self.status in (ReviewStatus.CLOSED, ReviewStatus.UNPUBLISHED):
            return []
        if self.status == ReviewStatus.PUBLISHED:
            return ["take-down"] if self.website_removed_date is None else []
        acts = []
        if self.final_report_date is None:
            acts.append("final-report")
        if self.advance_copy_date is None:
            acts.append("advance-copy")
        acts += ["publish", "not-published"]
        return acts


class ReviewManager(Manager):
    """Reviews and their publication."""

    def get(self, review_id: int) -> ReviewView:
        """One review; ``NotFound`` if there is none."""
        with self.db.read() as s:
            return self._view(self.load(s, Review, "review", review_id))

    def by_reference(self, reference: str) -> ReviewView | None:
        """The review with this case reference (exactly as entered), or None."""
        with self.db.read() as s:
            r = s.scalar(select(Review).where(Review.case_reference == identifier(reference)))
            return self._view(r) if r else None

    @requires(Role.EDITOR, "commission a review")
    def commission(self, incident_ids: list[int], data: ReviewInput,
                   hold_for: tuple[int, ...] = ()) -> Op[ReviewView]:
        """Commission a review of one or more incidents. Without a case reference the next one in the decision's
        financial year is given (``BSCP2025-26/03``). ``hold_for``: parallel proceedings of those incidents, still
        running, whose publication holds start with the review (from the decision, or from when the proceeding
        started if later), in the same transaction."""
        c = Checker()
        self._check(c, data)
        c.require(bool(incident_ids), "Incidents", "choose at least one incident the review covers")
        c.raise_if_any()
        assert data.decision_date is not None
        prefix = self.svc.settings.get().review_prefix
        with self.db.write() as s:
            incidents = list(s.scalars(select(Incident).where(Incident.id.in_(incident_ids))))
            c.require(len(incidents) == len(set(incident_ids)), "Incidents", "one of the incidents no longer exists")
            for inc in incidents:
                if inc.stage == Stage.CLOSED:
                    c.require(False, "Incidents", f"{inc.local_ref} is closed")
                elif inc.notified_date is not None:
                    c.require(data.decision_date >= inc.notified_date, "Decision date",
                              f"cannot be before {inc.local_ref} was notified ({inc.notified_date:%d/%m/%Y})")
            reference = identifier(data.case_reference)
            if reference:
                self._unique_reference(s, c, reference)
            c.raise_if_any()
            if not reference:
                fy = financial_year_start(data.decision_date)
                seq = self.next_number(s, f"review:{prefix}:{fy}", lambda: self._max_sequence(s, prefix, fy))
                reference = format_reference(prefix, fy, seq)
            review = Review(status=ReviewStatus.COMMISSIONED, incidents=incidents,
                            **self._columns(data, reference))
            s.add(review)
            for inc in incidents:
                if inc.stage in (Stage.DECISION, Stage.COMMISSIONING, Stage.NO_REVIEW, Stage.RAPID_REVIEW,
                                 Stage.NOTIFICATION):
                    inc.stage = Stage.REVIEW
            s.flush()
            self.audit(s, "commission review", "review", review.id, reference, None,
                       snapshot(review, _FIELDS) | {"incidents": sorted(i.local_ref for i in incidents)})
            self._hold_for_proceedings(s, review, incidents, hold_for)
            view = self._view(review)
        return Op(view, Changes().add("review", view.id).add_all("incident", [i.id for i in incidents]))

    def _hold_for_proceedings(self, s: Session, review: Review, incidents: list[Incident],
                              hold_for: tuple[int, ...]) -> None:
        """Start the publication hold of each running proceeding in ``hold_for`` (checked: one of the review's
        incidents', still expected or under way)."""
        from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput

        running = {p.id: (inc, p) for inc in incidents for p in inc.proceedings}
        c = Checker()
        for pid in dict.fromkeys(hold_for):
            if not c.require(pid in running, "Publication holds", "a proceeding chosen is not one of the incidents'"):
                continue
            inc, p = running[pid]
            kind, state = ProceedingKind.of(p.kind), ProceedingState.of(p.state)
            c.require(state.running, "Publication holds",
                      f"{kind.label} of {inc.local_ref} is {state.label.lower()}: it holds nothing")
        c.raise_if_any()
        assert review.decision_date is not None
        for pid in dict.fromkeys(hold_for):
            inc, p = running[pid]
            kind, state = ProceedingKind.of(p.kind), ProceedingState.of(p.state)
            since = f" since {p.state_date:%d/%m/%Y}" if p.state_date and state is ProceedingState.UNDER_WAY else ""
            started = max(review.decision_date, p.state_date) if p.state_date and state is ProceedingState.UNDER_WAY \
                else review.decision_date
            reason = f"{kind.label} {state.label.lower()}{since} (recorded on {inc.local_ref})" + (
                f": {p.note}" if p.note else "")
            self.svc.publication_holds.place_in(s, review, PublicationHoldInput(kind.hold_kind, min(started, self.today()),
                                                                     reason=reason))

    @requires(Role.EDITOR, "change a review")
    def update(self, review_id: int, version: int, data: ReviewInput) -> Op[ReviewView]:
        """Save edits to a review's details, checked against the version the user loaded."""
        c = Checker()
        self._check(c, data)
        with self.db.write() as s:
            r = self.load(s, Review, "review", review_id, version)
            reference = identifier(data.case_reference) or (r.case_reference or "")
            if reference != r.case_reference:
                self._unique_reference(s, c, reference)
            if r.publication_date and data.decision_date:
                c.require(data.decision_date <= r.publication_date, "Decision date",
                          "cannot be after the publication date")
            c.raise_if_any()
            before = snapshot(r, _FIELDS)
            for k, v in self._columns(data, reference).items():
                setattr(r, k, v)
            s.flush()
            b, a = diff(before, snapshot(r, _FIELDS))
            if a:
                self.audit(s, "edit review", "review", r.id, reference, b, a)
            view = self._view(r)
        return Op(view, Changes().add("review", review_id))

    @requires(Role.EDITOR, "record a final report received")
    def record_final_report(self, review_id: int, version: int, received: dt.date | None) -> Op[ReviewView]:
        """Record the date the final report was received."""
        return self._record_date(review_id, version, "final_report_date", "Final report received", received,
                                 "record final report", new_status=ReviewStatus.FINAL_REPORT)

    @requires(Role.EDITOR, "record an advance copy sent")
    def record_advance_copy(self, review_id: int, version: int, sent: dt.date | None) -> Op[ReviewView]:
        """Record the date the advance copy went to the Panel and the Secretary of State."""
        return self._record_date(review_id, version, "advance_copy_date", "Advance copy sent", sent,
                                 "record advance copy")

    @requires(Role.EDITOR, "record a publication")
    def record_publication(self, review_id: int, version: int, published: dt.date | None) -> Op[ReviewView]:
        """Record publication: the LCSPR clock is met, the archive clock starts, the incidents move on. Refused
        while a pre-publication checklist step is open (``services.checklist``)."""
        return self._record_date(review_id, version, "publication_date", "Publication date", published,
                                 "record publication", new_status=ReviewStatus.PUBLISHED,
                                 check=partial(self._checklist_done, None))

    @requires(Role.ADMIN, "record a publication with checklist steps open")
    def record_publication_over_checklist(self, review_id: int, version: int, published: dt.date | None,
                                          reason: str) -> Op[ReviewView]:
        """Record publication although checklist steps are open, with the administrator's reason (audited)."""
        if not reason.strip():
            raise ValidationError.one("Reason", "say why the review is published with checklist steps open")
        return self._record_date(review_id, version, "publication_date", "Publication date", published,
                                 "record publication", new_status=ReviewStatus.PUBLISHED,
                                 check=partial(self._checklist_done, reason.strip()))

    def _checklist_done(self, reason: str | None, s: Session, r: Review, c: Checker) -> None:
        """Refuse publication while a step before it is open, unless ``reason`` says why (then audited)."""
        open_steps = [v.step.label for v in checklist(s, r.id).open_before_publication]
        if not open_steps:
            return
        if reason is None:
            c.require(False, "Checklist", f"{len(open_steps)} step{'s' if len(open_steps) > 1 else ''} before "
                      f"publication {'are' if len(open_steps) > 1 else 'is'} open ({'; '.join(open_steps)}): "
                      "complete them, or an administrator records why it is published anyway")
            return
        self.audit(s, "publish over checklist", "review", r.id, f"{r.case_reference}: {reason}", None,
                   {"open_steps": open_steps, "reason": reason})

    @requires(Role.EDITOR, "record a removal from the website")
    def record_take_down(self, review_id: int, version: int, removed: dt.date | None) -> Op[ReviewView]:
        """Record that the report was taken down from the website (archived: available on request)."""
        return self._record_date(review_id, version, "website_removed_date", "Removed from the website",
                                 removed, "record take-down")

    @requires(Role.EDITOR, "record that a review is not published")
    def record_not_published(self, review_id: int, version: int, reason: str) -> Op[ReviewView]:
        """Record a decision not to publish, with the reason."""
        if not reason.strip():
            raise ValidationError.one("Reason", "say why the review is not being published")
        with self.db.write() as s:
            r = self.load(s, Review, "review", review_id, version)
            if r.status == ReviewStatus.PUBLISHED:
                raise ValidationError.one("Status", f"{r.case_reference} is already published")
            before = snapshot(r, ["status", "unpublished_reason"])
            r.status, r.unpublished_reason = ReviewStatus.UNPUBLISHED, reason.strip()
            s.flush()
            self.audit(s, "record not published", "review", r.id, r.case_reference or "", before,
                       snapshot(r, ["status", "unpublished_reason"]))
            view = self._view(r)
        return Op(view, Changes().add("review", review_id))

    # -- helpers ----------------------------------------------------------------------------------------
    def _record_date(self, review_id: int, version: int, column: str, label: str, value: dt.date | None,
                     action: str, new_status: str | None = None,
                     check: Callable[[Session, Review, Checker], None] | None = None) -> Op[ReviewView]:
        with self.db.write() as s:
            r = self.load(s, Review, "review", review_id, version)
            c = Checker()
            if c.require(value is not None, label, "is required"):
                assert value is not None
                self.not_future(c, label, value)
                if r.decision_date is not None:
                    c.require(value >= r.decision_date, label,
                              f"cannot be before the decision to undertake the review ({r.decision_date:%d/%m/%Y})")
                if column == "website_removed_date":
                    c.require(r.publication_date is not None, label, "the review has not been published")
                    if r.publication_date is not None:
                        c.require(value >= r.publication_date, label, "cannot be before the publication date")
            c.require(r.status not in (ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED), label,
                      f"{r.case_reference} is {REVIEW_STATUSES[r.status].lower()}")
            if check is not None and not c.problems:
                check(s, r, c)
            c.raise_if_any()
            before = snapshot(r, [column, "status"])
            setattr(r, column, value)
            if new_status and (new_status == ReviewStatus.PUBLISHED or r.status == ReviewStatus.COMMISSIONED):
                r.status = new_status
            changes = Changes().add("review", review_id)
            if new_status == ReviewStatus.PUBLISHED:
                for inc in r.incidents:
                    if inc.stage == Stage.REVIEW:
                        inc.stage = Stage.PUBLISHED
                        changes.add("incident", inc.id)
            s.flush()
            self.audit(s, action, "review", r.id, r.case_reference or "", before, snapshot(r, [column, "status"]))
            view = self._view(r)
        return Op(view, changes)

    def _check(self, c: Checker, d: ReviewInput) -> None:
        c.require(d.kind in REVIEW_KINDS, "Kind", f"must be one of: {', '.join(REVIEW_KINDS.values())}")
        c.require(bool(d.title.strip()), "Title", "is required")
        c.require(len(d.title.strip()) <= 300, "Title", "must be at most 300 characters")
        if c.require(d.decision_date is not None, "Decision date", "is required: the publication clock starts there"):
            assert d.decision_date is not None
            self.not_future(c, "Decision date", d.decision_date)
            if d.planned_publication_date is not None:
                c.require(d.planned_publication_date >= d.decision_date, "Planned publication",
                          "cannot be before the decision")
        if identifier(d.case_reference):
            try:
                parse_reference(d.case_reference)
            except ValueError as e:
                c.require(False, "Case reference", str(e))
        url = d.national_repository_url.strip()
        c.require(not url or url.startswith(("https://", "http://")), "National repository link",
                  "must be a web address starting https://")

    @staticmethod
    def _unique_reference(s: Session, c: Checker, reference: str) -> None:
        taken = s.scalar(select(Review.id).where(Review.case_reference == reference))
        c.require(taken is None, "Case reference", f"{reference} is already used by another review")

    @staticmethod
    def _columns(d: ReviewInput, reference: str) -> dict[str, object]:
        return {"kind": d.kind, "case_reference": reference, "title": d.title.strip(), "summary": d.summary.strip(),
                "decision_date": d.decision_date, "reviewer": d.reviewer.strip(),
                "planned_publication_date": d.planned_publication_date,
                "national_repository_url": d.national_repository_url.strip(), "notes": d.notes.strip()}

    @staticmethod
    def _max_sequence(s: Session, prefix: str, fy: int) -> int:
        refs = s.scalars(select(Review.case_reference).where(Review.case_reference.is_not(None))).all()
        best = 0
        for text in refs:
            try:
                ref = parse_reference(text or "")
            except ValueError:
                continue
            if ref.prefix == prefix.upper() and ref.first_year == fy:
                best = max(best, ref.sequence)
        return best

    @staticmethod
    def _view(r: Review) -> ReviewView:
        return ReviewView(
            r.id, r.version, r.kind, r.case_reference or "", r.title, r.summary, r.decision_date, r.reviewer,
            r.planned_publication_date, r.final_report_date, r.advance_copy_date, r.publication_date, r.status,
            r.unpublished_reason, r.website_removed_date, r.national_repository_url, r.notes,
            tuple(IncidentLink(i.id, i.local_ref, i.pseudonym) for i in sorted(r.incidents, key=lambda i: i.id)),
        )

