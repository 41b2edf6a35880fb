"""Recommendations of a review and the agency actions that implement them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bscp_desktop.domain.vocab import ActionStatus
from bscp_desktop.models.base import Base, Versioned


class Recommendation(Versioned, Base):
    """A numbered recommendation of a review, national or local."""

    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(20), default="local")

    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_recommendations_review_number"),)


class Action(Versioned, Base):
    """An action an agency takes on a recommendation, with evidence and assurance."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default=ActionStatus.NOT_STARTED.value)
    not_accepted_reason: Mapped[str] = mapped_column(Text, default="")
    evidence_notes: Mapped[str] = mapped_column(Text, default="")
    completed_date: Mapped[dt.date | None]
    assured_by: Mapped[str] = mapped_column(String(100), default="")
    assured_date: Mapped[dt.date | None]
