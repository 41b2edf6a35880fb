"""What the incident screens, reports and commands read of an incident: plain, frozen views detached from the
database (its Rapid Review with the agencies' returns and the partners' agreements, the reviews covering it, its
children, its parallel proceedings), and the functions that build them inside a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bscp_desktop.domain.rapid_review import ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import STAGES, Decision, NotificationReason, Partner, Stage
from bscp_desktop.models import Incident, ParallelProceeding, RapidReview, Review
from bscp_desktop.services.incidents.children import ChildView, child_view
from bscp_desktop.services.incidents.local_review_criteria import CriterionView, criteria_of
from bscp_desktop.services.incidents.panel_details import PanelDetails, panel_details_of
from bscp_desktop.util.dates import uk


@dataclass(frozen=True)
class ProceedingView:
    """One parallel proceeding of an incident."""

    id: int
    version: int
    kind: ProceedingKind
    state: ProceedingState
    state_date: dt.date | None
    note: str

    @property
    def running(self) -> bool:
        """True while it may hold a review's publication (expected or under way)."""
        return self.state.running

    @property
    def describe(self) -> str:
        """"Under way since 03/11/2026", as reports and the commissioning dialog say it."""
        when = f" ({self.state.date_label.lower()} {uk(self.state_date)})" if self.state_date else ""
        return f"{self.state.label}{when}"


@dataclass(frozen=True)
class AgencyReturnView:
    """What one agency was asked for the Rapid Review, when it is due and whether it has answered."""

    id: int
    version: int
    agency_id: int
    agency: str
    asked_on: dt.date
    answered_on: dt.date | None
    note: str
    involvement: str = ""


@dataclass(frozen=True)
class AgreementView:
    """One statutory partner's agreement to the Rapid Review."""

    id: int
    version: int
    partner: str
    name: str
    role_title: str
    agreed_on: dt.date

    @property
    def partner_label(self) -> str:
        """The partner as the sign-off table names it."""
        return Partner.of(self.partner).label


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
    panel_reply: str = ""
    facts: str = ""
    immediate_action: str = ""
    improvements: str = ""
    lived_experience: str = ""
    national_importance: str = ""
    national_importance_reasons: str = ""
    sent_without_sign_off: str = ""
    returns: tuple[AgencyReturnView, ...] = ()
    agreements: tuple[AgreementView, ...] = ()
    views_sought: str = ""
    late_reason: str = ""
    criteria: tuple[CriterionView, ...] = criteria_of(None)

    def agreement(self, partner: str) -> AgreementView | None:
        """``partner``'s agreement, if recorded."""
        return next((a for a in self.agreements if a.partner == partner), None)

    @property
    def partners_to_agree(self) -> tuple[Partner, ...]:
        """The statutory partners whose agreement is not yet recorded, in the sign-off table's order."""
        return tuple(p for p in Partner if self.agreement(p) is None)


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
    children: tuple[ChildView, ...] = field(default=())
    notification_reason: str = NotificationReason.SERIOUS_INCIDENT
    abuse_suspected: bool = True
    rapid_review_chosen: bool = False
    rapid_review_required: bool = True
    panel: PanelDetails = PanelDetails()
    proceedings: tuple[ProceedingView, ...] = ()

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
        elif not self.rapid_review_required and (rr is None or rr.sent_date is None):
            acts.append("choose-rapid-review")
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


def incident_view(s: Session, inc: Incident) -> IncidentView:
    """``inc`` with its Rapid Review, reviews, children and proceedings, detached from the database."""
    rr = inc.rapid_review
    return IncidentView(
        inc.id, inc.version, inc.local_ref, inc.pseudonym, inc.harm, tuple(inc.categories or ()),
        inc.incident_date, inc.became_aware, inc.notified_date, inc.panel_reference, inc.local_authority,
        inc.lead_officer, inc.stage, inc.closed_date, inc.closed_reason, inc.notes,
        rapid_review_view(rr) if rr is not None else None,
        tuple(ReviewLink(r.id, r.case_reference or "", r.kind, r.status) for r in s.scalars(
            select(Review).where(Review.incidents.any(Incident.id == inc.id)).order_by(Review.id))),
        tuple(child_view(ch) for ch in inc.children), inc.notification_reason, inc.abuse_suspected,
        inc.rapid_review_chosen, inc.rapid_review_required, panel_details_of(inc), proceedings_of(inc),
    )


def rapid_review_view(rr: RapidReview) -> RapidReviewView:
    """``rr`` with its agency returns and the partners' agreements, detached."""
    returns = tuple(AgencyReturnView(r.id, r.version, r.agency_id, r.agency.name, r.asked_on, r.answered_on, r.note,
                                     r.involvement) for r in rr.returns)
    order = list(Partner)
    agreements = tuple(sorted((AgreementView(a.id, a.version, a.partner, a.name, a.role_title, a.agreed_on)
                               for a in rr.agreements), key=lambda a: order.index(Partner.of(a.partner))))
    return RapidReviewView(
        rr.id, rr.version, rr.meeting_date, rr.sent_date, rr.decision, rr.decision_date, rr.decision_reasons,
        rr.immediate_learning, rr.panel_response_date, rr.panel_view, tuple(sorted(r.agency_id for r in rr.returns)),
        rr.panel_reply, rr.facts, rr.immediate_action, rr.improvements, rr.lived_experience, rr.national_importance,
        rr.national_importance_reasons, rr.sent_without_sign_off, returns, agreements, rr.views_sought,
        rr.late_reason, criteria_of(rr.local_review_criteria))


def proceedings_of(inc: Incident) -> tuple[ProceedingView, ...]:
    """The incident's proceedings in the vocabulary's order (police, coroner, child death review, family)."""
    order = list(ProceedingKind)
    return tuple(sorted((proceeding_view(p) for p in inc.proceedings), key=lambda p: order.index(p.kind)))


def proceeding_view(p: ParallelProceeding) -> ProceedingView:
    """``p``, detached."""
    return ProceedingView(p.id, p.version, ProceedingKind.of(p.kind), ProceedingState.of(p.state), p.state_date,
                          p.note)


__all__ = ["AgencyReturnView", "AgreementView", "IncidentView", "ProceedingView", "RapidReviewView", "ReviewLink",
           "incident_view", "proceeding_view", "proceedings_of", "rapid_review_view"]
