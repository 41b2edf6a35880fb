"""The serious incident register and each incident's Rapid Review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bscp_desktop.domain.vocab import NotificationReason
from bscp_desktop.models.base import Base, Versioned, utcnow
from bscp_desktop.models.reference_lists import Agency, Theme, incident_themes


class Incident(Versioned, Base):
    """A case notified to the National Panel: one or more children died or were seriously harmed and abuse or
    neglect is known or suspected, or a looked-after child or a care leaver under 25 died.

    Children appear only by pseudonym ("Child A") in ``children``. ``pseudonym`` and ``harm`` sum them up for
    registers and clocks (the first child's pseudonym; "died" when any child died) and ``child_count`` counts
    them; ``stage`` and ``rapid_review_required`` are kept by the services, so registers filter in SQL.
    """

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    local_ref: Mapped[str] = mapped_column(String(40), unique=True)
    financial_year: Mapped[int] = mapped_column(index=True)
    sequence: Mapped[int]
    pseudonym: Mapped[str] = mapped_column(String(100))
    harm: Mapped[str] = mapped_column(String(20))
    child_count: Mapped[int] = mapped_column(default=1)
    notification_reason: Mapped[str] = mapped_column(String(30), default=NotificationReason.SERIOUS_INCIDENT)
    abuse_suspected: Mapped[bool] = mapped_column(default=True)
    # The partnership chose to hold a Rapid Review the reason does not need (a care leaver's death).
    rapid_review_chosen: Mapped[bool] = mapped_column(default=False)
    # Whether the Rapid Review clock runs (``notification.needs_rapid_review``), kept by the services.
    rapid_review_required: Mapped[bool] = mapped_column(default=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    incident_date: Mapped[dt.date | None]
    became_aware: Mapped[dt.date] = mapped_column(index=True)
    notified_date: Mapped[dt.date | None]
    panel_reference: Mapped[str] = mapped_column(String(60), default="")
    local_authority: Mapped[str] = mapped_column(String(100), default="")
    lead_officer: Mapped[str] = mapped_column(String(100), default="")
    stage: Mapped[str] = mapped_column(String(20))
    closed_date: Mapped[dt.date | None]
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # What the Panel's notification form asks (services.panel_details): where and when it happened, an outline
    # of the case for the Panel (the notes stay internal) and who notified. The place and the notifier's contact
    # details are blanked by disposal.
    location: Mapped[str] = mapped_column(String(30), default="")
    location_type: Mapped[str] = mapped_column(String(30), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    incident_time: Mapped[str] = mapped_column(String(5), default="")
    case_outline: Mapped[str] = mapped_column(Text, default="")
    notifier_name: Mapped[str] = mapped_column(String(100), default="")
    notifier_role: Mapped[str] = mapped_column(String(100), default="")
    notifier_phone: Mapped[str] = mapped_column(String(40), default="")
    notifier_email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The earliest open clock (kept by the services on every flush) so registers filter by RAG in SQL.
    next_rule: Mapped[str] = mapped_column(String(30), default="")
    next_due: Mapped[dt.date | None] = mapped_column(index=True)

    rapid_review: Mapped[RapidReview | None] = relationship(back_populates="incident", uselist=False)
    children: Mapped[list[IncidentChild]] = relationship(
        back_populates="incident", order_by="IncidentChild.position", cascade="all, delete-orphan")
    themes: Mapped[list[Theme]] = relationship(secondary=incident_themes)
    proceedings: Mapped[list[ParallelProceeding]] = relationship(
        back_populates="incident", order_by="ParallelProceeding.id", cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_incidents_fy_seq", "financial_year", "sequence", unique=True),
        # Serves the register's stage filter in its default order (newest reference first) from the index alone.
        Index("ix_incidents_stage_fy_seq", "stage", "financial_year", "sequence"),
    )


class IncidentChild(Versioned, Base):
    """A child an incident's notification covers, by pseudonym, with what the Panel and the DfE's statistics
    describe: harm, sex, age, ethnicity, disability, looked after, child protection and child in need plans,
    known to services, and the home local authority when the incident happened elsewhere ("" = the same)."""

    __tablename__ = "incident_children"
    __table_args__ = (UniqueConstraint("incident_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    pseudonym: Mapped[str] = mapped_column(String(100), index=True)
    harm: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(20), default="")
    sex: Mapped[str] = mapped_column(String(20), default="")
    ethnicity: Mapped[str] = mapped_column(String(100), default="")
    disability: Mapped[str] = mapped_column(String(20), default="not known")
    looked_after: Mapped[str] = mapped_column(String(20), default="not known")
    cp_plan: Mapped[str] = mapped_column(String(20), default="not known")
    cin_plan: Mapped[str] = mapped_column(String(20), default="not known")
    known_to_services: Mapped[str] = mapped_column(String(20), default="not known")
    home_local_authority: Mapped[str] = mapped_column(String(100), default="")

    incident: Mapped[Incident] = relationship(back_populates="children")


class RapidReview(Versioned, Base):
    """The Rapid Review of one incident: who contributed, when it met and was sent, the decision and the
    Panel's response."""

    __tablename__ = "rapid_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    meeting_date: Mapped[dt.date | None]
    sent_date: Mapped[dt.date | None]
    decision: Mapped[str] = mapped_column(String(20), default="")
    decision_date: Mapped[dt.date | None]
    decision_reasons: Mapped[str] = mapped_column(Text, default="")
    immediate_learning: Mapped[str] = mapped_column(Text, default="")
    panel_response_date: Mapped[dt.date | None]
    panel_view: Mapped[str] = mapped_column(Text, default="")
    panel_reply: Mapped[str] = mapped_column(String(20), default="")
    # The narrative sections of the Rapid Review report (Working Together 2023), in the report's order.
    facts: Mapped[str] = mapped_column(Text, default="")
    immediate_action: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    lived_experience: Mapped[str] = mapped_column(Text, default="")
    national_importance: Mapped[str] = mapped_column(String(10), default="")
    national_importance_reasons: Mapped[str] = mapped_column(Text, default="")
    # Why an administrator recorded it sent before all three partners had agreed ("" when they had).
    sent_without_sign_off: Mapped[str] = mapped_column(Text, default="")
    # How the child's and the family's views were sought; why the report went after its due date.
    views_sought: Mapped[str] = mapped_column(Text, default="")
    late_reason: Mapped[str] = mapped_column(Text, default="")
    # The partners' answer to each local-review criterion with its reasons (``vocab.LocalReviewCriterion`` code →
    # {"answer": ``vocab.CriterionAnswer``, "reasons": text}); a criterion not yet answered is absent.
    local_review_criteria: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

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

    __tablename__ = "agency_returns"
    __table_args__ = (UniqueConstraint("rapid_review_id", "agency_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rapid_review_id: Mapped[int] = mapped_column(ForeignKey("rapid_reviews.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    asked_on: Mapped[dt.date]
    answered_on: Mapped[dt.date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    # What the agency did with the child, from its return: the line the report gives the agency.
    involvement: Mapped[str] = mapped_column(Text, default="")

    rapid_review: Mapped[RapidReview] = relationship(back_populates="returns")
    agency: Mapped[Agency] = relationship()


class PartnerAgreement(Versioned, Base):
    """One statutory safeguarding partner's agreement to a Rapid Review: who, in what role, on what date."""

    __tablename__ = "partner_agreements"
    __table_args__ = (UniqueConstraint("rapid_review_id", "partner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rapid_review_id: Mapped[int] = mapped_column(ForeignKey("rapid_reviews.id", ondelete="CASCADE"), index=True)
    partner: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    role_title: Mapped[str] = mapped_column(String(100), default="")
    agreed_on: Mapped[dt.date]

    rapid_review: Mapped[RapidReview] = relationship(back_populates="agreements")


class ParallelProceeding(Versioned, Base):
    """A proceeding running beside the incident's reviews (police investigation, coroner and inquest, child death
    review, family proceedings), recorded once on the incident: its state and the date that goes with it. While
    one runs, commissioning a review can start the publication hold it calls for."""

    __tablename__ = "parallel_proceedings"
    __table_args__ = (UniqueConstraint("incident_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20))
    state_date: Mapped[dt.date | None]
    note: Mapped[str] = mapped_column(Text, default="")

    incident: Mapped[Incident] = relationship(back_populates="proceedings")
