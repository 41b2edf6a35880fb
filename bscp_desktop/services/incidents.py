"""Incidents: register, edit, notify the Panel, record the Rapid Review, the decision and the Panel's response,
close. Every public method that writes is one transaction with its audit entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bscp_desktop.case_numbers import financial_year_label, financial_year_start
from bscp_desktop.models import Agency, Incident, RapidReview, Review
from bscp_desktop.services.base import Manager, diff, snapshot
from bscp_desktop.services.changes import Changes, Op
from bscp_desktop.services.errors import Checker, ValidationError
from bscp_desktop.services.permissions import requires
from bscp_desktop.vocab import AGE_BANDS, CATEGORIES, DECISIONS, HARMS, SEXES, STAGES, Decision, Role, Stage

AWARE = "the date the local authority became aware"
_FIELDS = ["pseudonym", "harm", "age_band", "sex", "ethnicity", "categories", "incident_date", "became_aware",
           "local_authority", "lead_officer", "notes"]
_RR_FIELDS = ["meeting_date", "sent_date", "decision", "decision_date", "decision_reasons", "immediate_learning",
              "panel_response_date", "panel_view"]


@dataclass(frozen=True)
class IncidentInput:
    """What the incident form collects. The child appears only by pseudonym."""

    pseudonym: str
    harm: str
    became_aware: dt.date | None
    incident_date: dt.date | None = None
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    categories: tuple[str, ...] = ()
    local_authority: str = ""
    lead_officer: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RapidReviewView:
    """An incident's Rapid Review."""

    id: int
    version: int
    meeting_date: dt.date | None
    sent_date: dt.date | None
    decision: str
    decision_date: dt.date | None
    decision_reasons: str
    immediate_learning: str
    panel_response_date: dt.date | None
    panel_view: str
    agency_ids: tuple[int, ...]


@dataclass(frozen=True)
class ReviewLink:
    """A review covering an incident, as the incident shows it."""

    id: int
    case_reference: str
    kind: str
    status: str


@dataclass(frozen=True)
class IncidentView:
    """An incident with its Rapid Review and reviews, detached from the database."""

    id: int
    version: int
    local_ref: str
    pseudonym: str
    harm: str
    age_band: str
    sex: str
    ethnicity: str
    categories: tuple[str, ...]
    incident_date: dt.date | None
    became_aware: dt.date
    notified_date: dt.date | None
    panel_reference: str
    local_authority: str
    lead_officer: str
    stage: str
    closed_date: dt.date | None
    closed_reason: str
    notes: str
    rapid_review: RapidReviewView | None
    reviews: tuple[ReviewLink, ...] = field(default=())

    @property
    def stage_label(self) -> str:
        """The stage as staff read it."""
        return STAGES.get(self.stage, self.stage)

    def available_actions(self) -> list[str]:
        """The lifecycle actions that apply now, in order: the form shows a button for each."""
        if self.stage == Stage.CLOSED:
            return []
        acts: list[str] = []
        rr = self.rapid_review
        if self.notified_date is None:
            acts.append("notify")
        elif rr is None or rr.sent_date is None:
            acts.append("rapid-review")
        elif not rr.decision:
            acts.append("decision")
        else:
            if rr.panel_response_date is None:
                acts.append("panel-response")
            if rr.decision in (Decision.LCSPR, Decision.OTHER_REVIEW) and not self.reviews:
                acts.append("commission")
        acts.append("close")
        return acts


