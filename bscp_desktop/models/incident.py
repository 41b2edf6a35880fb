"""The serious incident register and each incident's Rapid Review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bscp_desktop.models.base import Base, Versioned, utcnow
from bscp_desktop.models.reference_lists import Agency, Theme, incident_themes


class Incident(Versioned, Base):
    """A case where a child died or was seriously harmed and abuse or neglect is known or suspected.

    The child appears only by pseudonym ("Child A"). ``stage`` is kept by the services as the lifecycle moves
    on, so registers can filter on it in SQL.
    """

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    local_ref: Mapped[str] = mapped_column(String(40), unique=True)
    financial_year: Mapped[int] = mapped_column(index=True)
    sequence: Mapped[int]
    pseudonym: Mapped[str] = mapped_column(String(100))
    age_band: Mapped[str] = mapped_column(String(20), default="")
    sex: Mapped[str] = mapped_column(String(20), default="")
    ethnicity: Mapped[str] = mapped_column(String(100), default="")
    harm: Mapped[str] = mapped_column(String(20))
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
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The earliest open clock (kept by the services on every flush) so registers filter by RAG in SQL.
    next_rule: Mapped[str] = mapped_column(String(30), default="")
    next_due: Mapped[dt.date | None] = mapped_column(index=True)

    rapid_review: Mapped[RapidReview | None] = relationship(back_populates="incident", uselist=False)
    themes: Mapped[list[Theme]] = relationship(secondary=incident_themes)

    __table_args__ = (
        Index("ix_incidents_fy_seq", "financial_year", "sequence", unique=True),
        # Serves the register's stage filter in its default order (newest reference first) from the index alone.
        Index("ix_incidents_stage_fy_seq", "stage", "financial_year", "sequence"),
    )


rapid_review_agencies = Table(
    "rapid_review_agencies",
    Base.metadata,
    Column("rapid_review_id", ForeignKey("rapid_reviews.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="RESTRICT"), primary_key=True),
)


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

    incident: Mapped[Incident] = relationship(back_populates="rapid_review")
    agencies: Mapped[list[Agency]] = relationship(secondary=rapid_review_agencies)

    def summary(self) -> dict[str, Any]:
        """Plain values for the audit log."""
        return {
            "meeting_date": self.meeting_date, "sent_date": self.sent_date, "decision": self.decision,
            "decision_date": self.decision_date, "panel_response_date": self.panel_response_date,
        }
