"""The serious incident register and each incident's Rapid Review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Mapped, relationship

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.models.reference_lists import Agency, Theme
from bscp_desktop.schema import (
    agency_returns,
    incident_children,
    incident_themes,
    incidents,
    parallel_proceedings,
    partner_agreements,
    rapid_reviews,
)


class Incident(Versioned, Base):
    """A case notified to the National Panel: one or more children died or were seriously harmed and abuse or
    neglect is known or suspected, or a looked-after child or a care leaver under 25 died.

    Children appear only by pseudonym ("Child A") in ``children``. ``pseudonym`` and ``harm`` sum them up for
    registers and clocks (the first child's pseudonym; "died" when any child died) and ``child_count`` counts
    them; ``stage`` and ``rapid_review_required`` are kept by the services, so registers filter in SQL.
    """

    __table__ = incidents
    id: Mapped[int]
    local_ref: Mapped[str]
    financial_year: Mapped[int]
    sequence: Mapped[int]
    pseudonym: Mapped[str]
    harm: Mapped[str]
    child_count: Mapped[int]
    notification_reason: Mapped[str]
    abuse_suspected: Mapped[bool]
    # The partnership chose to hold a Rapid Review the reason does not need (a care leaver's death).
    rapid_review_chosen: Mapped[bool]
    # Whether the Rapid Review clock runs (``notification.needs_rapid_review``), kept by the services.
    rapid_review_required: Mapped[bool]
    categories: Mapped[list[str]]
    incident_date: Mapped[dt.date | None]
    became_aware: Mapped[dt.date]
    notified_date: Mapped[dt.date | None]
    panel_reference: Mapped[str]
    local_authority: Mapped[str]
    lead_officer: Mapped[str]
    stage: Mapped[str]
    closed_date: Mapped[dt.date | None]
    closed_reason: Mapped[str]
    notes: Mapped[str]
    # What the Panel's notification form asks (services.panel_details): where and when it happened, an outline
    # of the case for the Panel (the notes stay internal) and who notified. The place and the notifier's contact
    # details are blanked by disposal.
    location: Mapped[str]
    location_type: Mapped[str]
    place: Mapped[str]
    incident_time: Mapped[str]
    case_outline: Mapped[str]
    notifier_name: Mapped[str]
    notifier_role: Mapped[str]
    notifier_phone: Mapped[str]
    notifier_email: Mapped[str]
    created_at: Mapped[dt.datetime]
    # The earliest open clock (kept by the services on every flush) so registers filter by RAG in SQL.
    next_rule: Mapped[str]
    next_due: Mapped[dt.date | None]

    rapid_review: Mapped[RapidReview | None] = relationship(back_populates="incident", uselist=False)
    children: Mapped[list[IncidentChild]] = relationship(
        back_populates="incident", order_by="IncidentChild.position", cascade="all, delete-orphan")
    themes: Mapped[list[Theme]] = relationship(secondary=incident_themes)
    proceedings: Mapped[list[ParallelProceeding]] = relationship(
        back_populates="incident", order_by="ParallelProceeding.id", cascade="all, delete-orphan")



class IncidentChild(Versioned, Base):
    """A child an incident's notification covers, by pseudonym, with what the Panel and the DfE's statistics
    describe: harm, sex, age, ethnicity, disability, looked after, child protection and child in need plans,
    known to services, and the home local authority when the incident happened elsewhere ("" = the same)."""

    __table__ = incident_children
    id: Mapped[int]
    incident_id: Mapped[int]
    position: Mapped[int]
    pseudonym: Mapped[str]
    harm: Mapped[str]
    age_band: Mapped[str]
    sex: Mapped[str]
    ethnicity: Mapped[str]
    disability: Mapped[str]
    looked_after: Mapped[str]
    cp_plan: Mapped[str]
    cin_plan: Mapped[str]
    known_to_services: Mapped[str]
    home_local_authority: Mapped[str]

    incident: Mapped[Incident] = relationship(back_populates="children")


class RapidReview(Versioned, Base):
    """The Rapid Review of one incident: who contributed, when it met and was sent, the decision and the
    Panel's response."""

    __table__ = rapid_reviews
    id: Mapped[int]
    incident_id: Mapped[int]
    meeting_date: Mapped[dt.date | None]
    sent_date: Mapped[dt.date | None]
    decision: Mapped[str]
    decision_date: Mapped[dt.date | None]
    decision_reasons: Mapped[str]
    immediate_learning: Mapped[str]
    panel_response_date: Mapped[dt.date | None]
    panel_view: Mapped[str]
    panel_reply: Mapped[str]
    # The narrative sections of the Rapid Review report (Working Together 2023), in the report's order.
    facts: Mapped[str]
    immediate_action: Mapped[str]
    improvements: Mapped[str]
    lived_experience: Mapped[str]
    national_importance: Mapped[str]
    national_importance_reasons: Mapped[str]
    # Why an administrator recorded it sent before all three partners had agreed ("" when they had).
    sent_without_sign_off: Mapped[str]
    # How the child's and the family's views were sought; why the report went after its due date.
    views_sought: Mapped[str]
    late_reason: Mapped[str]
    # The partners' answer to each local-review criterion with its reasons (``vocab.LocalReviewCriterion`` code →
    # {"answer": ``vocab.CriterionAnswer``, "reasons": text}); a criterion not yet answered is absent.
    local_review_criteria: Mapped[dict[str, dict[str, str]]]

    incident: Mapped[Incident] = relationship(back_populates="rapid_review")
    returns: Mapped[list[AgencyReturn]] = relationship(
        back_populates="rapid_review", order_by="AgencyReturn.id", cascade="all, delete-orphan")
    agreements: Mapped[list[PartnerAgreement]] = relationship(
        back_populates="rapid_review", cascade="all, delete-orphan")

    def summary(self) -> dict[str, Any]:
        """Plain values for the audit log."""
        return {
            "meeting_date": self.meeting_date, "sent_date": self.sent_date, "decision": self.decision,
            "decision_date": self.decision_date, "panel_response_date": self.panel_response_date,
        }


class AgencyReturn(Versioned, Base):
    """What one partner agency was asked to give the Rapid Review: asked on a date, answering by the
    ``agency-return`` rule's due date, answered (or not)."""

    __table__ = agency_returns
    id: Mapped[int]
    rapid_review_id: Mapped[int]
    agency_id: Mapped[int]
    asked_on: Mapped[dt.date]
    answered_on: Mapped[dt.date | None]
    note: Mapped[str]
    # What the agency did with the child, from its return: the line the report gives the agency.
    involvement: Mapped[str]

    rapid_review: Mapped[RapidReview] = relationship(back_populates="returns")
    agency: Mapped[Agency] = relationship()


class PartnerAgreement(Versioned, Base):
    """One statutory safeguarding partner's agreement to a Rapid Review: who, in what role, on what date."""

    __table__ = partner_agreements
    id: Mapped[int]
    rapid_review_id: Mapped[int]
    partner: Mapped[str]
    name: Mapped[str]
    role_title: Mapped[str]
    agreed_on: Mapped[dt.date]

    rapid_review: Mapped[RapidReview] = relationship(back_populates="agreements")


class ParallelProceeding(Versioned, Base):
    """A proceeding running beside the incident's reviews (police investigation, coroner and inquest, child death
    review, family proceedings), recorded once on the incident: its state and the date that goes with it. While
    one runs, commissioning a review can start the publication hold it calls for."""

    __table__ = parallel_proceedings
    id: Mapped[int]
    incident_id: Mapped[int]
    kind: Mapped[str]
    state: Mapped[str]
    state_date: Mapped[dt.date | None]
    note: Mapped[str]

    incident: Mapped[Incident] = relationship(back_populates="proceedings")