class IncidentManager(Manager):
    """The incident register."""

    # -- reading ----------------------------------------------------------------------------------------
    def get(self, incident_id: int) -> IncidentView:
        """One incident with its Rapid Review and reviews; ``NotFound`` if there is none."""
        with self.db.read() as s:
            inc = self.load(s, Incident, "incident", incident_id)
            return self._view(s, inc)

    def count(self) -> int:
        """How many incidents the register holds."""
        with self.db.read() as s:
            return s.scalar(select(func.count(Incident.id))) or 0

    # -- writing ----------------------------------------------------------------------------------------
    @requires(Role.EDITOR, "record an incident")
    def register(self, data: IncidentInput) -> Op[IncidentView]:
        """Add an incident to the register, numbered within the financial year it became known."""
        self._validate(data)
        assert data.became_aware is not None
        settings = self.svc.settings.get()
        fy = financial_year_start(data.became_aware)
        with self.db.write() as s:
            seq = self.next_number(s, f"incident:{fy}", lambda: self._max_sequence(s, fy))
            inc = Incident(
                local_ref=f"{settings.incident_prefix}{financial_year_label(fy)}/{seq:03d}",
                financial_year=fy, sequence=seq, stage=Stage.NOTIFICATION,
                local_authority=data.local_authority.strip() or settings.local_authority,
                **self._columns(data, exclude=("local_authority",)),
            )
            s.add(inc)
            s.flush()
            self.audit(s, "register incident", "incident", inc.id, inc.local_ref, None, snapshot(inc, _FIELDS))
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", view.id))

    @requires(Role.EDITOR, "change an incident")
    def update(self, incident_id: int, version: int, data: IncidentInput) -> Op[IncidentView]:
        """Save edits to an incident's details, checked against the version the user loaded."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._validate(data, inc)
            before = snapshot(inc, _FIELDS)
            for k, v in self._columns(data).items():
                setattr(inc, k, v)
            s.flush()
            b, a = diff(before, snapshot(inc, _FIELDS))
            if a:
                self.audit(s, "edit incident", "incident", inc.id, inc.local_ref, b, a)
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a notification to the Panel")
    def record_notification(self, incident_id: int, version: int, notified: dt.date | None,
                            panel_reference: str = "") -> Op[IncidentView]:
        """Record that the Panel was notified on ``notified``: the Rapid Review clock starts."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            self.required_date(c, "Notification date", notified, inc.became_aware, AWARE)
            c.require(len(panel_reference.strip()) <= 60, "Panel reference", "must be at most 60 characters")
            c.raise_if_any()
            before = snapshot(inc, ["notified_date", "panel_reference", "stage"])
            inc.notified_date = notified
            inc.panel_reference = panel_reference.strip()
            if inc.stage == Stage.NOTIFICATION:
                inc.stage = Stage.RAPID_REVIEW
            s.flush()
            self.audit(s, "record notification", "incident", inc.id, inc.local_ref, before,
                       snapshot(inc, ["notified_date", "panel_reference", "stage"]))
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a Rapid Review")
    def record_rapid_review(self, incident_id: int, version: int, sent: dt.date | None,
                            meeting: dt.date | None = None, agency_ids: tuple[int, ...] = (),
                            immediate_learning: str = "") -> Op[IncidentView]:
        """Record the Rapid Review meeting and the date it was sent to the Panel (meets the Rapid Review clock)."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            if not c.require(inc.notified_date is not None, "Sent to the Panel",
                             "record the notification to the Panel first: the Rapid Review clock starts there"):
                c.raise_if_any()
            assert inc.notified_date is not None
            if meeting is not None:
                c.require(meeting >= inc.notified_date, "Meeting date",
                          f"cannot be before the notification ({inc.notified_date:%d/%m/%Y})")
                self.not_future(c, "Meeting date", meeting)
            if c.require(sent is not None, "Sent to the Panel", "is required"):
                assert sent is not None
                c.require(sent >= inc.notified_date, "Sent to the Panel",
                          f"cannot be before the notification ({inc.notified_date:%d/%m/%Y})")
                c.require(meeting is None or sent >= meeting, "Sent to the Panel",
                          "cannot be before the Rapid Review meeting")
                self.not_future(c, "Sent to the Panel", sent)
            agencies = list(s.scalars(select(Agency).where(Agency.id.in_(agency_ids)))) if agency_ids else []
            c.require(len(agencies) == len(set(agency_ids)), "Agencies", "one of the agencies no longer exists")
            c.raise_if_any()
            rr = inc.rapid_review or RapidReview(incident=inc)
            before = snapshot(rr, _RR_FIELDS) if rr.id else None
            rr.meeting_date, rr.sent_date = meeting, sent
            rr.immediate_learning = immediate_learning.strip()
            rr.agencies = agencies
            if inc.stage in (Stage.NOTIFICATION, Stage.RAPID_REVIEW):
                inc.stage = Stage.DECISION
            s.add(rr)
            s.flush()
            self.audit(s, "record rapid review", "incident", inc.id, inc.local_ref, before,
                       snapshot(rr, _RR_FIELDS) | {"agencies": sorted(a.name for a in agencies)})
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record a Rapid Review decision")
    def record_decision(self, incident_id: int, version: int, decision: str, decided: dt.date | None,
                        reasons: str = "") -> Op[IncidentView]:
        """Record the partnership's decision after the Rapid Review: LCSPR, another review, or none (reasons)."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            rr = inc.rapid_review
            c = Checker()
            if not c.require(rr is not None and rr.sent_date is not None, "Decision",
                             "record the Rapid Review first"):
                c.raise_if_any()
            assert rr is not None and inc.notified_date is not None
            c.require(decision in DECISIONS, "Decision", f"must be one of: {', '.join(DECISIONS.values())}")
            self.required_date(c, "Decision date", decided, inc.notified_date, "the notification")
            c.require(decision != Decision.NO_REVIEW or bool(reasons.strip()), "Reasons",
                      "are required when no local review is to be undertaken")
            c.raise_if_any()
            before = snapshot(rr, _RR_FIELDS)
            rr.decision, rr.decision_date, rr.decision_reasons = decision, decided, reasons.strip()
            if inc.stage in (Stage.DECISION, Stage.NO_REVIEW, Stage.COMMISSIONING):
                inc.stage = Stage.NO_REVIEW if decision == Decision.NO_REVIEW else Stage.COMMISSIONING
            s.flush()
            b, a = diff(before, snapshot(rr, _RR_FIELDS))
            self.audit(s, "record decision", "incident", inc.id, f"{inc.local_ref}: {DECISIONS[decision]}", b, a)
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "record the Panel's response")
    def record_panel_response(self, incident_id: int, version: int, responded: dt.date | None,
                              view_text: str) -> Op[IncidentView]:
        """Record the National Panel's response to the Rapid Review (of an open case, as every step)."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            rr = inc.rapid_review
            c = Checker()
            if not c.require(rr is not None and rr.sent_date is not None, "Panel response date",
                             "record the Rapid Review first"):
                c.raise_if_any()
            assert rr is not None and rr.sent_date is not None
            self.required_date(c, "Panel response date", responded, rr.sent_date, "the Rapid Review was sent")
            c.require(bool(view_text.strip()), "Panel view", "must say what the Panel concluded")
            c.raise_if_any()
            before = snapshot(rr, _RR_FIELDS)
            rr.panel_response_date, rr.panel_view = responded, view_text.strip()
            s.flush()
            b, a = diff(before, snapshot(rr, _RR_FIELDS))
            self.audit(s, "record panel response", "incident", inc.id, inc.local_ref, b, a)
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    @requires(Role.EDITOR, "close an incident")
    def close(self, incident_id: int, version: int, closed: dt.date | None, reason: str) -> Op[IncidentView]:
        """Close a case: its clocks stop and it leaves the open registers."""
        with self.db.write() as s:
            inc = self.load(s, Incident, "incident", incident_id, version)
            self._open(inc)
            c = Checker()
            self.required_date(c, "Closed on", closed, inc.became_aware, AWARE)
            c.require(bool(reason.strip()), "Reason", "say why the case is closed")
            c.raise_if_any()
            before = snapshot(inc, ["stage", "closed_date", "closed_reason"])
            inc.stage, inc.closed_date, inc.closed_reason = Stage.CLOSED, closed, reason.strip()
            s.flush()
            self.audit(s, "close incident", "incident", inc.id, inc.local_ref, before,
                       snapshot(inc, ["stage", "closed_date", "closed_reason"]))
            view = self._view(s, inc)
        return Op(view, Changes().add("incident", incident_id))

    def check(self, data: IncidentInput) -> None:
        """Raise ``ValidationError`` with every rule a new incident's details break (the form's rules)."""
        self._validate(data)

    # -- helpers ----------------------------------------------------------------------------------------
    def _validate(self, d: IncidentInput, existing: Incident | None = None) -> None:
        c = Checker()
        name = d.pseudonym.strip()
        c.require(bool(name), "Pseudonym", "is required: use a pseudonym such as 'Child A', never a real name")
        c.require(len(name) <= 100, "Pseudonym", "must be at most 100 characters")
        c.require(d.harm in HARMS, "Harm", f"must be one of: {', '.join(HARMS.values())}")
        c.require(d.age_band in ("", *AGE_BANDS), "Age band", f"must be one of: {', '.join(AGE_BANDS)}")
        c.require(d.sex in ("", *SEXES), "Sex", f"must be one of: {', '.join(SEXES)}")
        bad = [x for x in d.categories if x not in CATEGORIES]
        c.require(not bad, "Categories of abuse", f"unknown: {', '.join(bad)}")
        if c.require(d.became_aware is not None, "Became aware", "is required: the notification clock starts there"):
            assert d.became_aware is not None
            self.not_future(c, "Became aware", d.became_aware)
            if existing is not None and existing.notified_date is not None:
                c.require(d.became_aware <= existing.notified_date, "Became aware",
                          f"cannot be after the notification ({existing.notified_date:%d/%m/%Y})")
        if d.incident_date is not None:
            self.not_future(c, "Incident date", d.incident_date)
            c.require(d.became_aware is None or d.incident_date <= d.became_aware, "Incident date",
                      "cannot be after the date the local authority became aware")
        c.raise_if_any()

    @staticmethod
    def _open(inc: Incident) -> None:
        if inc.stage == Stage.CLOSED:
            raise ValidationError.one("Stage", f"{inc.local_ref} is closed; nothing more can be recorded on it")

    @staticmethod
    def _columns(d: IncidentInput, exclude: tuple[str, ...] = ()) -> dict[str, object]:
        cols: dict[str, object] = {
            "pseudonym": d.pseudonym.strip(), "harm": d.harm, "age_band": d.age_band, "sex": d.sex,
            "ethnicity": d.ethnicity.strip(), "categories": sorted(set(d.categories)),
            "incident_date": d.incident_date, "became_aware": d.became_aware,
            "local_authority": d.local_authority.strip(), "lead_officer": d.lead_officer.strip(),
            "notes": d.notes.strip(),
        }
        return {k: v for k, v in cols.items() if k not in exclude}

    @staticmethod
    def _max_sequence(s: Session, fy: int) -> int:
        return s.scalar(select(func.max(Incident.sequence)).where(Incident.financial_year == fy)) or 0

    @staticmethod
    def _view(s: Session, inc: Incident) -> IncidentView:
        rr = inc.rapid_review
        rrv = None
        if rr is not None:
            rrv = RapidReviewView(rr.id, rr.version, rr.meeting_date, rr.sent_date, rr.decision, rr.decision_date,
                                  rr.decision_reasons, rr.immediate_learning, rr.panel_response_date,
                                  rr.panel_view, tuple(sorted(a.id for a in rr.agencies)))
        reviews = s.scalars(
            select(Review).where(Review.incidents.any(Incident.id == inc.id)).order_by(Review.id)
        ).all()
        return IncidentView(
            inc.id, inc.version, inc.local_ref, inc.pseudonym, inc.harm, inc.age_band, inc.sex, inc.ethnicity,
            tuple(inc.categories or ()), inc.incident_date, inc.became_aware, inc.notified_date,
            inc.panel_reference, inc.local_authority, inc.lead_officer, inc.stage, inc.closed_date,
            inc.closed_reason, inc.notes, rrv,
            tuple(ReviewLink(r.id, r.case_reference or "", r.kind, r.status) for r in reviews),
        )


__all__ = ["IncidentInput", "IncidentManager", "IncidentView", "RapidReviewView", "ReviewLink"]
